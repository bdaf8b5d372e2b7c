import BatonEngine
import BatonTerminal

/// The steps table's pane: the movement keys move the selection down its rows, ←/→ scroll it
/// sideways.
enum StepsPane: ConsolePane {
    static let kind = PaneKind.steps
    static let name = "Steps"
    static let keys: [ConsoleAction] = [.up, .down, .left, .right, .pageUp, .pageDown, .top, .bottom,
                                        .sort, .filter, .onlyFailed, .onlyWaiting, .onlyRunning, .allSteps, .toggleGroup]

    /// The furthest the table scrolls sideways: far enough for long ids and needs.
    static let maxColumn = 400

    static func render(_ drawing: PaneDrawing, into buffer: inout Buffer) {
        let state = drawing.state
        let sort = state.tableSort == .file ? "" : " — by \(state.tableSort.rawValue)"
        let sideways = state.panes.steps.column > 0 ? " — → column \(state.panes.steps.column + 1)" : ""
        let area = drawing.frame("Steps\(sort)\(state.tableFilterNote)\(sideways)", into: &buffer)
        StepTable(state: state, grouping: drawing.grouping, theme: drawing.theme, unicode: drawing.unicode).render(into: &buffer, area: area)
    }

    static func navigate(_ action: ConsoleAction, in state: inout AppState, context: ConsoleContext) {
        if action == .left || action == .right {
            // For NEEDS and anything else the pane's edge cuts.
            state.panes.steps.scrollSideways(action, limit: maxColumn)
        } else {
            moveSelection(action, in: &state, context: context)
        }
    }

    static func scroll(by rows: Int, sideways: Bool, in state: inout AppState, context: ConsoleContext) {
        let count = StepTable.rows(for: state, grouping: context.grouping(state)).count
        state.panes.steps.scroll(by: rows, count: count, visible: PaneFrame.listRows(inHeight: inner(state).height), tails: false)
    }

    static func step(atX x: Int, y: Int, in area: Rect, state: AppState, context: ConsoleContext) -> Int? {
        let grouping = context.grouping(state)
        let rows = StepTable.rows(for: state, grouping: grouping)
        return StepTable.row(atY: y, in: area, rows: rows, top: state.panes.steps.top).flatMap { step(for: $0, in: state, grouping: grouping) }
    }

    /// Moves the selection down the table's rows as a movement key does; the graph's keys go on
    /// in this order where the graph has no neighbour.
    static func moveSelection(_ action: ConsoleAction, in state: inout AppState, context: ConsoleContext) {
        let rows = StepTable.rows(for: state, grouping: context.grouping(state))
        ConsoleUpdate.move(action, among: rows, page: ConsoleLayout(state).listRows(kind.slot), in: &state, context: context)
    }

    /// The step a click on a table or timeline row selects, as the movement keys would.
    static func step(for row: StepRow, in state: AppState, grouping: StepGrouping) -> Int? {
        // A collapsed group's header keeps the instance it stands for.
        if case .group(let group, expanded: false) = row, group == state.selectedGroup { return state.selected }
        return grouping.selection(of: row)
    }
}
