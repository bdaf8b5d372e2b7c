import Yams

/// Decoding of `access:`, who may watch a run and who may act on it.
extension WorkflowDecoder {
    /// `access:`, a mapping of `viewers` and `operators` to user names and `group:NAME` entries.
    func accessPolicy(_ node: Node) -> AccessPolicy {
        var policy = AccessPolicy()
        if isNull(node) { return policy }
        guard case .mapping = node else {
            report("'access' must be a mapping with keys 'viewers' and 'operators', not \(describe(node))", at: node)
            return policy
        }
        for field in entries(of: node) {
            guard let key = field.key else {
                report("keys must be plain strings, not \(describe(field.keyNode))", at: field.keyNode)
                continue
            }
            guard WorkflowFormat.access.contains(key) else {
                reportUnknownKey(key, at: field.keyNode, in: "in 'access'", allowed: WorkflowFormat.access.names)
                continue
            }
            let label = FieldLabel(key, parent: "access")
            switch key {
            case "viewers":
                policy.viewers = approverEntries(field.value, label)
            case "operators":
                policy.operators = approverEntries(field.value, label)
            default:
                // A key of the table that nothing above reads: not part of the format yet.
                reportUnknownKey(key, at: field.keyNode, in: "in 'access'", allowed: WorkflowFormat.access.names)
            }
        }
        return policy
    }
}
