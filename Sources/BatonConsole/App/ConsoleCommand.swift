/// An operator action the console asks the engine to carry out.
public enum ConsoleCommand: Sendable, Hashable {
    case pauseRun
    case resumeRun
    case rollbackRun
    case cancelRun
    case approve(step: String, comment: String?)
    case reject(step: String, comment: String?)
    case retry(step: String)
    case rollback(step: String)
    case cancel(step: String)
    case skip(step: String)
    case hold(step: String)
    case release(step: String)
    case suspend(step: String)
    case resumeStep(step: String)

    /// A short name for the status line: "retry 'db'".
    public var summary: String {
        switch self {
        case .pauseRun: return "pause the run"
        case .resumeRun: return "resume the run"
        case .rollbackRun: return "roll back the run"
        case .cancelRun: return "cancel the run"
        case .approve(let step, _): return "approve '\(step)'"
        case .reject(let step, _): return "reject '\(step)'"
        case .retry(let step): return "retry '\(step)'"
        case .rollback(let step): return "roll back '\(step)'"
        case .cancel(let step): return "cancel '\(step)'"
        case .skip(let step): return "skip '\(step)'"
        case .hold(let step): return "hold '\(step)'"
        case .release(let step): return "release '\(step)'"
        case .suspend(let step): return "suspend '\(step)'"
        case .resumeStep(let step): return "resume '\(step)'"
        }
    }
}
