import Yams

/// How Baton reads plain YAML values, the same in every file it loads (workflows, inventories,
/// themes, the console's config): what counts as empty, as a boolean, and how a value reads in
/// a message. The decoders report problems their own way; what a value is, is decided here.
package enum YAMLValue {
    /// True for an empty value: nothing after the colon, `~` or `null`, unquoted.
    package static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain,
              scalar.tag.rawValue.isEmpty || scalar.tag.rawValue == Tag.Name.null.rawValue else {
            return false
        }
        switch scalar.string {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    /// `true` or `false` as YAML 1.2's core schema spells them; nil for anything else.
    package static func boolean(_ node: Node) -> Bool? {
        guard case .scalar(let scalar) = node else { return nil }
        switch scalar.string {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// `true` or `false`, read alike in every file: nil without a problem for an empty value,
    /// which is a value not given; nil with a problem given to `report` for anything else.
    package static func boolean(_ node: Node, _ what: String, report: (String) -> Void) -> Bool? {
        if isNull(node) { return nil }
        if let value = boolean(node) { return value }
        report("\(what) must be true or false, not \(describe(node))")
        return nil
    }

    /// Text: nil without a problem for an empty value, nil with a problem given to `report`
    /// for a mapping or a list.
    package static func text(_ node: Node, _ what: String, report: (String) -> Void) -> String? {
        guard case .scalar(let scalar) = node else {
            report("\(what) must be text, not \(describe(node))")
            return nil
        }
        return isNull(node) ? nil : scalar.string
    }

    /// How a node reads in a message: "a mapping", "a list", "an empty value" or the quoted text.
    package static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if isNull(node) { return "an empty value" }
            return "'\(abbreviated(scalar.string))'"
        }
    }

    /// `text` cut to a length that fits in a message: its first line, at most 40 characters.
    package static func abbreviated(_ text: String) -> String {
        let singleLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        if singleLine.count <= 40, singleLine.count == text.count { return singleLine }
        return String(singleLine.prefix(40)) + "…"
    }

    /// One entry of a mapping whose keys are names: the key as written (a repeated key the
    /// composer renamed reads as written), its node and its value.
    package struct NamedEntry {
        package var key: String
        package var keyNode: Node
        package var value: Node
    }

    /// The entries of a mapping whose keys are names, in order; a key that is not a name, or
    /// that repeats an earlier one, is given to `report` (with the node to place it at) and
    /// left out. `renamed` gives a repeated key's original text where the composer renamed it.
    package static func namedEntries(
        of node: Node, in place: String, renamed: (Node) -> String?, report: (String, Node) -> Void
    ) -> [NamedEntry] {
        guard case .mapping(let mapping) = node else { return [] }
        var result: [NamedEntry] = []
        var seen: [String: SourceLocation] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode, !isNull(keyNode) else {
                report("keys in \(place) must be names, not \(describe(keyNode))", keyNode)
                continue
            }
            let key = renamed(keyNode) ?? scalar.string
            if let first = seen[key] {
                report("duplicate key '\(abbreviated(key))' in \(place); it is first given at line \(first.line), column \(first.column)", keyNode)
                continue
            }
            seen[key] = SourceLocation(of: keyNode)
            result.append(NamedEntry(key: key, keyNode: keyNode, value: value))
        }
        return result
    }
}
