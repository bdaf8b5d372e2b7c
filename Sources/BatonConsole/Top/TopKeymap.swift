import BatonTerminal

/// `baton top`'s keys: input handling, the footer, footer clicks and the help overlay all read
/// the one keymap top was given (`TopState.keymap`).
///
/// ``defaultBindings`` is the built-in table; a config file's `top_keys:` makes another keymap
/// from it (`TopKeymap+Remap`), so the keys can never differ between what acts and what is shown.
public struct TopKeymap: Sendable, Hashable {
    public struct Binding: ActionBinding, Hashable {
        public var keys: [Key]
        public var action: TopAction
        /// A word or two for the footer.
        public var label: String
        /// A sentence for the help overlay.
        public var help: String
        public var inFooter: Bool
        /// The heading `baton config --keys` lists it under.
        public var group: String

        /// The keys as a person reads them: "Up/k".
        public var keyNames: String { keys.map(\.name).joined(separator: "/") }
    }

    /// Every binding, in the order the help overlay and the footer list them.
    public let bindings: [Binding]
    private let byKey: [Key: TopAction]

    /// A keymap of `bindings`; a key bound twice acts for the first binding that has it.
    public init(bindings: [Binding]) {
        self.bindings = bindings
        var table: [Key: TopAction] = [:]
        for binding in bindings {
            for key in binding.keys where table[key] == nil { table[key] = binding.action }
        }
        byKey = table
    }

    /// The built-in keys.
    public static let standard = TopKeymap(bindings: defaultBindings)

    /// The built-in table of keys.
    public static let defaultBindings: [Binding] = [
        Binding(keys: [.up, .character("k")], action: .up, label: "up", help: "Select the run above", inFooter: false, group: "Select"),
        Binding(keys: [.down, .character("j")], action: .down, label: "down", help: "Select the run below", inFooter: false, group: "Select"),
        Binding(keys: [.pageUp], action: .pageUp, label: "page up", help: "Up a screenful", inFooter: false, group: "Select"),
        Binding(keys: [.pageDown], action: .pageDown, label: "page down", help: "Down a screenful", inFooter: false, group: "Select"),
        Binding(keys: [.character("g"), .home], action: .first, label: "first", help: "Select the first run", inFooter: false, group: "Select"),
        Binding(keys: [.character("G"), .end], action: .last, label: "last", help: "Select the last run", inFooter: false, group: "Select"),
        Binding(
            keys: [.enter], action: .open, label: "open",
            help: "A live run: its console, baton attach RUN (leave it to come back).\nA run nobody serves: baton replay RUN, opened at its end.",
            inFooter: true, group: "Top"),
        Binding(keys: [.character("?")], action: .help, label: "help", help: "Show every key and how the list is ordered", inFooter: true, group: "Top"),
        Binding(keys: [.character("q"), .control("c")], action: .quit, label: "quit", help: "Quit baton top (the runs go on)", inFooter: true, group: "Top"),
    ]

    /// The action bound to a key, if any.
    public func action(for key: Key) -> TopAction? { byKey[key] }

    /// The binding of an action.
    public func binding(for action: TopAction) -> Binding? {
        bindings.first { $0.action == action }
    }

    /// The footer's hints for the selected run, in table order: Enter says what it would do
    /// to that run. A click on a hint presses its key.
    public func footerHints(for selected: TopRun?) -> [FooterHint] {
        let open = selected.map { $0.isLive ? "attach" : "replay" }
        let select = [TopAction.down, .up].map(selectionKeyName(for:)).joined(separator: "/")
        return [FooterHint(keys: select, label: "select", key: nil)] + bindings.filter(\.inFooter).compactMap { binding in
            let label = binding.action == .open ? open : binding.label
            return label.map { FooterHint(keys: binding.keys.first?.name ?? "", label: $0, key: binding.keys.first) }
        }
    }

    /// The key the footer's "select" hint names for moving down or up: a letter when the
    /// action has one (the arrows go without saying), else its first key.
    private func selectionKeyName(for action: TopAction) -> String {
        let keys = binding(for: action)?.keys ?? []
        let letter = keys.first { if case .character = $0 { true } else { false } }
        return (letter ?? keys.first)?.name ?? "?"
    }
}
