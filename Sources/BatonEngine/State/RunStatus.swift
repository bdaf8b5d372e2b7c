/// The run's own state, as the fold of its journal gives it.
///
/// The console's header, `baton runs`, the headless summary, replay and the exit status all
/// read this one value (`RunState.status`); none of them derives the run's state again.
public enum RunStatus: String, Sendable, Hashable, CaseIterable {
    /// No `run_started` yet.
    case notStarted = "not_started"
    /// Steps run or are about to.
    case running
    /// The run halted (a cancel, `on_failure: stop`, a rollback of the run) and waits for
    /// what still runs to end.
    case stopping
    /// An operator paused the run: nothing new starts.
    case paused
    /// Nothing runs and nothing can start until a person acts; `RunState.operatorWait` says on what.
    case waitingForOperator = "waiting_for_operator"
    case succeeded
    case failed
    case cancelled
    case rolledBack = "rolled_back"
    case rollbackFailed = "rollback_failed"
    case interrupted

    /// The status of a run that ended with `outcome`.
    public init(_ outcome: RunOutcome) {
        switch outcome {
        case .succeeded: self = .succeeded
        case .failed: self = .failed
        case .cancelled: self = .cancelled
        case .interrupted: self = .interrupted
        case .rolledBack: self = .rolledBack
        case .rollbackFailed: self = .rollbackFailed
        case .waitingForOperator: self = .waitingForOperator
        }
    }

    /// The status in words: "waiting for an operator", "rolled back".
    public var words: String {
        switch self {
        case .notStarted: return "not started"
        case .waitingForOperator: return "waiting for an operator"
        case .rolledBack: return "rolled back"
        case .rollbackFailed: return "rollback failed"
        default: return rawValue
        }
    }

    /// Whether the run has work in flight or about to start, so that its clock runs.
    public var isActive: Bool { self == .running || self == .stopping }
}
