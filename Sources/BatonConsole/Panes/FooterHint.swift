import BatonTerminal

/// One key hint of a footer: the key as it is named, a word on what it does, and the key a
/// click on the hint presses.
public struct FooterHint: Sendable, Hashable {
    public var keys: String
    public var label: String
    /// The key a click on the hint presses; nil for a hint that only explains (`j/k select`).
    public var key: Key?

    public init(keys: String, label: String, key: Key?) {
        self.keys = keys
        self.label = label
        self.key = key
    }

    /// The hint for a key: named as the help names it.
    public init(_ key: Key, label: String) {
        self.init(keys: key.name, label: label, key: key)
    }
}
