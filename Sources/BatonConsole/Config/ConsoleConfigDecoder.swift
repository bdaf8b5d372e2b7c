import BatonEngine
import BatonTerminal
import Yams

/// Reads a composed config document into a ``ConsoleConfig``, collecting every problem with
/// its position: unknown keys and actions with a did-you-mean, wrong types, keys that are
/// not keys, and two actions on one key (in `keys:`, and apart from them in `top_keys:`).
struct ConsoleConfigDecoder: YAMLFileDecoder {
    let file: String
    /// The original text of repeated keys `YAMLComposer` renamed, by position.
    let renamedKeys: [SourceLocation: String]
    private(set) var problems: [SourceProblem] = []

    init(file: String, renamedKeys: [SourceLocation: String]) {
        self.file = file
        self.renamedKeys = renamedKeys
    }

    static let topLevelKeys = ["theme", "bell", "mouse", "read_only", "follow_action", "keys", "top_keys"]

    /// The problems each once, by position, then in the order found.
    var sortedProblems: [SourceProblem] { SourceProblem.ordered(problems) }

    mutating func decode(_ root: Node, into config: inout ConsoleConfig) {
        guard case .mapping = root else {
            report("the config file must be a mapping of keys such as 'theme', 'bell' and 'keys', not \(describe(root))", at: root)
            return
        }
        for entry in entries(of: root, in: "the top level") {
            switch entry.key {
            case "theme":
                guard let text = string(entry.value, what: "'theme'") else { break }
                if text.trimmingCharacters(in: .whitespaces).isEmpty {
                    report("'theme' must name a theme or a theme file", at: entry.value)
                } else {
                    config.theme = text
                    config.themeLocation = SourceLocation(of: entry.value)
                }
            case "bell": config.bell = bool(entry.value, what: "'bell'")
            case "mouse": config.mouse = bool(entry.value, what: "'mouse'")
            case "read_only": config.readOnly = bool(entry.value, what: "'read_only'")
            case "follow_action": config.followAction = bool(entry.value, what: "'follow_action'")
            case "keys": config.keys = keys(entry.value, section: "keys", example: "retry: R", defaults: Keymap.defaultBindings)
            case "top_keys": config.topKeys = keys(entry.value, section: "top_keys", example: "open: o", defaults: TopKeymap.defaultBindings)
            default:
                report(
                    "unknown key '\(entry.key)'\(Suggestion.hint(for: entry.key, among: Self.topLevelKeys)) (keys are: \(Self.topLevelKeys.joined(separator: ", ")))",
                    at: entry.keyNode)
            }
        }
    }

    // MARK: - keys: and top_keys:

    /// Where each remapped key is written, for the clash messages.
    private struct Placed {
        var key: Key
        var location: SourceLocation
    }

    /// A section of key remaps (`keys:` for the console, `top_keys:` for `baton top`): the
    /// actions of `defaults` by name, each given a key or a list of keys, checked for clashes
    /// with each other and with the defaults they leave.
    private mutating func keys<Binding: ActionBinding>(
        _ node: Node, section: String, example: String, defaults: [Binding]
    ) -> [Binding.Action: [Key]] {
        typealias Action = Binding.Action
        if isNull(node) { return [:] }
        guard case .mapping = node else {
            report("'\(section)' must be a mapping from actions to keys, such as '\(example)', not \(describe(node))", at: node)
            return [:]
        }
        var remaps: [Action: [Key]] = [:]
        var placed: [Action: [Placed]] = [:]
        var firstGiven: [Action: SourceLocation] = [:]
        let names = Action.allCases.map(\.configName)
        for entry in entries(of: node, in: "'\(section)'") {
            guard let action = Action(configName: entry.key) else {
                let hint = Suggestion.hint(for: entry.key, among: names + Action.allCases.map(\.rawValue))
                report("unknown action '\(entry.key)'\(hint) (baton config --keys lists the actions)", at: entry.keyNode)
                continue
            }
            let location = SourceLocation(of: entry.keyNode)
            if let first = firstGiven[action] {
                report("'\(entry.key)' is the action \(action.configName) again; it is first given at line \(first.line), column \(first.column)", at: entry.keyNode)
                continue
            }
            firstGiven[action] = location
            guard let keys = keyList(entry.value, action: action) else { continue }
            remaps[action] = keys.map(\.key)
            placed[action] = keys
        }
        reportClashes(in: defaults.remapping(remaps), placed: placed)
        return remaps
    }

    /// The keys of one action: a key or a list of keys, each once; nil after a problem.
    private mutating func keyList(_ node: Node, action: some ConfigurableAction) -> [Placed]? {
        let items: [Node]
        switch node {
        case .scalar where !isNull(node): items = [node]
        case .sequence(let sequence): items = Array(sequence)
        default:
            report("the keys of \(action.configName) must be a key or a list of keys, such as \"ctrl-r\" or [r, f5], not \(describe(node))", at: node)
            return nil
        }
        guard !items.isEmpty else {
            report("\(action.configName) needs at least one key", at: node)
            return nil
        }
        var keys: [Placed] = []
        var failed = false
        for item in items {
            guard case .scalar(let scalar) = item, !isNull(item) else {
                report("a key of \(action.configName) must be text such as \"x\" or \"ctrl-x\", not \(describe(item))", at: item)
                failed = true
                continue
            }
            switch KeySpelling.key(scalar.string) {
            case .failure(let error):
                report(error.message, at: item)
                failed = true
            case .success(let key):
                if keys.contains(where: { $0.key == key }) {
                    report("'\(KeySpelling.text(for: key))' is listed twice for \(action.configName)", at: item)
                } else {
                    keys.append(Placed(key: key, location: SourceLocation(of: item)))
                }
            }
        }
        return failed ? nil : keys
    }

    /// Two actions on one key: reported where the file last gives that key, naming the key,
    /// both actions and where each got it.
    private mutating func reportClashes<Binding: ActionBinding>(in bindings: [Binding], placed: [Binding.Action: [Placed]]) {
        for clash in bindings.clashes() {
            func location(of action: Binding.Action) -> SourceLocation? {
                placed[action]?.first { $0.key == clash.key }?.location
            }
            let written = clash.actions.compactMap(location(of:))
            guard let here = written.max() else { continue }
            let parts = clash.actions.map { action -> String in
                guard let at = location(of: action) else { return "\(action.configName) (its default key)" }
                return at == here ? "\(action.configName) (here)" : "\(action.configName) (line \(at.line), column \(at.column))"
            }
            let listed = parts.count == 2 ? "both \(parts[0]) and \(parts[1])"
                : parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
            problems.append(SourceProblem(
                file: file, location: here,
                message: "key '\(KeySpelling.text(for: clash.key))' is bound to \(listed); a key may do one thing, so give one of them another key"))
        }
    }

    // MARK: - Values

    typealias Entry = YAMLValue.NamedEntry

    mutating func report(_ message: String, at node: Node) {
        problems.append(SourceProblem(file: file, location: SourceLocation(of: node), message: message))
    }
}
