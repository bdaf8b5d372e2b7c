import BatonEngine

/// The scheduler's plan and the graph pane's layout of a workflow, worked out before the
/// console that shows it is made: `baton run` lays out a large graph on a second core while
/// the engine opens the run's journal.
///
/// Both depend only on the workflow's steps and needs, which masking its secrets leaves as
/// they were, so the workflow they are made from may be the one the engine runs, and the
/// console takes them for the masked one it shows (`Plan.showing`).
public struct PreparedGraph: Sendable {
    let plan: Plan
    let layout: GraphLayout

    /// The plan and layout of `workflow`, whose plan is `plan` when given.
    public init(workflow: Workflow, plan: Plan? = nil) {
        let plan = plan ?? Plan(workflow: workflow)
        self.plan = plan
        layout = GraphLayout(workflow: workflow, plan: plan)
    }
}
