import Foundation

/// The help overlay's lines, generated from the keymap so they can never disagree with it.
public enum HelpText {
    public static func lines() -> [String] {
        var lines: [String] = []
        var group = ""
        let width = Keymap.bindings.map { $0.keyNames.count }.max() ?? 8
        for binding in Keymap.bindings {
            if binding.group != group {
                if !lines.isEmpty { lines.append("") }
                group = binding.group
                lines.append(group)
            }
            let keys = binding.keyNames.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("  \(keys)  \(binding.help)")
        }
        lines.append("")
        lines.append("In dialogs: Enter confirms, Esc closes. In search: type, Enter searches, Esc cancels.")
        return lines
    }
}
