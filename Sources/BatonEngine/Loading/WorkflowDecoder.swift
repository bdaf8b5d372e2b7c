import Yams

/// Reads a composed YAML document into workflow values, collecting every problem on the way.
///
/// Each field is checked on its own, so one bad value never hides the problems after it.
/// Positions point at the key for misplaced or unknown keys and at the value for bad values.
final class WorkflowDecoder {
    /// A key and value of a mapping, with the key's text as written.
    struct Entry {
        /// The key text; nil when the key is not a scalar.
        var key: String?
        var keyNode: Node
        var value: Node
        var keyLocation: SourceLocation { SourceLocation(of: keyNode) }
    }

    /// The settings of a whole run: a called file's do not apply (see `WorkflowCall.ignoredSettings`).
    static let runSettingKeys = ["concurrency", "on_failure", "access", "timeout", "notify"]

    let file: String
    let renamedKeys: [SourceLocation: String]
    let repeatedKeys: Set<SourceLocation>
    /// The text composed, for positions inside scalars.
    private let text: String
    private var sourceLines: SourceLines?
    private(set) var problems: [SourceProblem] = []
    /// The run's hosts as this file sees them; set before the file is decoded.
    var inventoryScope = InventoryScope()

    init(file: String, text: String, renamedKeys: [SourceLocation: String], repeatedKeys: Set<SourceLocation>) {
        self.file = file
        self.text = text
        self.renamedKeys = renamedKeys
        self.repeatedKeys = repeatedKeys
    }

    // MARK: - The document

    /// The workflow settings and steps in `root`; nil when the document is not a mapping.
    func decodeWorkflow(root: Node, defaultName: String) -> DecodedWorkflow? {
        guard case .mapping = root else {
            report(
                "the file must be a mapping with keys such as 'name' and 'steps', not \(describe(root))",
                at: root
            )
            return nil
        }
        var result = DecodedWorkflow(
            name: defaultName, description: nil, concurrency: nil, env: [:], secrets: [], onFailure: .wait, steps: []
        )
        var stepsNode: Node?
        var finallyNode: Node?
        var inventoryEntries: [Entry] = []
        for entry in entries(of: root) {
            guard let key = entry.key else {
                report("keys must be plain strings, not \(describe(entry.keyNode))", at: entry.keyNode)
                continue
            }
            guard WorkflowFormat.topLevel.contains(key) else {
                reportUnknownKey(key, at: entry.keyNode, in: "at the top level", allowed: WorkflowFormat.topLevel.names)
                continue
            }
            let value = entry.value
            if Self.runSettingKeys.contains(key), !isNull(value) { result.runSettings.append(key) }
            switch key {
            case "name":
                if let name = string(value, FieldLabel("name")) {
                    if name.isEmpty { report("'name' is empty; leave it out to use the file name", at: value) }
                    else { result.name = name }
                }
            case "description":
                result.description = string(value, FieldLabel("description"))
            case "concurrency":
                result.concurrency = integer(value, FieldLabel("concurrency"), minimum: 1, maximum: Int.max, expected: "a whole number of 1 or more")
            case "env":
                result.env = environment(value, FieldLabel("env"))
            case "secrets":
                result.secrets = secretNames(value)
            case "on_failure":
                if let policy = failurePolicy(value) { result.onFailure = policy }
            case "self_approval":
                if let allowed = bool(value, FieldLabel("self_approval")) { result.selfApproval = allowed }
            case "access":
                result.access = accessPolicy(value)
            case "params":
                result.params = parameters(value)
            case "timeout":
                result.timeout = duration(value, FieldLabel("timeout"), allowZero: false)
            case "notify":
                result.notifications = notifications(value)
            case "outputs":
                result.outputsNode = value
            case "steps":
                stepsNode = value
            case "finally":
                finallyNode = value
                result.finallyKeyNode = entry.keyNode
            case _ where WorkflowFormat.inventory.contains(key):
                inventoryEntries.append(entry)
            default:
                // A key of the table that nothing above reads: not part of the format yet.
                reportUnknownKey(key, at: entry.keyNode, in: "at the top level", allowed: WorkflowFormat.topLevel.names)
            }
        }
        // Before the steps, whose `on:` name the hosts and groups.
        result.inventory = fileInventory(inventoryEntries)
        guard let stepsNode else {
            report("no steps: add a 'steps:' mapping with at least one step", at: root)
            return result
        }
        result.steps = decodeSteps(stepsNode)
        if let finallyNode { result.steps += finallySteps(finallyNode, after: result.steps) }
        checkParamReferences(in: result)
        return result
    }

