import BatonEngine

/// The scheduler's plan and the graph pane's layout of a workflow, worked out before the
/// console that shows it is made: `baton run` lays out a large graph on a second core while
/// the engine opens the run's journal and the console makes the rest of what it needs.
///
/// Both depend only on the workflow's steps and needs, which masking its secrets leaves as
/// they were, so the workflow they are made from may be the one the engine runs, and the
/// console takes them for the masked one it shows (`Plan.showing`).
public struct PreparedGraph: Sendable {
    let plan: Plan
    private let laying: LargeStackThread.Job<GraphLayout>?
    private let laidOut: GraphLayout?

    /// The plan and layout of `workflow`, whose plan is `plan` when given.
    public init(workflow: Workflow, plan: Plan? = nil) {
        let plan = plan ?? Plan(workflow: workflow)
        self.plan = plan
        laidOut = GraphLayout(workflow: workflow, plan: plan)
        laying = nil
    }

    private init(plan: Plan, laying: LargeStackThread.Job<GraphLayout>) {
        self.plan = plan
        self.laying = laying
        laidOut = nil
    }

    /// The plan `plan` of `workflow` at once, and its layout made on a thread of its own:
    /// `layout` waits for it.
    public static func start(workflow: Workflow, plan: Plan) -> PreparedGraph {
        PreparedGraph(plan: plan, laying: LargeStackThread.start { GraphLayout(workflow: workflow, plan: plan) })
    }

    /// The layout, once it is made.
    var layout: GraphLayout {
        if let laidOut { return laidOut }
        guard let laying else { preconditionFailure("a prepared graph is laid out or being laid out") }
        return laying.result
    }
}
