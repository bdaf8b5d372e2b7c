import BatonTerminal

extension TopKeymap {
    /// This keymap with the keys of some actions replaced, everything else (order, labels,
    /// help, the footer's choice) kept (`ActionBinding+Remap`).
    public func remapping(_ keys: [TopAction: [Key]]) -> TopKeymap {
        TopKeymap(bindings: bindings.remapping(keys))
    }
}
