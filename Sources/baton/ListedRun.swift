import BatonEngine
import Foundation

/// One run as `baton runs` lists it, read from its journal once: what its table row and its
/// JSON object show, and what `--state`, `--workflow` and `--since` select by.
struct ListedRun {
    /// A listed run's state when its Baton process died before the run recorded its end.
    static let stoppedUnexpectedly = "stopped_unexpectedly"
    /// A listed run's state when its journal cannot be read.
    static let unreadable = "unreadable"
    /// Every state a listed run can be in, by the names `--state` and the JSON use.
    static let stateNames = RunStatus.allCases.map(\.rawValue) + [stoppedUnexpectedly, unreadable]

    var directory: RunDirectory
    /// The fold of the journal; nil when it cannot be read (`problem` says why).
    var state: RunState?
    /// Why the journal cannot be read.
    var problem: String?
    /// Whether a Baton process writes the run now.
    var live = false
    /// Whether `baton resume RUN` would take the run up now.
    var resumable = false
    /// Whether `baton resume RUN --retry-failed` or `baton rollback RUN` would reopen it now.
    var reopenable = false
    /// Wall time from the start to the end, in seconds (`RunsCommand.duration(of:in:live:)`).
    var duration: Double = 0

    var runID: String { directory.runID }

    /// Reads the run in `directory`.
    init(_ directory: RunDirectory, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.directory = directory
        let state: RunState
        do {
            state = try JournalReader.fold(try directory.readJournal().events)
        } catch {
            problem = "\(error)"
            return
        }
        self.state = state
        live = state.outcome == nil && directory.isBeingWritten
        duration = RunsCommand.duration(of: state, in: directory, live: live)
        // The same decisions `baton resume` and `baton rollback` act on: a run listed so is never refused.
        // (A console keeps a finished run's journal open: nobody else may take it up then.)
        let mayTake = !directory.isBeingWritten && RunSource.writeRefusal(for: directory) == nil
        if mayTake && state.isResumable, case .success = directory.resumeCheck(environment: environment) {
            resumable = true
        } else if mayTake && state.isReopenable, case .success = directory.resumeCheck(environment: environment, reopening: true) {
            reopenable = true
        }
    }

    /// The run's state by name: its status while a Baton process has it or once it ended,
    /// `stopped_unexpectedly` when its process died first, `unreadable` without a journal to read.
    var stateName: String {
        guard let state else { return Self.unreadable }
        // A run nobody writes any more that never recorded its end stopped unexpectedly.
        return state.outcome == nil && !live ? Self.stoppedUnexpectedly : state.status.rawValue
    }

    /// The state in words, as the table shows it.
    var stateWords: String {
        guard let state else { return "unreadable" }
        return stateName == Self.stoppedUnexpectedly ? "stopped unexpectedly" : state.status.words
    }

    /// What a run that waits for an operator waits on, one reason per step involved; empty
    /// when it does not wait.
    var waitingFor: [String] {
        guard let state, state.status == .waitingForOperator, let wait = state.operatorWait else { return [] }
        return wait.reasons
    }

    /// Steps that succeeded or were skipped: the steps done, as the table counts them.
    var stepsDone: Int {
        guard let counts = state?.countsByState else { return 0 }
        return (counts[.succeeded] ?? 0) + (counts[.skipped] ?? 0)
    }

    /// The state name `text` stands for: a name of `stateNames`, or the same in words
    /// (`rolled back`, `waiting for an operator`, `stopped-unexpectedly`); nil for none.
    static func stateName(for text: String) -> String? {
        let wanted = normalized(text)
        let words = RunStatus.allCases.map { (normalized($0.words), $0.rawValue) }
        return stateNames.first { $0 == wanted } ?? words.first { $0.0 == wanted }?.1
    }

    /// Lower case, with spaces and dashes as underscores.
    private static func normalized(_ text: String) -> String {
        String(text.lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
    }
}
