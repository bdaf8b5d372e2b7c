/// Something an operator can ask of a run or of one of its steps.
///
/// Front ends offer an action only when `Plan.verdict(on:step:in:)` allows it, and the
/// engine's commands refuse exactly what it refuses, so what is offered is what is accepted.
public enum OperatorAction: String, Sendable, Hashable, CaseIterable, Codable {
    case approve
    case reject
    case retry
    case skip
    case cancel
    case hold
    case release
    case suspend
    /// Lets a suspended step go on (SIGCONT).
    case resumeStep = "resume_step"
    case rollback
    case pause
    /// Lets a paused run start steps again.
    case resumeRun = "resume"
    case cancelRun = "cancel_run"
    case rollbackRun = "rollback_run"

    /// Whether the action is about one step rather than the whole run.
    public var isStepAction: Bool {
        switch self {
        case .pause, .resumeRun, .cancelRun, .rollbackRun: return false
        default: return true
        }
    }
}

/// Whether an action is legal now, and what it would do or why not.
public enum ActionVerdict: Sendable, Hashable {
    /// Legal: what will really happen, in words ("retries 'build'; 'test' runs after it").
    case allowed(String)
    /// Not legal: why, and the action that would work instead, if there is one (a failed
    /// rollback is retried by `rollback`, not `retry`).
    case refused(String, instead: OperatorAction? = nil)

    public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }

    /// What will happen, or why not.
    public var message: String {
        switch self {
        case .allowed(let text), .refused(let text, _): return text
        }
    }
}
