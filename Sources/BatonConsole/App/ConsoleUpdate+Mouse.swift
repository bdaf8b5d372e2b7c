import BatonEngine
import BatonTerminal

extension ConsoleUpdate {
    /// The rows (or lines) one notch of the wheel scrolls.
    static let wheelRows = 3
    /// The columns one notch of the wheel scrolls the graph sideways, with Shift held.
    static let wheelColumns = 8

    /// A click or a turn of the wheel.
    ///
    /// A left press is the click (nothing waits for the release): on a footer hint it presses
    /// the hint's key; on a step of the graph, the timeline or the steps table it selects the
    /// step, as the keys would (a collapsed group's node or header selects the group), and
    /// focuses that pane; anywhere else in a pane it focuses the pane. The wheel scrolls the
    /// pane under the pointer and leaves the focus and the selection alone. While a dialog is
    /// open only the dialog takes the mouse, and while the step finder is open nothing does
    /// (its keys decide where it goes, and Esc what comes back); other buttons do nothing.
    static func handle(_ event: MouseEvent, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        guard !ConsoleLayout(state).isTooSmall, state.finder == nil else { return [] }
        if state.dialog != nil {
            handleDialog(event, in: &state)
            return []
        }
        switch event.kind {
        case .wheelUp, .wheelDown:
            scroll(by: event.kind == .wheelDown ? wheelRows : -wheelRows, sideways: event.modifiers.contains(.shift),
                   atX: event.x, y: event.y, in: &state, context: context)
            return []
        case .press where event.button == 1:
            return click(atX: event.x, y: event.y, in: &state, context: context)
        default:
            return []
        }
    }

    private static func click(atX x: Int, y: Int, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        switch ConsoleHitTest.target(atX: x, y: y, in: state, context: context) {
        case .hint(let hint):
            guard let key = hint.key else { return [] }
            return handle(key, in: &state, context: context)
        case .pane(let pane, let step):
            // The search prompt keeps the keys while it is typed; a click elsewhere leaves it be.
            guard state.panes.log.typing == nil else { return [] }
            state.focus = pane
            if let step {
                // A step chosen by hand ends following the action, as the keys do.
                state.followsActivity = false
                select(step, in: &state, context: context)
            }
            return []
        case .nothing:
            return []
        }
    }

    /// Inside a dialog: the wheel scrolls the help, a click on a text field gives it the
    /// typing. Everything else, a click outside the dialog included, is ignored: the dialog
    /// waits for its answer.
    private static func handleDialog(_ event: MouseEvent, in state: inout AppState) {
        guard var dialog = state.dialog else { return }
        switch (event.kind, dialog.kind) {
        case (.wheelUp, .help), (.wheelDown, .help):
            let delta = event.kind == .wheelDown ? wheelRows : -wheelRows
            // As far as the keys scroll it: its last line at the bottom of the box.
            dialog.scroll = max(0, min(dialog.scroll + delta, DialogView.helpScrollLimit(rows: DialogView.helpRowCount(dialog, screenWidth: state.width), screenHeight: state.height)))
        case (.press, .decision) where event.button == 1:
            // Where the box sits depends on neither the theme nor UTF-8 (the countdown's mark
            // is one column either way).
            let area = Rect(x: 0, y: 0, width: state.width, height: state.height)
            guard let field = DialogView(dialog: dialog, theme: .builtInDark, unicode: true, now: state.now).field(atX: event.x, y: event.y, in: area)
            else { return }
            dialog.focus = field
        default:
            return
        }
        state.dialog = dialog
    }

    /// Scrolls the pane under the pointer by `rows` (down when positive), or the graph by
    /// columns when `sideways`, through the type of the kind of pane it shows.
    private static func scroll(by rows: Int, sideways: Bool, atX x: Int, y: Int, in state: inout AppState, context: ConsoleContext) {
        guard let pane = ConsoleHitTest.pane(atX: x, y: y, in: ConsoleLayout(state)) else { return }
        state.content(of: pane).pane.scroll(by: rows, sideways: sideways, in: &state, context: context)
    }
}
