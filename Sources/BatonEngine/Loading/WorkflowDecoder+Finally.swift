import Yams

/// Decoding of `finally:`, the steps that run once the others have settled.
extension WorkflowDecoder {
    /// The steps of `finally:`, marked as such; an id that `steps:` already has, and a step of
    /// `steps:` that needs one of them, are refused.
    func finallySteps(_ node: Node, after steps: [DecodedStep]) -> [DecodedStep] {
        if isNull(node) { return [] }
        guard case .mapping = node else {
            report("'finally' must be a mapping from step id to step, like 'steps', not \(describe(node))", at: node)
            return []
        }
        let main = Set(steps.map(\.id))
        var finals: [DecodedStep] = []
        for entry in entries(of: node) {
            guard var step = decodeStep(entry) else { continue }
            if main.contains(step.id) {
                report("'\(step.id)' is both a step and a finally step; give the finally step another id", at: entry.keyNode)
                continue
            }
            step.step.isFinally = true
            finals.append(step)
        }
        let finalIDs = Set(finals.map(\.id))
        for step in steps {
            for need in step.needs where finalIDs.contains(need.id) {
                report("step '\(step.id)' needs '\(need.id)', a finally step: finally steps run after every other step, so nothing else may need them", at: need.location)
            }
        }
        return finals
    }
}
