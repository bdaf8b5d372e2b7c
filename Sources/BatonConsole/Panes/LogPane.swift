import BatonEngine
import BatonTerminal

/// The log pane: the selected step's output, following its newest lines until scrolled up,
/// or the excerpt of its file a search found; ←/→ scroll it sideways while it does not wrap.
enum LogPane: ConsolePane {
    static let kind = PaneKind.log
    static let name = "Log"
    static let keys: [ConsoleAction] = [.up, .down, .left, .right, .pageUp, .pageDown, .top, .bottom,
                                        .follow, .wrap, .search, .nextMatch, .previousMatch, .pager, .audit]

    /// The furthest the log scrolls sideways: lines longer than that read better wrapped.
    static let maxColumn = 4000

    static func render(_ drawing: PaneDrawing, into buffer: inout Buffer) {
        let view = LogView(state: drawing.state, theme: drawing.theme, unicode: drawing.unicode)
        view.render(into: &buffer, area: drawing.frame(view.title, into: &buffer))
    }

    static func navigate(_ action: ConsoleAction, in state: inout AppState, context: ConsoleContext) {
        if (action == .left || action == .right) && !state.panes.log.wrap {
            // While the log wraps there is nothing to the side: the arrows move down and up.
            state.panes.log.scroll.scrollSideways(action, limit: maxColumn)
        } else if state.shownExcerpt != nil && action == .bottom {
            // The newest lines are in memory: G leaves the file's excerpt for them.
            ConsoleUpdate.leaveExcerpt(&state)
            state.panes.log.scroll.follows = true
            state.status = StatusLine("back to the newest lines; n and N still reach the matches in the file", isError: false, time: state.now)
        } else {
            // An excerpt of the file never follows; the lines in memory follow again at their end.
            state.panes.log.scroll.move(action, count: context.logLineCount(state), visible: context.logRows(state), tails: state.shownExcerpt == nil)
        }
    }

    /// Scrolls as the movement keys do, so the log follows again at its end.
    static func scroll(by rows: Int, sideways: Bool, in state: inout AppState, context: ConsoleContext) {
        state.panes.log.scroll.scroll(by: rows, count: context.logLineCount(state), visible: context.logRows(state), tails: state.shownExcerpt == nil)
    }
}
