/// An action a config file can give keys by name: the console's (`keys:`) and `baton top`'s
/// (`top_keys:`), so both sections are read, checked and listed by the same code.
public protocol ConfigurableAction: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == String, AllCases: Collection {}

extension ConfigurableAction {
    /// The action's name in the config file, kebab-case: `pause-run`, `page-down`.
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
        if let action = Self(rawValue: configName) {
            self = action
        } else if let action = Self.allCases.first(where: { $0.configName == configName }) {
            self = action
        } else {
            return nil
        }
    }
}
