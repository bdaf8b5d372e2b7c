import BatonEngine
import BatonTerminal

/// The audit pane, in the log's slot (`A`): the run's trail of commands, following the newest
/// until scrolled up.
enum AuditPane: ConsolePane {
    static let kind = PaneKind.audit
    static let name = "Audit"
    static let keys: [ConsoleAction] = [.up, .down, .left, .right, .pageUp, .pageDown, .top, .bottom, .wrap, .audit]

    static func render(_ drawing: PaneDrawing, into buffer: inout Buffer) {
        let state = drawing.state
        let scroll = state.panes.audit
        let title = AuditView.title(for: state.run.audit, following: scroll.follows, toggle: state.keymap.keyName(for: .audit))
        AuditView(entries: state.run.audit, top: scroll.follows ? nil : scroll.top, theme: drawing.theme, unicode: drawing.unicode,
                  wrap: state.panes.auditWraps)
            .render(into: &buffer, area: drawing.frame(title, into: &buffer))
    }

    /// Moves by entries; at the newest entry the pane follows the trail again, as the log does.
    static func navigate(_ action: ConsoleAction, in state: inout AppState, context: ConsoleContext) {
        state.panes.audit.move(action, count: state.run.audit.count, visible: ConsoleLayout(state).listRows(kind.slot), tails: true)
    }

    static func scroll(by rows: Int, sideways: Bool, in state: inout AppState, context: ConsoleContext) {
        state.panes.audit.scroll(by: rows, count: state.run.audit.count, visible: ConsoleLayout(state).listRows(kind.slot), tails: true)
    }
}
