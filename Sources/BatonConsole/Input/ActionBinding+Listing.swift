extension Array where Element: ActionBinding {
    /// The key table as `baton config --keys` prints it: by group, each action's config name,
    /// its keys as the config file writes them, and what it does (on one line); actions in
    /// `remapped` are marked with `*`.
    public func listing(remapped: Set<Element.Action> = []) -> [String] {
        let names = map { $0.action.configName + (remapped.contains($0.action) ? " *" : "") }
        let keys = map { $0.keys.map(KeySpelling.text(for:)).joined(separator: ", ") }
        let nameWidth = names.map(\.count).max() ?? 0
        let keyWidth = keys.map(\.count).max() ?? 0
        var lines: [String] = []
        var group = ""
        for (index, binding) in enumerated() {
            if binding.group != group {
                if !lines.isEmpty { lines.append("") }
                group = binding.group
                lines.append(group)
            }
            let name = names[index].padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let key = keys[index].padding(toLength: keyWidth, withPad: " ", startingAt: 0)
            let help = binding.help.split(separator: "\n").joined(separator: " ")
            lines.append("  \(name)  \(key)  \(help)")
        }
        return lines
    }
}
