import BatonEngine
import BatonTerminal
import Foundation
import Yams

/// Reads a composed theme document into a ``Theme``, collecting every problem on the way.
///
/// Roles and glyphs the file leaves out take the values of ``Theme/builtInDark`` and
/// ``Theme/unicodeGlyphs``; with `requireComplete`, leaving one out is a problem instead.
struct ThemeDecoder: YAMLFileDecoder {
    let file: String
    let source: ThemeSource
    let renamedKeys: [SourceLocation: String]
    let requireComplete: Bool
    private(set) var problems: [SourceProblem] = []

    init(file: String, source: ThemeSource, renamedKeys: [SourceLocation: String], requireComplete: Bool) {
        self.file = file
        self.source = source
        self.renamedKeys = renamedKeys
        self.requireComplete = requireComplete
    }

    static let topLevelKeys = ["name", "description", "roles", "glyphs"]
    static let styleKeys = ["fg", "bg", "bold", "dim", "underline", "reverse", "italic", "blink", "attrs"]
    static let attributeNames: [(String, Style.Attributes)] = [
        ("bold", .bold), ("dim", .dim), ("underline", .underline),
        ("reverse", .reverse), ("italic", .italic), ("blink", .blink),
    ]
    /// Words people reach for that mean one of the style keys.
    static let styleKeyAliases = [
        "foreground": "fg", "background": "bg", "color": "fg", "colour": "fg",
        "attributes": "attrs", "attr": "attrs",
    ]
    static let roleNames = ThemeRole.all.map(\.name)
    static let stateNames = StepState.allCases.map(\.rawValue)

    /// The theme in `root`, or nil when the problems leave nothing to build.
    mutating func decode(root: Node, defaultName: String) -> (theme: Theme, description: String?)? {
        guard case .mapping = root else {
            report(
                "a theme file must be a mapping with keys such as 'name', 'roles' and 'glyphs', not \(describe(root))",
                at: root
            )
            return nil
        }
        var name = defaultName
        var description: String?
        var styles = Theme.builtInDark.styles
        var glyphs = Theme.unicodeGlyphs
        var sawRoles: Node?
        var sawGlyphs: Node?
        for entry in entries(of: root, in: "the top level") {
            switch entry.key {
            case "name":
                if let text = string(entry.value, what: "'name'") {
                    if text.trimmingCharacters(in: .whitespaces).isEmpty {
                        report("'name' must not be blank", at: entry.value)
                    } else {
                        name = text
                    }
                }
            case "description":
                description = string(entry.value, what: "'description'")
            case "roles":
                sawRoles = entry.keyNode
                decodeRoles(entry.value, into: &styles)
            case "glyphs":
                sawGlyphs = entry.keyNode
                decodeGlyphs(entry.value, into: &glyphs)
            default:
                report(
                    "unknown key '\(entry.key)' at the top level\(Suggestion.hint(for: entry.key, among: Self.topLevelKeys)) (keys are: \(Self.topLevelKeys.joined(separator: ", ")))",
                    at: entry.keyNode
                )
            }
        }
        if requireComplete {
            checkComplete(roles: sawRoles, glyphs: sawGlyphs, root: root)
        }
        return (Theme(name: name, styles: styles, glyphs: glyphs), description)
    }

    // MARK: - Roles

    private var definedRoles: Set<String> = []
    private var definedGlyphs: Set<String> = []

    private mutating func decodeRoles(_ node: Node, into styles: inout [ThemeRole: Style]) {
        if isNull(node) { return }
        guard case .mapping = node else {
            report("'roles' must be a mapping of role names to styles, not \(describe(node))", at: node)
            return
        }
        for entry in entries(of: node, in: "'roles'") {
            guard Self.roleNames.contains(entry.key) else {
                report("unknown role '\(entry.key)'\(roleHint(entry.key))", at: entry.keyNode)
                continue
            }
            definedRoles.insert(entry.key)
            if let style = style(entry.value, role: entry.key) {
                styles[ThemeRole(entry.key)] = style
            }
        }
    }

