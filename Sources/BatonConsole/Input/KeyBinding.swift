import BatonTerminal

/// One entry of the keymap: the keys, the action, and the words that explain it.
public struct KeyBinding: ActionBinding, Hashable {
    public var keys: [Key]
    public var action: ConsoleAction
    /// A word or two for the footer: "retry".
    public var label: String
    /// A sentence for the help overlay.
    public var help: String
    /// Whether the footer shows it.
    public var inFooter: Bool
    /// The heading it is listed under in the help overlay.
    public var group: String

    public init(_ keys: [Key], _ action: ConsoleAction, label: String, help: String, inFooter: Bool = false, group: String) {
        self.keys = keys
        self.action = action
        self.label = label
        self.help = help
        self.inFooter = inFooter
        self.group = group
    }

    /// The keys as a person reads them: "↑/k".
    public var keyNames: String {
        keys.map(\.name).joined(separator: "/")
    }

    /// The footer's hint for it: its first key, which a click on the hint presses.
    public var footerHint: FooterHint {
        FooterHint(keys: keys.first?.name ?? "", label: label, key: keys.first)
    }
}
