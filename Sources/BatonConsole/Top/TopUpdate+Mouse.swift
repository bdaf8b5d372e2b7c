import BatonTerminal

extension TopUpdate {
    /// How soon a second click on a run must follow the first to open it, in seconds.
    static let doubleClickInterval = 0.4

    /// A click or a turn of the wheel: a click on a run's row selects it, a second one on it
    /// soon after opens it as Enter does; a click on a footer hint presses its key; the wheel
    /// moves the selection a row per notch. With the help open, the wheel scrolls it and a
    /// click does nothing.
    static func handle(_ event: MouseEvent, in state: inout TopState) -> [TopEffect] {
        let layout = TopLayout(width: state.width, height: state.height)
        guard !layout.isTooSmall else { return [] }
        switch event.kind {
        case .wheelUp, .wheelDown:
            let key: Key = event.kind == .wheelDown ? .down : .up
            // The help scrolls, and the list moves, as the arrow keys do.
            return handle(key, in: &state)
        case .press where event.button == 1 && state.help == nil:
            return click(atX: event.x, y: event.y, in: &state, layout: layout)
        default:
            return []
        }
    }

    private static func click(atX x: Int, y: Int, in state: inout TopState, layout: TopLayout) -> [TopEffect] {
        if layout.footer.contains(x: x, y: y) {
            let hint = FooterView.hint(atX: x, y: y, of: state.keymap.footerHints(for: state.selectedRun), in: layout.footer)
            return hint?.key.map { handle($0, in: &state) } ?? []
        }
        guard layout.list.contains(x: x, y: y) else { return [] }
        let index = state.top + y - layout.list.y
        guard state.runs.indices.contains(index) else { return [] }
        // A click answers the last message, as a key does.
        state.status = nil
        let id = state.runs[index].id
        if let last = state.lastClick, last.runID == id, state.now - last.time <= doubleClickInterval, state.selectedRun?.id == id {
            state.lastClick = nil
            return handle(.enter, in: &state)
        }
        state.select(index)
        state.lastClick = (id, state.now)
        return []
    }
}
