extension ConsoleAction {
    /// The action's name in the config file's `keys:`, kebab-case: `pause-run`, `next-pane`.
    /// The case name (`pauseRun`) is read too.
    public var configName: String {
        var name = ""
        for character in rawValue {
            if character.isUppercase {
                name += "-" + character.lowercased()
            } else {
                name.append(character)
            }
        }
        return name
    }

    /// The action a config file names, by its kebab-case name or its case name.
    public init?(configName: String) {
        if let action = ConsoleAction(rawValue: configName) {
            self = action
        } else if let action = ConsoleAction.allCases.first(where: { $0.configName == configName }) {
            self = action
        } else {
            return nil
        }
    }
}
