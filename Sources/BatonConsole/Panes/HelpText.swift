import BatonEngine
import Foundation

/// The help overlay's lines: the keys, generated from the keymap so they can never disagree
/// with it, then how to read the steps table.
public enum HelpText {
    public static func lines(keymap: Keymap = .standard) -> [String] {
        var lines: [String] = []
        var group = ""
        let width = keymap.bindings.map { $0.keyNames.count }.max() ?? 8
        for binding in keymap.bindings {
            if binding.group != group {
                if !lines.isEmpty { lines.append("") }
                group = binding.group
                lines.append(group)
            }
            let keys = binding.keyNames.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("  \(keys)  \(binding.help)")
        }
        lines.append("")
        lines += paneLines(keymap: keymap)
        lines.append("")
        lines.append("Steps table")
        lines.append("  TRY   attempt in its series/attempts allowed: 2/3; after an operator's retry")
        lines.append("        (r) the count of every attempt follows in brackets: 1/3 (4)")
        lines.append("  TIME  running time of its attempts (suspensions and backoffs left out);")
        lines.append("        a rollback's own time follows it, after the rolled-back mark")
        lines.append("  GROUP a fan-out's header row: ▸ collapsed, ▾ expanded ([+], [-] without UTF-8);")
        lines.append("        its counts as its STATE, its first start to its last end as its TIME")
        lines.append("")
        lines.append("Mouse")
        lines.append("  click  a step in the graph, the table or the timeline selects it and focuses its")
        lines.append("         pane; a key hint in the footer is that key; in the approval dialog, a field")
        lines.append("         takes the typing")
        lines.append("  wheel  scrolls the pane under the pointer (Shift: the graph sideways); the focus stays")
        lines.append("  --no-mouse or BATON_MOUSE=0 leaves the mouse to the terminal, to select and copy text")
        lines.append("")
        lines.append("In dialogs: Enter confirms, Esc closes. In search: type, Enter searches, Esc cancels.")
        lines.append("In the finder (:): Up/Down or Ctrl-P/Ctrl-N choose a match, Enter jumps to it and")
        lines.append("  keeps the table narrowed to the matches (0 shows every step), Esc goes back.")
        lines.append("")
        lines += textFieldLines()
        return lines
    }

    /// Which keys act in which pane, from each pane's declared keys (`ConsolePane.keys`): the
    /// movement keys it takes while it has the focus, then the keys that change what it shows.
    static func paneLines(keymap: Keymap) -> [String] {
        var lines = ["Keys by pane (the movement keys act in the pane with the focus; Tab moves it)"]
        let width = PaneKind.allCases.map { $0.pane.name.count }.max() ?? 8
        for kind in PaneKind.allCases {
            let pane = kind.pane
            let moves = pane.keys.filter(\.isMovement).map(keymap.keyName(for:)).joined(separator: " ")
            let others = pane.keys.filter { !$0.isMovement }.compactMap(keymap.binding(for:))
                .map { "\($0.keys.first?.name ?? "?") \($0.label)" }.joined(separator: ", ")
            lines.append("  \(pane.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(moves)" + (others.isEmpty ? "" : " · \(others)"))
        }
        return lines
    }

    /// The editing keys of text fields, from `LineEdit`'s table: while a field is open they
    /// edit it, and the console's keys above wait.
    static func textFieldLines() -> [String] {
        var lines = [
            "Text fields (the approval comment and values, the log search)",
            "  Typed text goes in at the cursor; Tab and Up/Down move between a dialog's fields.",
            "  A paste goes in whole, as one line: its line breaks never send. Elsewhere it does nothing.",
        ]
        let width = LineEdit.allCases.map { $0.keyNames.count }.max() ?? 8
        for edit in LineEdit.allCases {
            lines.append("  \(edit.keyNames.padding(toLength: width, withPad: " ", startingAt: 0))  \(edit.help)")
        }
        return lines
    }

    /// The help overlay for a state: what the keys do now for the selected step and the run,
    /// as the rule book allows, then every key.
    public static func lines(for state: AppState, plan: Plan) -> [String] {
        var now: [String] = []
        if state.replay == nil, let record = state.selectedRecord {
            if let group = state.selectedGroup {
                now.append("Now, for the fan-out '\(group)' (\(state.instanceCount(of: group)) instances, collapsed): e or Enter expands it; keys act on one instance")
            } else {
                let keys = ActionOffers.hint(forStepAt: state.selected, in: state, plan: plan) ?? "nothing acts on it now"
                now.append("Now, for '\(record.id)' (\(record.state.phrase)): \(keys)")
            }
            let runActions: [ConsoleAction] = [.pauseRun, .cancelRun, .rollbackRun]
            let offered = runActions.compactMap { action -> String? in
                guard let operatorAction = ActionOffers.operatorAction(for: action, in: state),
                      ActionOffers.isOffered(action, in: state, plan: plan),
                      let binding = state.keymap.binding(for: action) else { return nil }
                return "\(binding.keys.first?.name ?? "?") \(ActionOffers.phrase(operatorAction))"
            }
            now.append("The run (\(state.run.status.words)): " + (offered.isEmpty ? "nothing acts on it now" : offered.joined(separator: " · ")))
            now.append("")
        }
        return now + lines(keymap: state.keymap)
    }
}
