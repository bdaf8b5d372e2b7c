import BatonEngine
import BatonTerminal

/// What lies under a cell of the console's screen: a footer key hint, or a pane and the step
/// its row or node there stands for.
///
/// It reads what the view draws with — `ConsoleLayout`'s panes, the footer's placements, and
/// for a step the type of the pane shown there (`ConsolePane.step(atX:y:in:state:context:)`),
/// which reads its rows and first row or its layout and scroll offset — so a click lands on
/// what was drawn where it was made.
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
            guard state.panes.log.typing == nil,
                  let hint = FooterView.hint(atX: x, y: y, of: ConsoleView.footerHints(state, context: context), in: layout.footer)
            else { return .nothing }
            return .hint(hint)
        }
        guard let pane = pane(atX: x, y: y, in: layout) else { return .nothing }
        let inner = layout.inner(pane)
        guard inner.contains(x: x, y: y) else { return .nothing }
        return .pane(pane, step: state.content(of: pane).pane.step(atX: x, y: y, in: inner, state: state, context: context))
    }

    /// The pane whose rectangle, border included, holds a screen cell.
    static func pane(atX x: Int, y: Int, in layout: ConsoleLayout) -> Pane? {
        Pane.allCases.first { layout.rect(of: $0).contains(x: x, y: y) }
    }
}
