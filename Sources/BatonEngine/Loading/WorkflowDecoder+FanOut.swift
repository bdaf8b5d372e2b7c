import Foundation
import Yams

/// Decoding of a step's fan-out: `matrix:` or `for_each:`, and the group's policy keys, which
/// also apply to `on:` naming a group (`WorkflowDecoder+Placement`).
extension WorkflowDecoder {
    /// The step keys that fan a step out, and the fan-out's policy keys.
    static let fanOutKeys = ["matrix", "for_each"] + WorkflowFormat.fanOut.names

    /// One fan-out key of a step.
    func fanOut(_ field: Entry, into decoded: inout DecodedStep) {
        guard let key = field.key else { return }
        let id = decoded.id
        let label = FieldLabel(key, step: id)
        var fanOut = decoded.fanOut ?? DecodedFanOut()
        defer { decoded.fanOut = fanOut }
        let value = field.value
        if key != "matrix" && key != "for_each" { fanOut.policyKeys.append((key, field.keyNode)) }
        switch key {
        case "matrix", "for_each":
            if fanOut.node != nil {
                report("step '\(id)' has both 'matrix' and 'for_each'; a step fans out over one of them", at: field.keyNode)
                return
            }
            fanOut.node = field.keyNode
            fanOut.source = key == "matrix" ? matrix(value, label) : items(value, label)
        case "max_parallel":
            fanOut.maxParallel = integer(value, label, minimum: 1, maximum: Int.max, expected: "a whole number of 1 or more")
        case "fail_fast":
            fanOut.failFast = bool(value, label)
        case "max_failures":
            fanOut.maxFailures = integer(value, label, minimum: 0, maximum: Int.max, expected: "a whole number of 0 or more")
        case "batch":
            fanOut.batch = batchSize(value, label)
        default:
            break
        }
    }

    /// Refuses a group policy on a step that does not fan out, and `fail_fast` with `max_failures`.
    func checkFanOut(_ decoded: inout DecodedStep, at node: Node) {
        guard let fanOut = decoded.fanOut else { return }
        if fanOut.node == nil {
            let remedy = decoded.step.host.map { "'on: \($0)' names one host; name a group to run the step on each of its hosts, or add 'matrix' or 'for_each'" }
                ?? "add 'matrix' or 'for_each', or name a group of hosts in 'on'"
            for (key, keyNode) in fanOut.policyKeys {
                report("'\(key)' in step '\(decoded.id)' is for a step that fans out: \(remedy)", at: keyNode)
            }
            decoded.fanOut = nil
            return
        }
        if fanOut.failFast != nil, fanOut.maxFailures != nil, let keyNode = fanOut.policyKeys.first(where: { $0.key == "max_failures" })?.node {
            report("step '\(decoded.id)' has both 'fail_fast' and 'max_failures'; 'fail_fast: true' is 'max_failures: 0'", at: keyNode)
        }
    }

    /// `batch:`, a whole number of instances or a percentage of them.
    private func batchSize(_ node: Node, _ label: FieldLabel) -> StepGroup.BatchSize? {
        if isNull(node) { return nil }
        if case .scalar(let scalar) = node, scalar.string.hasSuffix("%") {
            let digits = scalar.string.dropLast()
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let percent = Int(digits), (1...100).contains(percent) else {
                report("\(label) must be a whole number of 1 or more, or a percentage from 1% to 100%, not \(describe(node))", at: node)
                return nil
            }
            return .percent(percent)
        }
        return integer(node, label, minimum: 1, maximum: Int.max, expected: "a whole number of 1 or more, or a percentage from 1% to 100%").map { .count($0) }
    }

    /// `for_each:`, a list of items, or a step's output that holds them.
    private func items(_ node: Node, _ label: FieldLabel) -> DecodedFanOut.Source? {
        if case .scalar(let scalar) = node, !isNull(node) {
            if scalar.string.contains("${{") { return outputSource(scalar.string, node, label) }
            report("\(label) must be a list of items, or a step's output that holds them (`${{ steps.list.outputs.hosts }}`), not \(describe(node))", at: node)
            return nil
        }
        guard let items = stringList(node, label, of: "items", allowSingle: false) else {
            if isNull(node) { report("\(label) is empty: list the items to run the step for", at: node) }
            return nil
        }
        guard !items.isEmpty else {
            report("\(label) is empty: list the items to run the step for", at: node)
            return nil
        }
        return .items(items.map { ($0.0, $0.1) })
    }

