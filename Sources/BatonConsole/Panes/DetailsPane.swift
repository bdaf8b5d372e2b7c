import BatonEngine
import BatonTerminal

/// The details pane: the selected step's definition, state and attempts, wrapped and
/// scrolled by its rows.
enum DetailsPane: ConsolePane {
    static let kind = PaneKind.details
    static let name = "Details"
    static let keys: [ConsoleAction] = [.up, .down, .pageUp, .pageDown, .top, .bottom, .notes]

    static func render(_ drawing: PaneDrawing, into buffer: inout Buffer) {
        DetailsView(state: drawing.state, plan: drawing.context.plan, theme: drawing.theme)
            .render(into: &buffer, area: drawing.frame("Details", into: &buffer))
    }

    static func navigate(_ action: ConsoleAction, in state: inout AppState, context: ConsoleContext) {
        let area = inner(state)
        state.panes.details.move(action, count: rowCount(state, context: context, width: area.width), visible: area.height, tails: false)
    }

    static func scroll(by rows: Int, sideways: Bool, in state: inout AppState, context: ConsoleContext) {
        let area = inner(state)
        state.panes.details.scroll(by: rows, count: rowCount(state, context: context, width: area.width), visible: area.height, tails: false)
    }

    /// The rows the details take wrapped to `width`; the theme's styles do not change how they wrap.
    private static func rowCount(_ state: AppState, context: ConsoleContext, width: Int) -> Int {
        TextWrap.rowCount(DetailsView(state: state, plan: context.plan, theme: .builtInDark).lines(), width: width)
    }
}
