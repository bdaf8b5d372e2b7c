import BatonEngine
import BatonTerminal

/// The teaching notes pane, in the details' slot (`i`): the step's notes, the ideas its state
/// shows and the workflow's description, wrapped and scrolled by their rows.
enum NotesPane: ConsolePane {
    static let kind = PaneKind.notes
    static let name = "Notes"
    static let keys: [ConsoleAction] = [.up, .down, .pageUp, .pageDown, .top, .bottom, .notes]

    static func render(_ drawing: PaneDrawing, into buffer: inout Buffer) {
        let title = "Notes — \(drawing.state.keymap.keyName(for: .notes)) shows the details"
        NotesView(state: drawing.state, plan: drawing.context.plan, theme: drawing.theme)
            .render(into: &buffer, area: drawing.frame(title, into: &buffer))
    }

    static func navigate(_ action: ConsoleAction, in state: inout AppState, context: ConsoleContext) {
        let area = inner(state)
        state.panes.notes.move(action, count: rowCount(state, context: context, width: area.width), visible: area.height, tails: false)
    }

    static func scroll(by rows: Int, sideways: Bool, in state: inout AppState, context: ConsoleContext) {
        let area = inner(state)
        state.panes.notes.scroll(by: rows, count: rowCount(state, context: context, width: area.width), visible: area.height, tails: false)
    }

    /// The rows the notes take wrapped to `width`; the theme's styles do not change how they wrap.
    private static func rowCount(_ state: AppState, context: ConsoleContext, width: Int) -> Int {
        TextWrap.rowCount(NotesView(state: state, plan: context.plan, theme: .builtInDark).lines(), width: width)
    }
}
