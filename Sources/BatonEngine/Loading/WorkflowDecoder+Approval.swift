import Yams

/// Decoding of `approval:` gates and their policy.
extension WorkflowDecoder {
    /// `approval:` as `true`/`false` or a mapping.
    func approvalGate(_ node: Node, _ label: FieldLabel, stepID: String) -> ApprovalGate? {
        if isNull(node) { return nil }
        switch node {
        case .scalar:
            return bool(node, label) == true ? ApprovalGate() : nil
        case .mapping:
            var gate = ApprovalGate()
            var onTimeoutNode: Node?
            var escalateNode: Node?
            for field in entries(of: node) {
                guard let key = field.key else {
                    report("keys must be plain strings, not \(describe(field.keyNode))", at: field.keyNode)
                    continue
                }
                guard WorkflowFormat.approval.contains(key) else {
                    reportUnknownKey(key, at: field.keyNode, in: "in the approval of step '\(stepID)'", allowed: WorkflowFormat.approval.names)
                    continue
                }
                let fieldLabel = FieldLabel(key, parent: "approval", step: stepID)
                switch key {
                case "prompt":
                    gate.prompt = string(field.value, fieldLabel)
                case "approvers":
                    gate.approvers = approverEntries(field.value, fieldLabel)
                case "self_approval":
                    gate.selfApproval = bool(field.value, fieldLabel)
                case "timeout":
                    gate.timeout = duration(field.value, fieldLabel, allowZero: false)
                case "on_timeout":
                    onTimeoutNode = field.keyNode
                    if let action = timeoutAction(field.value, fieldLabel) { gate.onTimeout = action }
                case "escalate_to":
                    escalateNode = field.keyNode
                    gate.escalateTo = approverEntries(field.value, fieldLabel)
                case "inputs":
                    gate.inputs = approvalInputs(field.value, stepID: stepID)
                default:
                    // A key of the table that nothing above reads: not part of the format yet.
                    reportUnknownKey(key, at: field.keyNode, in: "in the approval of step '\(stepID)'", allowed: WorkflowFormat.approval.names)
                }
            }
            if let onTimeoutNode, gate.timeout == nil {
                report("'on_timeout' of step '\(stepID)' needs a 'timeout' in the same approval", at: onTimeoutNode)
            }
            if gate.onTimeout == .escalate, gate.escalateTo.isEmpty, let onTimeoutNode {
                report("'on_timeout: escalate' of step '\(stepID)' needs 'escalate_to', the users or groups to escalate to", at: onTimeoutNode)
            }
            if let escalateNode, gate.onTimeout != .escalate {
                report("'escalate_to' of step '\(stepID)' only applies with 'on_timeout: escalate'", at: escalateNode)
            }
            if let escalateNode, gate.approvers.isEmpty, !gate.escalateTo.isEmpty {
                report("'escalate_to' of step '\(stepID)' adds nobody: without 'approvers' anyone may already decide the gate", at: escalateNode)
            }
            return gate
        default:
            report("\(label) must be true, false or a mapping with keys such as 'prompt' and 'approvers', not \(describe(node))", at: node)
            return nil
        }
    }

    /// A list of approvers: user names, and groups written `group:NAME`.
    func approverEntries(_ node: Node, _ label: FieldLabel) -> [String] {
        let items = stringList(node, label, of: "user names and group:NAME entries", allowSingle: true) ?? []
        var entries: [String] = []
        for (text, itemNode) in items {
            if text.isEmpty || text.contains(where: { $0.isWhitespace || $0.isNewline }) {
                report("'\(Self.abbreviated(text))' in \(label) is not a user name: it is empty or has spaces", at: itemNode)
            } else if text.hasPrefix(ApprovalGate.groupPrefix), text.count == ApprovalGate.groupPrefix.count {
                report("'group:' in \(label) names no group; write group:NAME", at: itemNode)
            } else if text.hasPrefix("group") && text.contains(":") && !text.hasPrefix(ApprovalGate.groupPrefix) {
                report("'\(Self.abbreviated(text))' in \(label) is not a user name; groups are written group:NAME", at: itemNode)
            } else if entries.contains(text) {
                report("'\(Self.abbreviated(text))' appears twice in \(label)", at: itemNode)
            } else {
                entries.append(text)
            }
        }
        return entries
    }

    /// `on_timeout:`, `reject` or `escalate`.
    private func timeoutAction(_ node: Node, _ label: FieldLabel) -> ApprovalGate.TimeoutAction? {
        guard let text = string(node, label) else { return nil }
        if let action = ApprovalGate.TimeoutAction(rawValue: text) { return action }
        let names = WorkflowFormat.approvalTimeoutActions
        report("\(label) must be reject or escalate, not '\(Self.abbreviated(text))'\(Suggestion.hint(for: text, among: names))", at: node)
        return nil
    }

    /// `approval.inputs:`, declared as `params:` are; a value the approver gives is recorded
    /// with the decision, so an input cannot be secret.
    private func approvalInputs(_ node: Node, stepID: String) -> [WorkflowParameter] {
        let inputs = parameters(node, noun: "approval.inputs of step '\(stepID)'")
        return inputs.filter { input in
            guard input.secret else { return true }
            report("input '\(input.name)' of the approval of step '\(stepID)' cannot be secret: the journal records the values an approver gives", at: node)
            return false
        }
    }
}
