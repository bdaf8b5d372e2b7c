import Yams

/// Decoding of a step's `on:`: the host it runs on, or the group of hosts it fans out over.
extension WorkflowDecoder {
    /// Reads `on:`; `place` acts on it once the step's other keys are read.
    func decodePlacement(_ field: Entry, into decoded: inout DecodedStep) {
        let label = FieldLabel("on", step: decoded.id)
        let value = field.value
        switch value {
        case .sequence:
            report(
                "\(label) names one host or group, not a list; to run the step on several hosts, list them in a group under 'groups:' and name the group",
                at: value)
            return
        case .mapping, .alias:
            report("\(label) must name a host or a group of the inventory, not \(describe(value))", at: value)
            return
        case .scalar:
            break
        }
        guard let name = string(value, label), !name.unicodeScalars.allSatisfy(\.properties.isWhitespace) else {
            if isNull(value) || value.scalar?.string.unicodeScalars.allSatisfy(\.properties.isWhitespace) == true {
                report("\(label) is empty: name a host or a group, or leave 'on' out to run the step where Baton runs", at: value)
            }
            return
        }
        decoded.placement = (name, value, field.keyNode)
    }

    /// Puts the step on the host its `on:` names, with the host's variables; or, for a group,
    /// fans it out over the group's hosts, one instance per host in the group's order, which
    /// the expansion names after them (`restart[web1]`).
    func place(_ decoded: inout DecodedStep) {
        guard let placement = decoded.placement else { return }
        let inventory = inventoryScope.inventory
        if let host = inventoryScope.hostsByName[placement.name] {
            decoded.step.host = host.name
            decoded.step.env.merge(Self.hostVariables(host)) { _, variable in variable }
            return
        }
        if let members = inventory.groups[placement.name] {
            var fanOut = decoded.fanOut ?? DecodedFanOut()
            if let other = fanOut.node {
                let key = other.scalar?.string ?? "for_each"
                report(
                    "step '\(decoded.id)' has both 'on: \(placement.name)', a group, and '\(key)': a step fans out over one of them; "
                        + "name a single host in 'on' to run each \(key == "matrix" ? "combination" : "item") there, or go over the items in the command",
                    at: placement.keyNode)
                return
            }
            fanOut.node = placement.keyNode
            fanOut.source = .hosts(members.compactMap { inventoryScope.hostsByName[$0] }, node: placement.node)
            decoded.fanOut = fanOut
            return
        }
        if inventoryScope.unusableNames.contains(placement.name) || inventoryScope.externalIsPartial { return }
        let label = FieldLabel("on", step: decoded.id)
        let unusable = inventoryScope.unusableNames
        if inventory.hosts.isEmpty && inventory.groups.isEmpty && unusable.isEmpty {
            report(
                "\(label) names '\(Self.abbreviated(placement.name))', but the workflow has no hosts: define them under 'hosts:' "
                    + "(and groups of them under 'groups:'), or give an inventory file with --inventory",
                at: placement.node)
        } else {
            report(
                "\(label) names '\(Self.abbreviated(placement.name))', which is not a host or a group of the inventory"
                    + inventoryHint(for: placement.name, among: inventory.hosts.count + inventory.groups.count + unusable.count) {
                        inventory.hosts.map(\.name) + inventory.groups.keys.sorted() + unusable.sorted()
                    },
                at: placement.node)
        }
    }

    /// The variables a step that runs on `host` sees: `BATON_HOST`, its name in the inventory,
    /// and `BATON_HOST_ADDRESS`, the address ssh connects to.
    static func hostVariables(_ host: InventoryHost) -> [String: String] {
        ["BATON_HOST": host.name, "BATON_HOST_ADDRESS": host.address]
    }
}
