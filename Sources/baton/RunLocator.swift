import BatonEngine
import Foundation

/// Turns what a person typed for a run — its id, the start of its id or of the id's last part,
/// `last`, or the run's directory — into the run's directory.
///
/// Every command that takes a run goes through here, so each one accepts the same references
/// and refuses the same way: a reference that names no run, or more than one, is invalid input.
enum RunLocator {
    /// The reference to the most recently started run.
    static let lastRun = "last"
    /// How many runs an ambiguous reference's error lists.
    static let candidatesShown = 5

    /// Why a reference names no single run.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The recorded run `reference` names; when it names none or several, prints why as
    /// `baton: …` and exits 2.
    static func recordedRun(_ reference: String, stateDir: String?) throws -> RunDirectory {
        switch locate(reference, in: StateDirectory.resolve(override: stateDir)) {
        case .success(let run):
            return run
        case .failure(let failure):
            Console.error("baton: \(failure)")
            throw ExitStatus.invalidInput
        }
    }

    /// The run `reference` names among the runs of `state`, by the first rule that applies: a
    /// reference holding `/`, or naming a folder here with a journal, is a run directory; then
    /// a run's whole id; then `last`, the run whose id is greatest (ids begin with their UTC
    /// start time, so it started last); then the one run whose id, or whose id's last part
    /// (after its last `-`: the random digits of a Baton-made id), begins with it.
    static func locate(_ reference: String, in state: StateDirectory) -> Result<RunDirectory, Failure> {
        if reference.contains("/") || FileManager.default.fileExists(atPath: "\(reference)/events.jsonl") {
            let run = RunDirectory(path: reference.hasSuffix("/") && reference.count > 1 ? String(reference.dropLast()) : reference)
            guard FileManager.default.fileExists(atPath: run.eventsPath) else {
                return .failure(Failure(description: "no run in '\(printable(reference))': there is no journal at \(run.eventsPath)"))
            }
            return .success(run)
        }
        guard !reference.isEmpty else {
            return .failure(Failure(description: "an empty run id names no run (baton runs lists the runs)"))
        }
        let exact = state.runDirectory(reference)
        if reference != "." && reference != "..", FileManager.default.fileExists(atPath: exact.eventsPath) {
            return .success(exact)
        }
        let ids = state.runIDs()
        if reference == lastRun {
            guard let newest = newest(ids, in: state) else {
                return .failure(Failure(description: "there is no last run: no runs are recorded in \(state.runsPath)"))
            }
            return .success(state.runDirectory(newest))
        }
        let matches = ids.filter { Self.id($0, beginsWith: reference) }
        switch matches.count {
        case 0:
            return .failure(Failure(description: "no run '\(printable(reference))' in \(state.runsPath) (baton runs lists the runs)"))
        case 1:
            return .success(state.runDirectory(matches[0]))
        default:
            return .failure(Failure(description: ambiguity(reference, matches: matches, in: state)))
        }
    }

    /// The run of `ids` (sorted) that started last. Ids begin with their start time to the
    /// second, so only those that share the greatest id's time (all of it before the last
    /// `-`) can have started after it: their journals' start times decide.
    private static func newest(_ ids: [String], in state: StateDirectory) -> String? {
        guard let greatest = ids.last else { return nil }
        guard let dash = greatest.lastIndex(of: "-") else { return greatest }
        let second = greatest[...dash]
        let sameSecond = ids.reversed().prefix { $0.hasPrefix(second) }
        guard sameSecond.count > 1 else { return greatest }
        let started = sameSecond.map { id in
            (id, (try? state.runDirectory(id).readJournal()).flatMap { try? JournalReader.fold($0.events).startedAt } ?? 0)
        }
        // Ties keep the greatest id, the first listed.
        return started.max { $0.1 < $1.1 }?.0
    }

    /// Whether `id`, or its last part after a `-`, begins with `reference`.
    static func id(_ id: String, beginsWith reference: String) -> Bool {
        if id.hasPrefix(reference) { return true }
        guard let dash = id.lastIndex(of: "-") else { return false }
        return id[id.index(after: dash)...].hasPrefix(reference)
    }

    /// The error for a reference several runs match: the newest few, with their workflows and
    /// start times, as `baton runs` shows them.
    private static func ambiguity(_ reference: String, matches: [String], in state: StateDirectory) -> String {
        var lines = ["run '\(printable(reference))' is ambiguous: \(matches.count) runs match it"]
        let shown = matches.reversed().prefix(candidatesShown).map { id in
            let folded = (try? state.runDirectory(id).readJournal()).flatMap { try? JournalReader.fold($0.events) }
            return (id: id, workflow: folded.map { ProgressPrinter.printable($0.workflowName) } ?? "(unreadable)", started: folded?.startedAt)
        }
        let idWidth = shown.map(\.id.count).max() ?? 0
        let workflowWidth = shown.map(\.workflow.count).max() ?? 0
        for run in shown {
            var line = "  " + run.id + String(repeating: " ", count: idWidth - run.id.count) + "  " + run.workflow
            if let started = run.started {
                line += String(repeating: " ", count: workflowWidth - run.workflow.count) + "  started " + RunsCommand.date(started)
            }
            lines.append(line)
        }
        let more = matches.count - shown.count
        lines.append((more > 0 ? "  and \(more) more; " : "  ") + "give more of the id (baton runs lists the runs)")
        return lines.joined(separator: "\n")
    }

    private static func printable(_ reference: String) -> String { ProgressPrinter.printable(reference) }
}
