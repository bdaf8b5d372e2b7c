import Yams

extension WorkflowDecoder {
    /// True for an empty value (`YAMLValue.isNull`).
    func isNull(_ node: Node) -> Bool { YAMLValue.isNull(node) }

    /// How a node reads in a message (`YAMLValue.describe`).
    func describe(_ node: Node) -> String { YAMLValue.describe(node) }

    /// `text` cut to a length that fits in a message (`YAMLValue.abbreviated`).
    static func abbreviated(_ text: String) -> String { YAMLValue.abbreviated(text) }

    /// The scalar text of a node; nil without a problem for an empty value, nil with a problem
    /// for a mapping or list.
    func string(_ node: Node, _ label: FieldLabel) -> String? {
        guard case .scalar(let scalar) = node else {
            report("\(label) must be a string, not \(describe(node))", at: node)
            return nil
        }
        if isNull(node) { return nil }
        if scalar.tag.rawValue.hasPrefix("!") {
            report(
                "\(label) starts with '\(scalar.tag.rawValue)', which YAML reads as a tag; put the whole value in quotes",
                at: node
            )
            return nil
        }
        return scalar.string
    }

    /// `true` or `false`.
    func bool(_ node: Node, _ label: FieldLabel) -> Bool? {
        YAMLValue.boolean(node, "\(label)") { report($0, at: node) }
    }

    /// A whole number within `minimum...maximum`.
    func integer(_ node: Node, _ label: FieldLabel, minimum: Int, maximum: Int, expected: String) -> Int? {
        if isNull(node) { return nil }
        guard case .scalar(let scalar) = node else {
            report("\(label) must be \(expected), not \(describe(node))", at: node)
            return nil
        }
        let text = scalar.string
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            report("\(label) must be \(expected), not \(describe(node))", at: node)
            return nil
        }
        if text.hasPrefix("-"), digits.contains(where: { $0 != "0" }) {
            report("\(label) must be \(expected); '\(text)' is negative", at: node)
            return nil
        }
        guard let value = Int(digits), value >= minimum, value <= maximum else {
            report("\(label) must be \(expected), not '\(Self.abbreviated(text))'", at: node)
            return nil
        }
        return value
    }

    /// A chance from 0 to 1, such as `0.25`.
    func fraction(_ node: Node, _ label: FieldLabel) -> Double? {
        if isNull(node) { return nil }
        let expected = "a chance from 0 to 1, such as 0.25"
        guard case .scalar(let scalar) = node, scalar.style == .plain else {
            report("\(label) must be \(expected), not \(describe(node))", at: node)
            return nil
        }
        let text = scalar.string
        let allowed = text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D }
        guard allowed, let value = Double(text), value.isFinite else {
            report("\(label) must be \(expected), not '\(Self.abbreviated(text))'", at: node)
            return nil
        }
        guard value >= 0, value <= 1 else {
            report("\(label) must be \(expected); '\(Self.abbreviated(text))' is \(value < 0 ? "negative" : "more than 1")", at: node)
            return nil
        }
        return value
    }

    /// A duration such as `30s`; zero only when `allowZero`.
    func duration(_ node: Node, _ label: FieldLabel, allowZero: Bool) -> Duration? {
        if isNull(node) { return nil }
        guard case .scalar(let scalar) = node else {
            report("\(label) must be a duration such as 500ms, 30s, 5m or 1h, not \(describe(node))", at: node)
            return nil
        }
        let text = scalar.string
        if text.hasPrefix("-") {
            report("\(label) cannot be negative: '\(Self.abbreviated(text))'", at: node)
            return nil
        }
        guard let duration = DurationParser.parse(text) else {
            report("\(label): '\(Self.abbreviated(text))' is not a duration; write e.g. 500ms, 30s, 5m, 1h", at: node)
            return nil
        }
        if !allowZero, duration == .zero {
            report("\(label) must be longer than zero", at: node)
            return nil
        }
        return duration
    }

    /// A list of strings, or a single string when `allowSingle`; each with its node.
    func stringList(_ node: Node, _ label: FieldLabel, of noun: String, allowSingle: Bool) -> [(String, Node)]? {
        if isNull(node) { return nil }
        switch node {
        case .sequence(let sequence):
            var items: [(String, Node)] = []
            items.reserveCapacity(sequence.count)
            for item in sequence {
                guard case .scalar(let scalar) = item, !isNull(item) else {
                    report("each entry of \(label) must be a string, not \(describe(item))", at: item)
                    continue
                }
                items.append((scalar.string, item))
            }
            return items
        case .scalar(let scalar) where allowSingle:
            return [(scalar.string, node)]
        default:
            report("\(label) must be a list of \(noun), not \(describe(node))", at: node)
            return nil
        }
    }

    /// A mapping of environment variable names to values; values are taken as text.
    func environment(_ node: Node, _ label: FieldLabel) -> [String: String] {
        if isNull(node) { return [:] }
        guard case .mapping = node else {
            report("\(label) must be a mapping of variable names to values, not \(describe(node))", at: node)
            return [:]
        }
        var result: [String: String] = [:]
        for entry in entries(of: node) {
            guard let name = entry.key else {
                report("variable names in \(label) must be plain strings, not \(describe(entry.keyNode))", at: entry.keyNode)
                continue
            }
            guard Self.isEnvironmentName(name) else {
                report(
                    "'\(Self.abbreviated(name))' in \(label) is not a valid variable name; use letters, digits and '_', not starting with a digit",
                    at: entry.keyNode
                )
                continue
            }
            guard case .scalar(let scalar) = entry.value else {
                report("'\(name)' in \(label) must be a string, not \(describe(entry.value))", at: entry.value)
                continue
            }
            result[name] = isNull(entry.value) ? "" : scalar.string
        }
        return result
    }

    /// The names listed under `secrets:`.
    func secretNames(_ node: Node) -> [String] {
        guard let items = stringList(node, FieldLabel("secrets"), of: "environment variable names", allowSingle: false) else { return [] }
        var names: [String] = []
        var seen: Set<String> = []
        for (name, item) in items {
            guard Self.isEnvironmentName(name) else {
                report(
                    "'\(Self.abbreviated(name))' in 'secrets' is not a valid variable name; use letters, digits and '_', not starting with a digit",
                    at: item
                )
                continue
            }
            if seen.insert(name).inserted { names.append(name) }
        }
        return names
    }

    /// The value of `on_failure:`.
    func failurePolicy(_ node: Node) -> FailurePolicy? {
        guard let text = string(node, FieldLabel("on_failure")) else { return nil }
        if let policy = FailurePolicy(rawValue: text) { return policy }
        let names = FailurePolicy.allCases.map(\.rawValue)
        let hint = Suggestion.hint(for: text, among: names)
        report(
            "'on_failure' must be one of \(names.joined(separator: ", ")), not '\(Self.abbreviated(text))'\(hint)",
            at: node
        )
        return nil
    }

    /// Whether `name` is a portable environment variable name: `[A-Za-z_][A-Za-z0-9_]*`.
    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F
        }
    }
}
