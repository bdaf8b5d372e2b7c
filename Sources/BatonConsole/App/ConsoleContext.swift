import BatonEngine
import BatonTerminal

/// What the console works out once per workflow and reuses: the scheduler's graph, the
/// graph pane's layout, how the fan-out groups are shown for each set of expanded groups, and
/// where the steps' log files are.
///
/// Everything here is made from the workflow (and, for the groupings, the expanded set), and
/// only here: a workflow that changes makes a new context.
public struct ConsoleContext: Sendable {
    public let plan: Plan
    /// The layout of every step, the graph shown when no fan-out group is collapsed.
    public let graph: GraphLayout
    /// The run's `logs` folder, which holds every step's whole log; nil when the console may
    /// search only the lines it holds (a replay, or a run that keeps no files).
    public let logDirectory: String?
    let groupings: StepGroupingCache
    let finderIndexes = StepFinderIndexCache()
    let neighbourhoods = GraphNeighbourhoodCache()

    /// The context of `workflow`, with its plan and layout as `prepared` has them when given
    /// (made of the same steps and needs; see `PreparedGraph`).
    public init(workflow: Workflow, logDirectory: String? = nil, prepared: PreparedGraph? = nil) {
        groupings = StepGroupingCache(workflow: workflow)
        self.logDirectory = logDirectory
        guard let prepared else {
            plan = Plan(workflow: workflow)
            graph = GraphLayout(workflow: workflow, plan: plan)
            return
        }
        // The layout last: it may still be being made on another thread meanwhile.
        plan = prepared.plan.showing(workflow)
        let layout = prepared.layout
        graph = layout.stepCount == workflow.steps.count ? layout : GraphLayout(workflow: workflow, plan: plan)
    }

    /// The path of a step's log file, when the console may read it.
    public func logPath(for stepID: String) -> String? {
        logDirectory.map { "\($0)/\(stepID).log" }
    }

    /// How the graph, the steps table and the timeline show the fan-out groups for the groups
    /// the operator expanded (`e`, `E`); made on the first ask for a set and then kept.
    public func grouping(_ state: AppState) -> StepGrouping {
        groupings.grouping(expanding: state.expandedGroups)
    }

    /// Every step's texts as the step finder matches them; made on the finder's first use
    /// and kept, made again for a workflow that grew.
    public func finderIndex(for workflow: Workflow) -> StepFinderIndex {
        finderIndexes.index(for: workflow)
    }

    /// The graph with the collapsed groups as nodes, or nil when none is collapsed.
    public func shownGroups(_ state: AppState) -> GroupedGraph? {
        grouping(state).graph
    }

    /// The graph layout the pane shows.
    public func shownGraph(_ state: AppState) -> GraphLayout {
        shownGroups(state)?.layout ?? graph
    }

    /// The step next to `index` in the graph, in a direction; a collapsed group's node selects
    /// its first instance.
    public func graphNeighbor(of index: Int, toward direction: GraphDirection, compact: Bool, state: AppState) -> Int? {
        guard let groups = shownGroups(state), index >= 0, index < groups.nodeOfStep.count else {
            return graph.neighbor(of: index, toward: direction, compact: compact)
        }
        return groups.layout.neighbor(of: groups.nodeOfStep[index], toward: direction, compact: compact).map { groups.stepsOfNode[$0][0] }
    }

    /// Whether the layered graph is too wide for a pane of this inner width.
    public func graphNeedsCompact(width: Int, state: AppState) -> Bool {
        shownGraph(state).size.width > width
    }

    /// The graph scroll that keeps `index` visible inside the pane `rect` (borders excluded);
    /// in a neighbourhood, the one that centres it.
    public func graphScroll(revealing index: Int, in rect: Rect, current: GraphScroll, compact: Bool, state: AppState) -> GraphScroll {
        if !compact, let neighbourhood = neighbourhood(state) {
            let area = GraphNeighbourhood.drawingArea(in: PaneFrame.inner(of: rect))
            let row = neighbourhood.layout.nodeRect(neighbourhood.centreIndex).y
            let offset = neighbourhood.layout.clampedScroll((0, row - area.height / 2), viewport: (area.width, area.height))
            return GraphScroll(x: offset.x, y: offset.y)
        }
        let viewport = (width: max(1, rect.width - 2), height: max(1, rect.height - 2))
        var target = index
        if let groups = shownGroups(state), index >= 0, index < groups.nodeOfStep.count { target = groups.nodeOfStep[index] }
        let offset = shownGraph(state).scrollOffset(revealing: target, viewport: viewport, current: (current.x, current.y), compact: compact)
        return GraphScroll(x: offset.x, y: offset.y)
    }

    /// How many lines the log pane scrolls through: the selected step's lines in memory, or
    /// those of the excerpt of its file it shows.
    public func logLineCount(_ state: AppState) -> Int {
        if let excerpt = state.shownExcerpt { return excerpt.lines.count }
        guard let id = state.selectedStep?.id else { return 0 }
        return state.logs[id]?.lines.count ?? 0
    }

    /// How many log lines the log pane shows at once (an excerpt's notice takes a row).
    public func logRows(_ state: AppState) -> Int {
        max(1, ConsoleLayout(state).inner(.logs).height - (state.shownExcerpt == nil ? 0 : 1))
    }
}
