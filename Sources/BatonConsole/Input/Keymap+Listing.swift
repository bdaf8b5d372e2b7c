extension Keymap {
    /// The key table as `baton config --keys` prints it (`ActionBinding+Listing`); actions in
    /// `remapped` are marked with `*`.
    public func listing(remapped: Set<ConsoleAction> = []) -> [String] { bindings.listing(remapped: remapped) }
}
