import BatonTerminal

/// The one table of `baton top`'s keys: input handling, the footer and the help overlay read it.
public enum TopKeymap {
    public struct Binding: Sendable, Hashable {
        public var keys: [Key]
        public var action: TopAction
        /// A word or two for the footer.
        public var label: String
        /// A sentence for the help overlay.
        public var help: String
        public var inFooter: Bool

        /// The keys as a person reads them: "Up/k".
        public var keyNames: String { keys.map(\.name).joined(separator: "/") }
    }

    public static let bindings: [Binding] = [
        Binding(keys: [.up, .character("k")], action: .up, label: "up", help: "Select the run above", inFooter: false),
        Binding(keys: [.down, .character("j")], action: .down, label: "down", help: "Select the run below", inFooter: false),
        Binding(keys: [.pageUp], action: .pageUp, label: "page up", help: "Up a screenful", inFooter: false),
        Binding(keys: [.pageDown], action: .pageDown, label: "page down", help: "Down a screenful", inFooter: false),
        Binding(keys: [.character("g"), .home], action: .first, label: "first", help: "Select the first run", inFooter: false),
        Binding(keys: [.character("G"), .end], action: .last, label: "last", help: "Select the last run", inFooter: false),
        Binding(
            keys: [.enter], action: .open, label: "open",
            help: "A live run: its console, baton attach RUN (leave it to come back).\nA run nobody serves: baton replay RUN, opened at its end.",
            inFooter: true),
        Binding(keys: [.character("?")], action: .help, label: "help", help: "Show every key and how the list is ordered", inFooter: true),
        Binding(keys: [.character("q"), .control("c")], action: .quit, label: "quit", help: "Quit baton top (the runs go on)", inFooter: true),
    ]

    private static let byKey: [Key: TopAction] = {
        var table: [Key: TopAction] = [:]
        for binding in bindings {
            for key in binding.keys where table[key] == nil { table[key] = binding.action }
        }
        return table
    }()

    /// The action bound to a key, if any.
    public static func action(for key: Key) -> TopAction? { byKey[key] }

    /// The footer's hints for the selected run, in table order: Enter says what it would do
    /// to that run. A click on a hint presses its key.
    public static func footerHints(for selected: TopRun?) -> [FooterHint] {
        let open = selected.map { $0.isLive ? "attach" : "replay" }
        return [FooterHint(keys: "j/k", label: "select", key: nil)] + bindings.filter(\.inFooter).compactMap { binding in
            let label = binding.action == .open ? open : binding.label
            return label.map { FooterHint(keys: binding.keys.first?.name ?? "", label: $0, key: binding.keys.first) }
        }
    }
}
