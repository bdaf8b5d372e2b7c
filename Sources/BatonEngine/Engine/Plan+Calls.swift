/// What a `when:` reads of called workflows (`uses:`): the parameters of the calls that hold
/// its step, and the outputs and counts of the calls it needs.
extension Plan {
    /// Adds to `context` the values of the calls around and before the step at `index`: each
    /// call that holds one of its needs counts that need (`steps.build.succeeded`) and hands
    /// on its declared outputs (`steps.build.outputs.version`); and the parameters of every
    /// call that holds the step, under their scoped names.
    func addCallValues(to context: inout ConditionContext, for index: Int, in state: RunState) {
        func outputs(_ id: String) -> [String: String] {
            workflow.position(of: id).map { state.steps[$0].outputs } ?? [:]
        }
        for need in needs[index] {
            let record = state.steps[need]
            for call in workflow.steps[need].enclosingCalls {
                context.groupCounts[call, default: [:]]["count", default: 0] += 1
                context.groupCounts[call, default: [:]][record.state.rawValue, default: 0] += 1
            }
        }
        for (call, values) in workflow.callOutputs(forNeeds: needs[index], outputs: outputs) {
            context.outputs[call] = values
        }
        context.params = workflow.conditionParameters(for: workflow.steps[index], runValues: state.params, outputs: outputs)
    }
}