    private func roleHint(_ key: String) -> String {
        if Self.roleNames.contains("state.\(key)") { return "; did you mean 'state.\(key)'?" }
        let normalized = key.replacingOccurrences(of: "-", with: "_").lowercased()
        if normalized != key, Self.roleNames.contains(normalized) { return "; did you mean '\(normalized)'?" }
        let hint = Suggestion.hint(for: key, among: Self.roleNames)
        return hint.isEmpty ? " (the roles are listed in docs/themes.md)" : hint
    }

    /// The style of one role; nil when it has problems.
    private mutating func style(_ node: Node, role: String) -> Style? {
        if isNull(node) { return Style() }
        guard case .mapping = node else {
            report(
                "the style of '\(role)' must be a mapping such as {fg: 255, bg: 24, bold: true}, not \(describe(node))",
                at: node
            )
            return nil
        }
        var style = Style()
        var valid = true
        var switchedOff: [(String, Style.Attributes)] = []
        var listed: (node: Node, attributes: [(String, Style.Attributes)])?
        for entry in entries(of: node, in: "'\(role)'") {
            switch entry.key {
            case "fg", "bg":
                guard let colour = colour(entry.value, key: entry.key, role: role) else {
                    valid = false
                    continue
                }
                if entry.key == "fg" { style.foreground = colour } else { style.background = colour }
            case "attrs":
                guard let attributes = attributeList(entry.value, role: role) else {
                    valid = false
                    continue
                }
                listed = (entry.value, attributes)
                for (_, attribute) in attributes { style.attributes.insert(attribute) }
            default:
                if let attribute = Self.attributeNames.first(where: { $0.0 == entry.key }) {
                    // An empty value is an attribute not given, as everywhere in YAML Baton reads.
                    if isNull(entry.value) { continue }
                    guard let on = bool(entry.value, what: "'\(entry.key)' of '\(role)'") else {
                        valid = false
                        continue
                    }
                    if on { style.attributes.insert(attribute.1) } else { switchedOff.append(attribute) }
                    continue
                }
                valid = false
                let hint = Self.styleKeyAliases[entry.key.lowercased()].map { "; did you mean '\($0)'?" }
                    ?? Suggestion.hint(for: entry.key, among: Self.styleKeys)
                report(
                    "unknown key '\(entry.key)' in the style of '\(role)'\(hint) (keys are: \(Self.styleKeys.joined(separator: ", ")))",
                    at: entry.keyNode
                )
            }
        }
        if let listed {
            for (name, attribute) in switchedOff where listed.attributes.contains(where: { $0.1 == attribute }) {
                valid = false
                report("'attrs' of '\(role)' lists '\(name)', but '\(name)' is set to false", at: listed.node)
            }
        }
        return valid ? style : nil
    }

    /// A colour value; nil when it has problems. An empty value is the default colour.
    private mutating func colour(_ node: Node, key: String, role: String) -> Color? {
        let what = "'\(key)' of '\(role)'"
        if isNull(node) {
            if let mark = node.mark, let hex = source.unquotedHexComment(line: mark.line, from: mark.column) {
                report(
                    at: SourceLocation(line: mark.line, column: hex.column),
                    "\(what): \(hex.text) is read as a YAML comment because it is not in quotes; write \(key): \"\(hex.text)\""
                )
                return nil
            }
            return .default
        }
        guard case .scalar(let scalar) = node else {
            report("\(what) must be a colour (\(ThemeColour.expected)), not \(describe(node))", at: node)
            return nil
        }
        if let colour = ThemeColour.parse(scalar.string) { return colour }
        let word = scalar.string.lowercased().replacingOccurrences(of: "_", with: "-")
        let hint = word == "gray" || word == "grey"
            ? "; for grey use bright-black or white, or 232–255 for shades from dark to light"
            : Suggestion.hint(for: word, among: ThemeColour.words)
        report("\(what): '\(Self.abbreviated(scalar.string))' is not a colour (\(ThemeColour.expected))\(hint)", at: node)
        return nil
    }

