import BatonEngine
import BatonTerminal

/// What lies under a cell of the console's screen: a footer key hint, or a pane and the step
/// its row or node there stands for.
///
/// It reads what the view draws with — `ConsoleLayout`'s panes, the footer's placements, the
/// table's and the timeline's rows and first rows, the graph's layout and scroll offset — so a
/// click lands on what was drawn where it was made.
enum ConsoleHitTest {
    enum Target: Equatable {
        /// A footer hint: a click on it presses its key.
        case hint(FooterHint)
        /// A pane, and the step a click there selects: the step of the row or node under the
        /// pointer, the first instance of a collapsed group (the selection itself when it is in
        /// that group); nil on an empty spot or an expanded group's header.
        case pane(Pane, step: Int?)
        /// The header, the status line, a border, the replay's bar.
        case nothing
    }

    /// What is at a screen cell.
    static func target(atX x: Int, y: Int, in state: AppState, context: ConsoleContext) -> Target {
        let layout = ConsoleLayout(state)
        guard !layout.isTooSmall else { return .nothing }
        if layout.footer.contains(x: x, y: y) {
            // The search prompt takes the footer's row while it is typed.
            guard state.logView.typing == nil,
                  let hint = FooterView.hint(atX: x, y: y, of: ConsoleView.footerHints(state, context: context), in: layout.footer)
            else { return .nothing }
            return .hint(hint)
        }
        guard let pane = pane(atX: x, y: y, in: layout) else { return .nothing }
        let inner = PaneFrame.inner(of: layout.rect(of: pane))
        guard inner.contains(x: x, y: y) else { return .nothing }
        let grouping = context.grouping(state)
        switch pane {
        case .graph where state.showsTimeline:
            guard state.timeline.hasStarted else { return .pane(.graph, step: nil) }
            let row = TimelineView.row(atY: y, in: inner, rows: grouping.rows, top: state.timelineTop)
            return .pane(.graph, step: row.flatMap { step(for: $0, in: state, grouping: grouping) })
        case .graph:
            return .pane(.graph, step: graphStep(atX: x, y: y, in: inner, state: state, context: context))
        case .steps:
            let rows = StepTable.rows(for: state, grouping: grouping)
            let row = StepTable.row(atY: y, in: inner, rows: rows, top: state.tableTop)
            return .pane(.steps, step: row.flatMap { step(for: $0, in: state, grouping: grouping) })
        case .logs, .details:
            return .pane(pane, step: nil)
        }
    }

    /// The pane whose rectangle, border included, holds a screen cell.
    static func pane(atX x: Int, y: Int, in layout: ConsoleLayout) -> Pane? {
        Pane.allCases.first { layout.rect(of: $0).contains(x: x, y: y) }
    }

    /// The step a table or timeline row selects, as the movement keys would.
    private static func step(for row: StepRow, in state: AppState, grouping: StepGrouping) -> Int? {
        // A collapsed group's header keeps the instance it stands for.
        if case .group(let group, expanded: false) = row, group == state.selectedGroup { return state.selected }
        return grouping.selection(of: row)
    }

    /// The step of the graph node at a cell of the graph pane's inner area.
    private static func graphStep(atX x: Int, y: Int, in inner: Rect, state: AppState, context: ConsoleContext) -> Int? {
        let compact = ConsoleUpdate.isCompact(state, context: context)
        let scroll = (state.graphScroll.x, state.graphScroll.y)
        if !compact, let neighbourhood = context.neighbourhood(state) {
            let area = GraphNeighbourhood.drawingArea(in: inner)
            guard let index = neighbourhood.layout.step(atX: x, y: y, in: area, scroll: scroll, compact: false) else { return nil }
            return context.step(ofShownNode: neighbourhood.shownNode[index], state: state)
        }
        guard let groups = context.shownGroups(state) else {
            return context.graph.step(atX: x, y: y, in: inner, scroll: scroll, compact: compact)
        }
        guard let node = groups.layout.step(atX: x, y: y, in: inner, scroll: scroll, compact: compact) else { return nil }
        let steps = groups.stepsOfNode[node]
        // A collapsed group's node selects its first instance, as the arrow keys do.
        return steps.contains(state.selected) ? state.selected : steps.first
    }
}
