import BatonEngine

/// The scheduler's plan and the graph pane's layout of a workflow, worked out before the
/// console that shows it is made: `baton run` lays out a large graph on a second core while
/// the engine opens the run's journal and the console makes the rest of what it needs.
///
/// Both depend only on the workflow's steps and needs, which masking its secrets leaves as
/// they were, so the workflow they are made from may be the one the engine runs, and the
/// console takes them for the masked one it shows (`Plan.showing`).
public struct PreparedGraph: Sendable {
    /// The layout made, or being made on another thread.
    private enum Layout: Sendable {
        case made(GraphLayout)
        case making(LargeStackThread.Job<GraphLayout>)
    }

    let plan: Plan
    private let laying: Layout

    /// The plan and layout of `workflow`, whose plan is `plan` when given.
    public init(workflow: Workflow, plan: Plan? = nil) {
        let plan = plan ?? Plan(workflow: workflow)
        self.plan = plan
        laying = .made(GraphLayout(workflow: workflow, plan: plan))
    }

    private init(plan: Plan, laying: Layout) {
        self.plan = plan
        self.laying = laying
    }

    /// The plan `plan` of `workflow` at once, and its layout made on a thread of its own:
    /// `layout` waits for it.
    public static func start(workflow: Workflow, plan: Plan) -> PreparedGraph {
        PreparedGraph(plan: plan, laying: .making(LargeStackThread.start { GraphLayout(workflow: workflow, plan: plan) }))
    }

    /// The layout, once it is made.
    var layout: GraphLayout {
        switch laying {
        case .made(let layout): return layout
        case .making(let job): return job.result
        }
    }
}
