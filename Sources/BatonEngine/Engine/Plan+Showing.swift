extension Plan {
    /// This plan for `workflow`, the plan's own workflow with other texts: the same steps in
    /// the same order, with the same needs, groups and conditions, as `SecretRedactor.redact`
    /// leaves them. Its decisions are the same, so nothing is worked out again and the
    /// step lists are shared; for a workflow of other steps, a plan of its own.
    package func showing(_ workflow: Workflow) -> Plan {
        guard workflow.steps.count == self.workflow.steps.count,
              zip(workflow.steps, self.workflow.steps).allSatisfy({ $0.id == $1.id && $0.needs == $1.needs }) else {
            return Plan(workflow: workflow)
        }
        return Plan(workflow: workflow, sharingDecisionsOf: self)
    }

    private init(workflow: Workflow, sharingDecisionsOf plan: Plan) {
        self.workflow = workflow
        needs = plan.needs
        dependents = plan.dependents
        memberships = plan.memberships
        callsStateFunction = plan.callsStateFunction
        hasFinallySteps = plan.hasFinallySteps
        topologicalOrder = plan.topologicalOrder
    }
}
