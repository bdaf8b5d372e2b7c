import BatonEngine
import BatonTerminal

/// The console's `view`: draws the whole screen for a state into a new buffer.
public enum ConsoleView {
    public static func render(_ state: AppState, context: ConsoleContext, theme: Theme, unicode: Bool) -> Buffer {
        let buffer = draw(state, context: context, theme: theme, unicode: unicode)
        return unicode ? buffer : buffer.asciiOnly()
    }

    private static func draw(_ state: AppState, context: ConsoleContext, theme: Theme, unicode: Bool) -> Buffer {
        var buffer = Buffer(width: state.width, height: state.height, fill: Cell(" ", style: theme.style(.text)))
        let layout = ConsoleLayout(state)
        if layout.isTooSmall {
            TooSmallView(theme: theme).render(into: &buffer, area: buffer.area)
            return buffer
        }
        HeaderView(state: state, theme: theme, unicode: unicode).render(into: &buffer, area: layout.header)

        let states = state.workflow.steps.indices.map { state.stepState($0) }
        let grouping = context.grouping(state)
        for pane in Pane.allCases {
            let rect = layout.rect(of: pane)
            guard rect.area > 0 else { continue }
            // Each slot is drawn by the type of the kind of pane it shows: the one place that
            // maps a `PaneKind` to its drawing.
            let drawing = PaneDrawing(state: state, context: context, states: states, grouping: grouping, theme: theme, unicode: unicode,
                                      rect: rect, focused: state.focus == pane)
            state.content(of: pane).pane.render(drawing, into: &buffer)
        }

        if let replay = state.replay {
            ReplayBar(replay: replay, theme: theme, unicode: unicode).render(into: &buffer, area: layout.replayBar)
        }
        StatusView(status: state.status, theme: theme).render(into: &buffer, area: layout.status)
        FooterView(theme: theme, searchPrompt: state.panes.log.typing, offered: footerHints(state, context: context))
            .render(into: &buffer, area: layout.footer)
        if state.finder != nil {
            // Over the log pane, beside the table it narrows and below the graph it selects in.
            let finder = StepFinderView(state: state, theme: theme, unicode: unicode)
            finder.render(into: &buffer, area: layout.logs)
            finder.renderKeys(into: &buffer, area: layout.footer, boxShown: StepFinderView.fits(layout.logs))
        }
        if let dialog = state.dialog {
            DialogView(dialog: dialog, theme: theme, unicode: unicode, now: state.now).render(into: &buffer, area: buffer.area)
        }
        return buffer
    }

    /// The key hints the footer shows: a replay's playback keys, or what the rule book offers
    /// now. A click on one presses its key (`ConsoleHitTest`).
    static func footerHints(_ state: AppState, context: ConsoleContext) -> [FooterHint] {
        state.replay != nil ? state.keymap.replayFooterHints : ActionOffers.footerHints(in: state, plan: context.plan)
    }

}
