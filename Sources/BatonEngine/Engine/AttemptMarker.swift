import Foundation

/// The lines Baton writes into a step's log (`baton` stream) where an attempt or a rollback
/// opens and where it closes, so that two attempts' output never runs together.
///
/// An opening says which attempt, when (UTC) and who or what started it:
///
///     attempt 2 of 3 started 2026-12-05 18:30:02Z: automatic retry after 2s backoff
///     attempt 1 of 1 (2 in all) started 2026-12-05 18:31:10Z: retry requested by alice
///     rollback started 2026-12-05 18:32:00Z: rollback requested by bob
///
/// A closing says how it ended and how long it ran (suspensions not counted):
///
///     attempt 2 ended: exit 0 after 1.2s
///     attempt 1 (2 in all) cancelled by alice after 3.0s (SIGTERM)
///     rollback ended: exit 0 after 0.4s
public enum AttemptMarker {
    /// How an attempt or a rollback ended, for its closing line.
    public enum Ending: Sendable, Hashable {
        /// It ended by itself: an exit, a signal nobody sent, or no start at all.
        case finished(ExecutionResult.Termination)
        /// Baton stopped it; `what` says why ("cancelled by alice", "timed out"), the
        /// termination how the process took it.
        case stopped(String, ExecutionResult.Termination)
    }

    /// "attempt 2 of 3", with "(4 in all)" when an operator's retry or a resume began a new
    /// series, so the number in the series differs from the count over the run.
    public static func attemptLabel(attempt: Int, inSeries: Int, allowed: Int) -> String {
        "attempt \(inSeries) of \(max(allowed, inSeries))" + overall(attempt: attempt, inSeries: inSeries)
    }

    /// "attempt 2", with "(4 in all)" where that differs: the closing's shorter name.
    public static func shortLabel(attempt: Int, inSeries: Int) -> String {
        "attempt \(inSeries)" + overall(attempt: attempt, inSeries: inSeries)
    }

    /// The name rollbacks go by in markers.
    public static let rollbackLabel = "rollback"

    private static func overall(attempt: Int, inSeries: Int) -> String {
        attempt == inSeries ? "" : " (\(attempt) in all)"
    }

    /// The opening line: "attempt 2 of 3 started 2026-12-05 18:30:02Z: <cause>".
    public static func opening(_ label: String, at time: Double, cause: String) -> String {
        "\(label) started \(utc(time)): \(oneLine(cause))"
    }

    /// The closing line: "attempt 2 ended: exit 0 after 1.2s", "attempt 1 cancelled by alice
    /// after 3.0s (SIGTERM)"; `then` adds what comes next ("next attempt in 2s").
    public static func closing(_ label: String, _ ending: Ending, after seconds: Double, then next: String? = nil) -> String {
        let text: String
        switch ending {
        case .finished(.notStarted):
            text = "\(label) ended: never started"
        case .finished(.exited(let code)):
            text = "\(label) ended: exit \(code) after \(duration(seconds))"
        case .finished(.signalled(let signal)):
            text = "\(label) ended: killed by \(signalName(signal)) after \(duration(seconds))"
        case .stopped(let what, .notStarted):
            text = "\(label) \(oneLine(what)) before it started"
        case .stopped(let what, .exited(let code)):
            text = "\(label) \(oneLine(what)) after \(duration(seconds)) (exit \(code))"
        case .stopped(let what, .signalled(let signal)):
            text = "\(label) \(oneLine(what)) after \(duration(seconds)) (\(signalName(signal)))"
        }
        return next.map { "\(text); \($0)" } ?? text
    }

    /// The closing of an attempt or rollback that Baton's death cut short, written when the
    /// run is resumed: it ran at least until the journal's last event.
    public static func cutShort(_ label: String, _ what: String, atLeast seconds: Double) -> String {
        "\(label) \(oneLine(what)) after at least \(duration(seconds)): Baton stopped before it ended"
    }

    /// Whether a log line is a marker, opening or closing (Baton's other notes are not).
    public static func isMarker(_ text: String) -> Bool {
        text.range(of: #"^(attempt \d+( of \d+)?( \(\d+ in all\))?|rollback) "#, options: .regularExpression) != nil
    }

    /// Whether a log line is an opening marker: an attempt or rollback whose closing the log
    /// does not hold yet, if it is the log's last marker.
    public static func isOpening(_ text: String) -> Bool {
        text.range(of: #"^(attempt \d+ of \d+( \(\d+ in all\))?|rollback) started \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ: "#,
                   options: .regularExpression) != nil
    }

    /// A time as "2026-12-05 18:30:02Z", in UTC, so logs read the same in every time zone.
    public static func utc(_ time: Double) -> String {
        var seconds = time_t(time.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    /// A running time as "0.4s", "12.3s", "3m05s" or "1h02m".
    public static func duration(_ seconds: Double) -> String {
        let seconds = max(0, seconds)
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds)
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        return String(format: "%dh%02dm", whole / 3600, whole % 3600 / 60)
    }

    /// A signal's name: "SIGTERM", or "signal 40" for one without a common name.
    public static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
            SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV",
            SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM", SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ",
        ]
        return names[signal] ?? "signal \(signal)"
    }

    /// A marker is one line: a newline in a reason or a comment is written as `\n`.
    private static func oneLine(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\\n")
            .replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\r", with: "\\r")
    }
}