    /// `${{ steps.<step>.outputs.<key> }}`: the one expression a `for_each:` may be.
    private func outputSource(_ text: String, _ node: Node, _ label: FieldLabel) -> DecodedFanOut.Source? {
        let expected = "\(label) must be a list of items, or one step output written `${{ steps.<step>.outputs.<key> }}`"
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("${{"), trimmed.hasSuffix("}}"), trimmed.count >= 5 else {
            report("\(expected), not \(describe(node))", at: node)
            return nil
        }
        let inner = String(trimmed.dropFirst(3).dropLast(2))
        let innerOffset = (text.firstRange(of: "${{").map { text.distance(from: text.startIndex, to: $0.upperBound) } ?? 0)
        let condition: Condition
        do {
            condition = try ConditionParser.parse(inner)
        } catch {
            report("\(label) does not parse: \(error.message)", at: location(in: node, offset: innerOffset + error.offset))
            return nil
        }
        guard case .output(let step, let key) = condition.expression else {
            report("\(expected); '\(inner.trimmingCharacters(in: .whitespaces))' is not a step's output", at: node)
            return nil
        }
        return .output(FanOutSource(step: step, key: key), node: node)
    }

    /// `matrix:`, a mapping of keys to their values, with `include` and `exclude` rules.
    private func matrix(_ node: Node, _ label: FieldLabel) -> DecodedFanOut.Source? {
        guard case .mapping = node else {
            let fromOutput = node.scalar?.string.contains("${{") == true ? "; to fan out over a step's output, use `for_each`" : ""
            report("\(label) must be a mapping of keys to lists of values, not \(describe(node))\(fromOutput)", at: node)
            return nil
        }
        var axes: [(key: String, values: [(text: String, node: Node)])] = []
        var include: [[(key: String, value: String)]] = []
        var exclude: [[(key: String, value: String)]] = []
        let before = problems.count
        for field in entries(of: node) {
            guard let key = field.key else {
                report("matrix keys must be plain strings, not \(describe(field.keyNode))", at: field.keyNode)
                continue
            }
            let fieldLabel = FieldLabel(key, parent: label.key, step: label.step)
            if WorkflowFormat.matrixRuleKeys.contains(key) {
                let rules = combinations(field.value, fieldLabel)
                if key == "include" { include = rules } else { exclude = rules }
                continue
            }
            guard WorkflowParameter.isValidName(key) else {
                report("'\(key)' cannot be a matrix key: use a letter or '_', then letters, digits, '_' and '-'", at: field.keyNode)
                continue
            }
            guard let values = stringList(field.value, fieldLabel, of: "values", allowSingle: false) else { continue }
            guard !values.isEmpty else {
                report("\(fieldLabel) is empty: list its values", at: field.value)
                continue
            }
            axes.append((key, values.map { ($0.0, $0.1) }))
        }
        if axes.isEmpty && include.isEmpty && problems.count == before {
            report("\(label) has no keys: list at least one key with its values", at: node)
        }
        let keys = Set(axes.map(\.key))
        for rule in exclude {
            for (key, _) in rule where !keys.contains(key) {
                report("\(FieldLabel("exclude", parent: label.key, step: label.step)) names '\(key)', which is not a key of the matrix" + Suggestion.hint(for: key, among: keys), at: node)
            }
        }
        return problems.count == before ? .matrix(axes: axes, include: include, exclude: exclude) : nil
    }

    /// `include:` or `exclude:`, a list of mappings from matrix keys to values.
    private func combinations(_ node: Node, _ label: FieldLabel) -> [[(key: String, value: String)]] {
        guard case .sequence(let sequence) = node else {
            report("\(label) must be a list of mappings from matrix keys to values, not \(describe(node))", at: node)
            return []
        }
        var rules: [[(key: String, value: String)]] = []
        for item in sequence {
            guard case .mapping = item else {
                report("each entry of \(label) must be a mapping from matrix keys to values, not \(describe(item))", at: item)
                continue
            }
            var rule: [(key: String, value: String)] = []
            for field in entries(of: item) {
                guard let key = field.key, WorkflowParameter.isValidName(key) else {
                    report("'\(field.key ?? "?")' cannot be a matrix key: use a letter or '_', then letters, digits, '_' and '-'", at: field.keyNode)
                    continue
                }
                guard case .scalar(let scalar) = field.value, !isNull(field.value) else {
                    report("\(label) gives '\(key)' \(describe(field.value)); give it a single value", at: field.value)
                    continue
                }
                rule.append((key, scalar.string))
            }
            if !rule.isEmpty { rules.append(rule) }
        }
        return rules
    }
}
