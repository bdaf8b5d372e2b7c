/// One operator command, typed: the action, the step it is about (nil for the run) and the
/// operator's comment.
///
/// Front ends build these and hand them to `Engine.perform(_:by:)`; the rule book judges the
/// same `action` (`Plan.verdict(on:step:in:)`), and the journal records the command under the
/// action's name.
public struct OperatorCommand: Sendable, Hashable, Codable {
    public var action: OperatorAction
    public var step: String?
    public var comment: String?
    /// With an approval: the values the gate's `approval.inputs` ask for.
    public var values: [String: String]?

    public init(_ action: OperatorAction, step: String? = nil, comment: String? = nil, values: [String: String]? = nil) {
        self.action = action
        self.step = step
        self.comment = comment
        self.values = values
    }

    /// A short name for a status line: "retry 'db'", "roll back the run".
    public var summary: String {
        switch action {
        case .pause: return "pause the run"
        case .resumeRun: return "resume the run"
        case .cancelRun: return "cancel the run"
        case .rollbackRun: return "roll back the run"
        case .rollback: return "roll back '\(step ?? "?")'"
        case .resumeStep: return "resume '\(step ?? "?")'"
        default: return "\(action.rawValue) '\(step ?? "?")'"
        }
    }

    public static let pauseRun = OperatorCommand(.pause)
    public static let resumeRun = OperatorCommand(.resumeRun)
    public static let cancelRun = OperatorCommand(.cancelRun)
    public static let rollbackRun = OperatorCommand(.rollbackRun)
    public static func approve(step: String, comment: String?, values: [String: String]? = nil) -> OperatorCommand {
        OperatorCommand(.approve, step: step, comment: comment, values: values)
    }
    public static func reject(step: String, comment: String?) -> OperatorCommand { OperatorCommand(.reject, step: step, comment: comment) }
    public static func retry(step: String) -> OperatorCommand { OperatorCommand(.retry, step: step) }
    public static func skip(step: String) -> OperatorCommand { OperatorCommand(.skip, step: step) }
    public static func cancel(step: String) -> OperatorCommand { OperatorCommand(.cancel, step: step) }
    public static func hold(step: String) -> OperatorCommand { OperatorCommand(.hold, step: step) }
    public static func release(step: String) -> OperatorCommand { OperatorCommand(.release, step: step) }
    public static func suspend(step: String) -> OperatorCommand { OperatorCommand(.suspend, step: step) }
    public static func resumeStep(step: String) -> OperatorCommand { OperatorCommand(.resumeStep, step: step) }
    public static func rollback(step: String) -> OperatorCommand { OperatorCommand(.rollback, step: step) }
}
