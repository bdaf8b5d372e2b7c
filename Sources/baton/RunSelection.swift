import BatonEngine
import Foundation

/// Which runs `baton runs` lists: by state (`--state`), workflow name (`--workflow`) and start
/// time (`--since`). A run passes when it meets every filter given.
struct RunSelection {
    /// The state names wanted (`ListedRun.stateNames`); empty for any state.
    var states: Set<String> = []
    /// The workflow name wanted; nil for any workflow.
    var workflow: String?
    /// The earliest start time wanted, seconds since 1970; nil for any time.
    var startedSince: Double?

    /// Whether any filter is given.
    var isFiltering: Bool { !states.isEmpty || workflow != nil || startedSince != nil }

    /// Whether `run` passes every filter. A run with no recorded start passes no `--since`.
    func admits(_ run: ListedRun) -> Bool {
        if !states.isEmpty, !states.contains(run.stateName) { return false }
        if let workflow, run.state?.workflowName != workflow { return false }
        if let startedSince {
            guard let started = run.state?.startedAt, started >= startedSince else { return false }
        }
        return true
    }

    /// The state names `texts` stand for, or an error naming the first unknown one with the
    /// states there are and the closest of them.
    static func states(_ texts: [String]) throws(RunSelectionError) -> Set<String> {
        var names: Set<String> = []
        for text in texts {
            guard let name = ListedRun.stateName(for: text) else {
                throw RunSelectionError(
                    "--state: unknown state '\(ProgressPrinter.printable(text))'"
                        + Suggestion.hint(for: text.lowercased(), among: ListedRun.stateNames)
                        + " (states are: \(ListedRun.stateNames.joined(separator: ", ")))")
            }
            names.insert(name)
        }
        return names
    }

    /// The time `--since` names, seconds since 1970: a duration back from `now` (`30m`, `2h`,
    /// `1h30m`, as `DurationParser` reads durations), or an ISO 8601 date (`2026-12-06`, local
    /// midnight) or date and time (`2026-12-06T08:00:00`, local; with `Z` or an offset such as
    /// `+01:00`, in that zone).
    static func since(_ text: String, now: Double) throws(RunSelectionError) -> Double {
        if let duration = DurationParser.parse(text) { return now - duration.inSeconds }
        if let date = isoDate(text.trimmingCharacters(in: .whitespaces)) { return date.timeIntervalSince1970 }
        throw RunSelectionError(
            "--since takes a duration (30m, 2h, 1h30m) or an ISO 8601 date or time "
                + "(2026-12-06, 2026-12-06T08:00:00, 2026-12-06T08:00:00Z), not '\(ProgressPrinter.printable(text))'")
    }

    /// `text` read as an ISO 8601 date, or date and time with or without a zone.
    private static func isoDate(_ text: String) -> Date? {
        let zoned: [ISO8601DateFormatter.Options] = [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]]
        let local: [ISO8601DateFormatter.Options] = [
            [.withFullDate, .withTime, .withDashSeparatorInDate, .withColonSeparatorInTime],
            [.withFullDate, .withDashSeparatorInDate],
        ]
        for (options, zone) in zoned.map({ ($0, TimeZone(identifier: "UTC")) }) + local.map({ ($0, TimeZone.current) }) {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let zone { formatter.timeZone = zone }
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
