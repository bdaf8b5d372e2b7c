extension SecretRedactor {
    /// A copy of `workflow` to show: every text that may hold a secret has it masked, from the
    /// names and description to commands, notes, prompts, directories and `env` values.
    ///
    /// Step ids, needs and the parsed conditions are kept, so the copy draws the same graph and
    /// explains the same decisions; nothing should be run from it.
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
                copy.approval = ApprovalGate(prompt: redact(gate.prompt), approvers: gate.approvers)
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
        return Workflow(
            name: redact(workflow.name), description: redact(workflow.description), concurrency: workflow.concurrency,
            env: redact(workflow.env), secrets: workflow.secrets, onFailure: workflow.onFailure, steps: steps)
    }
}
