extension SecretRedactor {
    /// A copy of `workflow` to show: every text that may hold a secret has it masked, from the
    /// names and description to commands, notes, prompts, directories and `env` values.
    ///
    /// Step ids, needs, the parsed conditions, fan-out groups and calls are kept, so the copy
    /// draws the same graph and explains the same decisions; nothing should be run from it.
    public func redact(_ workflow: Workflow) -> Workflow {
        guard !isEmpty else { return workflow }
        let steps = workflow.steps.map { step in
            var copy = step
            copy.name = redact(step.name)
            copy.run = redact(step.run)
            copy.rollback = redact(step.rollback)
            copy.notes = redact(step.notes)
            copy.dir = redact(step.dir)
            copy.env = redact(step.env)
            if let gate = step.approval {
                var gateCopy = gate
                gateCopy.prompt = redact(gate.prompt)
                copy.approval = gateCopy
            }
            if let condition = step.when {
                copy.when = Condition(source: redact(condition.source), expression: condition.expression)
            }
            if var simulation = step.simulate {
                simulation.output = simulation.output.map { redact($0) }
                simulation.outputs = redact(simulation.outputs)
                copy.simulate = simulation
            }
            return copy
        }
        let calls = workflow.calls.map { call in
            var copy = call
            copy.workflowName = redact(call.workflowName)
            copy.description = redact(call.description)
            copy.name = redact(call.name)
            copy.notes = redact(call.notes)
            return copy
        }
        var copy = Workflow(
            name: redact(workflow.name), description: redact(workflow.description), concurrency: workflow.concurrency,
            env: redact(workflow.env), secrets: workflow.secrets, onFailure: workflow.onFailure, selfApproval: workflow.selfApproval,
            access: workflow.access, params: workflow.params, groups: workflow.groups, calls: calls, steps: steps)
        copy.timeout = workflow.timeout
        copy.inventory = workflow.inventory
        return copy
    }
}
