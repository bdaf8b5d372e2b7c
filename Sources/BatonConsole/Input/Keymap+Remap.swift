import BatonTerminal

extension Keymap {
    /// This keymap with the keys of some actions replaced, everything else (order, labels,
    /// help, the footer's choice) kept.
    public func remapping(_ keys: [ConsoleAction: [Key]]) -> Keymap {
        Keymap(bindings: bindings.remapping(keys))
    }

    /// Every key bound to more than one action, with those actions in table order; keys in
    /// the order they first appear.
    public func clashes() -> [(key: Key, actions: [ConsoleAction])] { bindings.clashes() }
}
