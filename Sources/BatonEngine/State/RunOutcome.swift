/// How a run ended.
public enum RunOutcome: String, Sendable, Hashable, Codable {
    case succeeded
    case failed
    case cancelled
    /// Ended by Ctrl-C or a signal to Baton.
    case interrupted

    /// The exit status of `baton run` for this outcome.
    public var exitStatus: Int32 {
        switch self {
        case .succeeded: return 0
        case .failed, .cancelled: return 1
        case .interrupted: return 130
        }
    }
}
