import BatonEngine
import BatonTerminal

/// What the console works out once per workflow and reuses: the scheduler's graph and the
/// graph pane's layout.
public struct ConsoleContext: Sendable {
    public let plan: Plan
    public let graph: GraphLayout

    public init(workflow: Workflow) {
        plan = Plan(workflow: workflow)
        graph = GraphLayout(workflow: workflow)
    }

    /// The steps a rollback of `id` undoes, in order: succeeded dependents first, then the step.
    public func rollbackOrder(for id: String, in run: RunState) -> [String] {
        guard let index = plan.workflow.position(of: id) else { return [] }
        let dependents = plan.descendants(of: index).filter { run.steps.indices.contains($0) && run.steps[$0].state == .succeeded }
        return (dependents.reversed() + [index]).map { plan.workflow.steps[$0].id }
    }

    /// The step next to `index` in the graph, in a direction.
    public func graphNeighbor(of index: Int, toward direction: GraphDirection, compact: Bool) -> Int? {
        graph.neighbor(of: index, toward: direction, compact: compact)
    }

    /// Whether the layered graph is too wide for a pane of this inner width.
    public func graphNeedsCompact(width: Int) -> Bool {
        graph.size.width > width
    }

    /// The graph scroll that keeps `index` visible inside the pane `rect` (borders excluded).
    public func graphScroll(revealing index: Int, in rect: Rect, current: GraphScroll, compact: Bool) -> GraphScroll {
        let viewport = (width: max(1, rect.width - 2), height: max(1, rect.height - 2))
        let offset = graph.scrollOffset(revealing: index, viewport: viewport, current: (current.x, current.y), compact: compact)
        return GraphScroll(x: offset.x, y: offset.y)
    }

    /// How many lines the selected step's log has in memory.
    public func logLineCount(_ state: AppState) -> Int {
        guard let id = state.selectedStep?.id else { return 0 }
        return state.logs[id]?.lines.count ?? 0
    }

    /// How many log lines the log pane shows at once.
    public func logRows(_ state: AppState) -> Int {
        max(1, ConsoleLayout(state).logs.height - 2)
    }
}
