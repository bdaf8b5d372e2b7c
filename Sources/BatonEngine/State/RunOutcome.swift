/// How a run ended.
public enum RunOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case succeeded
    case failed
    case cancelled
    /// Ended by Ctrl-C or a signal to Baton; `baton resume` takes it up.
    case interrupted
    /// An operator rolled back steps of the run (some or all), and every rollback succeeded.
    case rolledBack = "rolled_back"
    /// An operator rolled back steps of the run, and a rollback failed; `u` (or
    /// `baton rollback RUN STEP`) tries it again.
    case rollbackFailed = "rollback_failed"
    /// The run needed a person (a failed step, a gate, an interrupted step) and nobody could be
    /// asked: Baton stopped waiting, and `baton resume` takes it up.
    case waitingForOperator = "waiting_for_operator"

    /// The exit status of `baton` for a run that ended this way.
    public var exitStatus: Int32 {
        switch self {
        case .succeeded, .rolledBack: return 0
        case .failed, .cancelled, .rollbackFailed, .waitingForOperator: return 1
        case .interrupted: return 130
        }
    }

    /// Whether `baton resume` goes on with such a run as it stood, rather than reopening a
    /// finished one for an operator's retry, skip or rollback.
    public var isUnfinished: Bool { self == .interrupted || self == .waitingForOperator }

    /// The outcome in words, as the console and `baton runs` show it.
    public var words: String {
        switch self {
        case .rolledBack: return "rolled back"
        case .rollbackFailed: return "rollback failed"
        case .waitingForOperator: return "waiting for an operator"
        default: return rawValue
        }
    }
}
