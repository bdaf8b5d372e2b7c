extension StepState {
    /// A one-character mark for the state, shared by text output (progress lines, text graphs).
    public var mark: String {
        switch self {
        case .pending: return "·"
        case .held: return "‖"
        case .waiting: return "?"
        case .running: return "▶"
        case .suspended: return "‖"
        case .retrying: return "↻"
        case .succeeded: return "✔"
        case .failed: return "✘"
        case .skipped: return "⤼"
        case .blocked: return "⊘"
        case .cancelled: return "■"
        case .interrupted: return "↯"
        case .rollingBack: return "↶"
        case .rolledBack: return "↶"
        case .rollbackFailed: return "✘"
        }
    }
}
