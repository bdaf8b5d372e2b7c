import BatonEngine
import BatonTerminal

/// The timeline pane, in the graph's slot (`t`): a bar per attempt over time, the critical
/// path marked; the movement keys move the selection down its rows.
enum TimelinePane: ConsolePane {
    static let kind = PaneKind.timeline
    static let name = "Timeline"
    static let keys: [ConsoleAction] = [.up, .down, .left, .right, .pageUp, .pageDown, .top, .bottom, .toggleGroup, .timeline]

    static func render(_ drawing: PaneDrawing, into buffer: inout Buffer) {
        let state = drawing.state
        let critical = CriticalPath.steps(in: state.workflow, timeline: state.timeline, now: state.now)
        let path = critical.isEmpty ? "nothing has run yet"
            : "\(drawing.unicode ? "◆" : "*") critical path: \(critical.count) step\(critical.count == 1 ? "" : "s")"
        let area = drawing.frame("Timeline — " + path, into: &buffer)
        TimelineView(workflow: state.workflow, grouping: drawing.grouping, timeline: state.timeline, critical: Set(critical),
                     states: drawing.states, selected: state.selected, top: state.panes.timeline.top, now: state.now,
                     theme: drawing.theme, unicode: drawing.unicode)
            .render(into: &buffer, area: area)
    }

    /// The rows are the steps in file order, groups under their headers: the keys move the
    /// selection among them, as in the table.
    static func navigate(_ action: ConsoleAction, in state: inout AppState, context: ConsoleContext) {
        ConsoleUpdate.move(action, among: context.grouping(state).rows, page: ConsoleLayout(state).listRows(kind.slot), in: &state, context: context)
    }

    static func scroll(by rows: Int, sideways: Bool, in state: inout AppState, context: ConsoleContext) {
        state.panes.timeline.scroll(by: rows, count: context.grouping(state).rows.count,
                                    visible: TimelineView.visibleRows(height: inner(state).height), tails: false)
    }

    static func step(atX x: Int, y: Int, in area: Rect, state: AppState, context: ConsoleContext) -> Int? {
        guard state.timeline.hasStarted else { return nil }
        let grouping = context.grouping(state)
        return TimelineView.row(atY: y, in: area, rows: grouping.rows, top: state.panes.timeline.top)
            .flatMap { StepsPane.step(for: $0, in: state, grouping: grouping) }
    }
}
