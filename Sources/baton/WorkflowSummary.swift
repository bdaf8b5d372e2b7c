import BatonEngine

/// One-line descriptions of a workflow, shared by `validate` and `run`.
enum WorkflowSummary {
    /// "deploy.yaml: ok — 'deploy': 8 steps in 5 layers, 1 gate, 3 with rollback, on_failure wait".
    static func line(for workflow: Workflow, file: String) -> String {
        let layers = GraphLayers.assign(workflow).count
        let gates = workflow.steps.filter { $0.approval != nil }.count
        let rollbacks = workflow.steps.filter { $0.rollback != nil }.count
        let steps = workflow.steps.count
        var parts = ["\(steps) step\(steps == 1 ? "" : "s") in \(layers) layer\(layers == 1 ? "" : "s")"]
        if gates > 0 { parts.append("\(gates) gate\(gates == 1 ? "" : "s")") }
        if rollbacks > 0 { parts.append("\(rollbacks) with rollback") }
        if let inventory = inventoryPart(workflow.inventory) { parts.append(inventory) }
        for group in workflow.groups {
            let hosts = group.instances.compactMap { workflow[$0]?.host }
            if let source = workflow[group.id]?.fanOutSource {
                parts.append("'\(group.id)' fans out over \(source.reference) at run time")
            } else if !hosts.isEmpty, hosts.count == group.instances.count, Set(hosts).count == hosts.count {
                parts.append("'\(group.id)' runs on each of \(hosts.count) host\(hosts.count == 1 ? "" : "s")")
            } else {
                let place = hosts.count == group.instances.count ? Set(hosts).first.map { " on \($0)" } ?? "" : ""
                parts.append("'\(group.id)' fans out to \(group.instances.count)\(place)")
            }
        }
        parts += remoteSteps(workflow)
        for call in workflow.calls where call.parent == nil {
            let nested = workflow.calls.filter { $0.id.hasPrefix(call.id + ".") }.count
            var text = "'\(call.id)' calls \(call.file) (\(call.steps.count) step\(call.steps.count == 1 ? "" : "s")"
            text += nested == 0 ? ")" : ", \(nested) more call\(nested == 1 ? "" : "s") inside)"
            if !call.ignoredSettings.isEmpty {
                let settings = call.ignoredSettings.map { "'\($0)'" }
                let list = settings.count == 1 ? settings[0] : settings.dropLast().joined(separator: ", ") + " and " + settings[settings.count - 1]
                text += ", whose \(list) \(settings.count == 1 ? "applies" : "apply") only when it runs on its own"
            }
            parts.append(text)
        }
        let finals = workflow.steps.filter(\.isFinally).count
        if finals > 0 { parts.append("\(finals) finally step\(finals == 1 ? "" : "s")") }
        if !workflow.params.isEmpty {
            parts.append("parameters " + workflow.params.map { $0.required && $0.defaultValue == nil ? "\($0.name) (required)" : $0.name }.joined(separator: ", "))
        }
        if let timeout = workflow.timeout { parts.append("deadline \(DurationFormatter.format(timeout))") }
        parts.append("on_failure \(workflow.onFailure.rawValue)")
        return "\(file): ok — '\(workflow.name)': " + parts.joined(separator: ", ")
    }

    /// "inventory of 3 hosts, 2 groups and its own ssh_config"; nil without hosts or groups.
    private static func inventoryPart(_ inventory: Inventory) -> String? {
        guard !inventory.hosts.isEmpty || !inventory.groups.isEmpty else { return nil }
        var items = ["\(inventory.hosts.count) host\(inventory.hosts.count == 1 ? "" : "s")"]
        if !inventory.groups.isEmpty { items.append("\(inventory.groups.count) group\(inventory.groups.count == 1 ? "" : "s")") }
        if inventory.sshConfig != nil { items.append("its own ssh_config") }
        let list = items.count == 1 ? items[0] : items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
        return "inventory of \(list)"
    }

    /// "'migrate' runs on db1" for the first few steps outside fan-outs that run on a host,
    /// then how many more do.
    private static func remoteSteps(_ workflow: Workflow) -> [String] {
        let shown = 3
        let remote = workflow.steps.filter { $0.host != nil && $0.group == nil }
        var parts = remote.prefix(shown).map { "'\($0.id)' runs on \($0.host ?? "")" }
        if remote.count > shown {
            let more = remote.count - shown
            parts.append("\(more) more step\(more == 1 ? "" : "s") on hosts")
        }
        return parts
    }
}
