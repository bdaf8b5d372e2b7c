import Yams

/// Decoding of a step's `uses:` and `with:`: a step that runs another workflow file.
extension WorkflowDecoder {
    /// The step keys a step with `uses:` may have besides `uses` and `with`.
    static let keysAllowedWithUses = Set(WorkflowFormat.keysAllowedWithUses)

    /// Reads `uses:` and `with:` from the step mapping `node`, and refuses the keys that cannot
    /// go with `uses:`, saying why. Returns whether the step calls a workflow.
    func decodeCall(_ node: Node, into decoded: inout DecodedStep) -> Bool {
        var usesEntry: Entry?
        var withEntry: Entry?
        var others: [Entry] = []
        for field in entries(of: node) {
            switch field.key {
            case "uses": usesEntry = field
            case "with": withEntry = field
            case let key? where !Self.keysAllowedWithUses.contains(key) && WorkflowFormat.step.contains(key): others.append(field)
            default: break
            }
        }
        let id = decoded.id
        guard let usesEntry else {
            if let withEntry {
                report("'with' in step '\(id)' gives values to the parameters of a called workflow: add `uses: FILE`, or leave 'with' out", at: withEntry.keyNode)
            }
            return false
        }
        for field in others {
            guard let key = field.key else { continue }
            report("'\(key)' cannot go with 'uses' in step '\(id)': \(Self.whyRefusedWithUses(key))", at: field.keyNode)
        }
        if !others.isEmpty { decoded.fanOut = nil }
        if decoded.step.when?.callsStateFunction == true, let whenNode = decoded.whenNode {
            report(
                "'when' in step '\(id)' calls a state function, which a step with 'uses' cannot: its condition decides whether the called "
                    + "workflow runs at all, and each called step keeps its own way of meeting failures; call success(), failure(), "
                    + "always() or cancelled() in the called workflow's steps, or call it from a step in 'finally'",
                at: whenNode)
        }
        let label = FieldLabel("uses", step: id)
        guard let path = string(usesEntry.value, label) else {
            if isNull(usesEntry.value) { report("\(label) is empty: name the workflow file to run, such as `uses: lib/build.yaml`", at: usesEntry.value) }
            return true
        }
        if path.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            report("\(label) is empty: name the workflow file to run, such as `uses: lib/build.yaml`", at: usesEntry.value)
            return true
        }
        decoded.call = DecodedCall(path: path, pathNode: usesEntry.value, withNode: withEntry?.value, withKeyNode: withEntry?.keyNode)
        return true
    }

    /// Why a step key cannot go with `uses:`, and what to do instead.
    private static func whyRefusedWithUses(_ key: String) -> String {
        switch key {
        case "run", "simulate":
            return "the step runs the steps of the called workflow; give the command a step of its own"
        case "approval":
            return "put the gate in a step of its own that this one needs, or in the called workflow"
        case _ where fanOutKeys.contains(key):
            return "a called workflow runs once for each step that calls it; fan out the steps inside it instead"
        case "on":
            return "each step of the called workflow runs where its own 'on' says; give 'on' to the steps inside it"
        default:
            return "it is a setting of one step; set it on the steps of the called workflow, or pass a value with 'with'"
        }
    }
}