    /// The attributes named in `attrs:`, a list or a single name; nil when it has problems.
    private mutating func attributeList(_ node: Node, role: String) -> [(String, Style.Attributes)]? {
        if isNull(node) { return [] }
        let items: [Node]
        switch node {
        case .sequence(let sequence): items = Array(sequence)
        case .scalar: items = [node]
        default:
            report("'attrs' of '\(role)' must be a list such as [bold, reverse], not \(describe(node))", at: node)
            return nil
        }
        var result: [(String, Style.Attributes)] = []
        var valid = true
        let names = Self.attributeNames.map(\.0)
        for item in items {
            guard case .scalar(let scalar) = item, !isNull(item) else {
                report("each entry of 'attrs' of '\(role)' must be an attribute name, not \(describe(item))", at: item)
                valid = false
                continue
            }
            guard let attribute = Self.attributeNames.first(where: { $0.0 == scalar.string }) else {
                report(
                    "'attrs' of '\(role)': unknown attribute '\(Self.abbreviated(scalar.string))'\(Suggestion.hint(for: scalar.string, among: names)) (attributes are: \(names.joined(separator: ", ")))",
                    at: item
                )
                valid = false
                continue
            }
            result.append(attribute)
        }
        return valid ? result : nil
    }

    // MARK: - Glyphs

    private mutating func decodeGlyphs(_ node: Node, into glyphs: inout [StepState: String]) {
        if isNull(node) { return }
        guard case .mapping = node else {
            report("'glyphs' must be a mapping of step states to characters, not \(describe(node))", at: node)
            return
        }
        for entry in entries(of: node, in: "'glyphs'") {
            guard let state = StepState(rawValue: entry.key) else {
                report("unknown glyph state '\(entry.key)'\(stateHint(entry.key))", at: entry.keyNode)
                continue
            }
            definedGlyphs.insert(entry.key)
            if let glyph = glyph(entry.value, state: entry.key) { glyphs[state] = glyph }
        }
    }

    private func stateHint(_ key: String) -> String {
        if key.hasPrefix("state."), Self.stateNames.contains(String(key.dropFirst(6))) {
            return "; did you mean '\(key.dropFirst(6))'?"
        }
        let hint = Suggestion.hint(for: key, among: Self.stateNames)
        return hint.isEmpty ? " (states are: \(Self.stateNames.joined(separator: ", ")))" : hint
    }

    /// A glyph: one character one column wide. An empty value keeps the default glyph.
    private mutating func glyph(_ node: Node, state: String) -> String? {
        if isNull(node) { return nil }
        guard case .scalar(let scalar) = node else {
            report("the glyph for '\(state)' must be a single character, not \(describe(node))", at: node)
            return nil
        }
        let text = scalar.string
        let rule = "a glyph must be one character one column wide"
        if text.isEmpty {
            report("the glyph for '\(state)' is empty; \(rule)", at: node)
            return nil
        }
        if text.count > 1 {
            report("the glyph for '\(state)' is '\(Self.abbreviated(text))', \(text.count) characters; \(rule)", at: node)
            return nil
        }
        let width = TextWidth.of(text)
        guard width == 1 else {
            let codes = text.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
            let shown = width == 0 ? codes : "'\(text)'"
            report("the glyph for '\(state)' is \(shown), which takes \(width) columns; \(rule)", at: node)
            return nil
        }
        return text
    }

    // MARK: - Completeness

    private mutating func checkComplete(roles: Node?, glyphs: Node?, root: Node) {
        let missingRoles = Self.roleNames.filter { !definedRoles.contains($0) }
        if !missingRoles.isEmpty {
            report("roles not defined: \(missingRoles.joined(separator: ", "))", at: roles ?? root)
        }
        let missingGlyphs = Self.stateNames.filter { !definedGlyphs.contains($0) }
        if !missingGlyphs.isEmpty {
            report("glyphs not defined: \(missingGlyphs.joined(separator: ", "))", at: glyphs ?? root)
        }
    }

    // MARK: - Nodes

    typealias Entry = YAMLValue.NamedEntry

    /// `text` cut to a length that fits in a message (`YAMLValue.abbreviated`).
    static func abbreviated(_ text: String) -> String { YAMLValue.abbreviated(text) }

    mutating func report(_ message: String, at node: Node) {
        problems.append(SourceProblem(file: file, location: SourceLocation(of: node), message: message))
    }

    private mutating func report(at location: SourceLocation, _ message: String) {
        problems.append(SourceProblem(file: file, location: location, message: message))
    }
}