    /// The steps of the `steps:` mapping, in file order.
    private func decodeSteps(_ node: Node) -> [DecodedStep] {
        switch node {
        case .mapping(let mapping):
            if mapping.isEmpty {
                report("no steps: add a 'steps:' mapping with at least one step", at: node)
                return []
            }
        case .sequence:
            report(
                "'steps' must be a mapping from step id to step, not a list; write each step as `id:` followed by its keys",
                at: node
            )
            return []
        default:
            if isNull(node) {
                report("no steps: add a 'steps:' mapping with at least one step", at: node)
            } else {
                report("'steps' must be a mapping from step id to step, not \(describe(node))", at: node)
            }
            return []
        }
        var steps: [DecodedStep] = []
        let stepEntries = entries(of: node)
        steps.reserveCapacity(stepEntries.count)
        for entry in stepEntries {
            if let step = decodeStep(entry) { steps.append(step) }
        }
        return steps
    }

    // MARK: - Mappings

    /// The entries of a mapping node in file order, leaving out keys that repeat earlier ones.
    func entries(of node: Node) -> [Entry] {
        guard case .mapping(let mapping) = node else { return [] }
        var result: [Entry] = []
        result.reserveCapacity(mapping.count)
        // Indexing avoids the array of pairs that iterating a Yams mapping builds.
        var index = mapping.startIndex
        while index < mapping.endIndex {
            let (key, value) = mapping[index]
            index = mapping.index(after: index)
            if !repeatedKeys.isEmpty, repeatedKeys.contains(SourceLocation(of: key)) { continue }
            result.append(Entry(key: DocumentScanner.keyText(key, renamedKeys: renamedKeys), keyNode: key, value: value))
        }
        return result
    }

    /// Reports a key that is not allowed where it is, with a suggestion if one is close.
    func reportUnknownKey(_ key: String, at node: Node, in context: String, allowed: [String]) {
        let hint = Suggestion.hint(for: key, among: allowed)
        let list = hint.isEmpty ? "; allowed keys are \(allowed.map { "'\($0)'" }.joined(separator: ", "))" : hint
        report("unknown key '\(key)' \(context)\(list)", at: node)
    }

    // MARK: - Problems and positions

    func report(_ message: String, at node: Node) {
        report(message, at: SourceLocation(of: node))
    }

    func report(_ message: String, at location: SourceLocation) {
        problems.append(SourceProblem(file: file, location: location, message: message))
    }

    /// The position of the character `offset` scalars into a scalar's value, when the value sits
    /// on one line exactly as written; otherwise the position of the node itself.
    func location(in node: Node, offset: Int) -> SourceLocation {
        guard case .scalar(let scalar) = node, let mark = scalar.mark else { return SourceLocation(of: node) }
        let start = SourceLocation(mark)
        var value = Array(scalar.string.unicodeScalars)
        if sourceLines == nil { sourceLines = SourceLines(text) }
        guard let sourceLines else { return start }
        let contentStart: SourceLocation
        switch scalar.style {
        case .plain:
            contentStart = start
        case .singleQuoted, .doubleQuoted:
            contentStart = start.advanced(by: 1)
        case .literal, .folded:
            // A one-line block scalar's text sits on the line after its `|` or `>`.
            if value.last == "\n" { value.removeLast() }
            let line = start.line + 1
            guard let column = sourceLines.firstNonSpaceColumn(onLine: line) else { return start }
            contentStart = SourceLocation(line: line, column: column)
        default:
            return start
        }
        guard !value.contains(where: SourceLines.isBreak), sourceLines.text(at: contentStart, matches: value) else {
            return start
        }
        return contentStart.advanced(by: max(0, min(offset, value.count)))
    }
}
