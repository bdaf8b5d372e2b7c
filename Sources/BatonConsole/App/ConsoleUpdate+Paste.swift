import BatonTerminal

/// Pasted text (`ConsoleMessage.paste`): it goes whole into the text field that has the
/// typing, as one line; anywhere else it does nothing, for no part of a paste is a key.
extension ConsoleUpdate {
    static func handlePaste(_ text: String, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        let line = pastedLine(text)
        if var dialog = state.dialog {
            switch dialog.kind {
            case .decision:
                if dialog.isCommentFocused {
                    dialog.comment.insert(contentsOf: line)
                } else {
                    dialog.fields[dialog.focus].editor.insert(contentsOf: line)
                }
                dialog.problem = nil
            case .confirm:
                dialog.comment.insert(contentsOf: line)
            case .help, .quit:
                return ignorePaste(in: &state)
            }
            state.dialog = dialog
        } else if var prompt = state.panes.log.typing {
            prompt.insert(contentsOf: line)
            state.panes.log.typing = prompt
        } else if var finder = state.finder {
            let before = finder.query
            finder.editor.insert(contentsOf: line)
            state.finder = finder
            if finder.query != before { finderQueryChanged(in: &state, context: context) }
        } else {
            return ignorePaste(in: &state)
        }
        return []
    }

    /// A paste as the one line a field holds: the line breaks that end it dropped, those
    /// inside it and tabs made spaces.
    static func pastedLine(_ text: String) -> String {
        var trimmed = Substring(text)
        while let last = trimmed.last, last.isNewline { trimmed = trimmed.dropLast() }
        return String(trimmed.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }

    private static func ignorePaste(in state: inout AppState) -> [ConsoleEffect] {
        state.status = StatusLine(
            "pasted text goes into a text field (a comment, \(state.keymap.keyName(for: .search)) search, \(state.keymap.keyName(for: .find)) find); here it does nothing",
            isError: false, time: state.now)
        return []
    }
}
