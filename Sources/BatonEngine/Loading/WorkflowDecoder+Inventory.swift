import Foundation
import Yams

/// Decoding of the inventory: `hosts:`, `groups:` and `ssh_config:`, at a workflow's top level
/// or in the file given with `--inventory`, and the checks that make one `Inventory` of the two.
extension WorkflowDecoder {
    /// The run's inventory from the inventory keys of the run's own file and the inventory
    /// file's (`inventoryScope.external`); in a called file the keys are refused and the run's
    /// inventory is kept as the assembler handed it. The result is empty for a called file.
    func fileInventory(_ entries: [Entry]) -> Inventory {
        if let caller = inventoryScope.caller {
            for entry in entries {
                report(
                    "'\(entry.key ?? "")' cannot be in a called workflow (\(caller) calls this file): the steps of a called workflow run on "
                        + "the hosts of the run; define them in the calling workflow or in an inventory file (--inventory)",
                    at: entry.keyNode)
            }
            return Inventory()
        }
        let own = decodeInventory(entries)
        inventoryScope.inventory = makeInventory(own: own, external: inventoryScope.external)
        return inventoryScope.inventory
    }

    /// The document of an inventory file: a mapping of `hosts`, `groups` and `ssh_config` only.
    func decodeInventoryFile(root: Node) -> DecodedInventory {
        guard case .mapping = root else {
            report("an inventory must be a mapping with the keys 'hosts', 'groups' and 'ssh_config', not \(describe(root))", at: root)
            return DecodedInventory(decoder: self)
        }
        var kept: [Entry] = []
        for entry in entries(of: root) {
            guard let key = entry.key else {
                report("keys must be plain strings, not \(describe(entry.keyNode))", at: entry.keyNode)
                continue
            }
            if WorkflowFormat.inventory.contains(key) {
                kept.append(entry)
            } else if WorkflowFormat.topLevel.contains(key) {
                report(
                    "'\(key)' belongs in a workflow, not in an inventory, which holds only 'hosts', 'groups' and 'ssh_config'; "
                        + "give the workflow as the file to run and this file with --inventory",
                    at: entry.keyNode)
            } else {
                reportUnknownKey(key, at: entry.keyNode, in: "in the inventory", allowed: WorkflowFormat.inventory.names)
            }
        }
        let inventory = decodeInventory(kept)
        if kept.isEmpty, problems.isEmpty {
            report("the inventory holds none of 'hosts', 'groups' and 'ssh_config'; list the hosts under 'hosts:'", at: root)
        }
        return inventory
    }

    /// The hosts, groups and `ssh_config:` among a file's top-level `entries`.
    private func decodeInventory(_ entries: [Entry]) -> DecodedInventory {
        var inventory = DecodedInventory(decoder: self)
        for entry in entries {
            switch entry.key {
            case "hosts": inventory.hosts = hosts(entry.value)
            case "groups": inventory.groups = groups(entry.value)
            case "ssh_config": inventory.sshConfig = sshConfig(entry.value).map { ($0, entry.value) }
            default: break
            }
        }
        return inventory
    }

    // MARK: - Hosts

    /// `hosts:`, a mapping from host name to its destination.
    private func hosts(_ node: Node) -> [DecodedInventory.Host] {
        if isNull(node) { return [] }
        guard case .mapping = node else {
            report("'hosts' must be a mapping from host name to its ssh destination (`web1: deploy@10.0.0.11`), not \(describe(node))", at: node)
            return []
        }
        var result: [DecodedInventory.Host] = []
        for entry in entries(of: node) {
            guard let name = entry.key else {
                report("host names must be plain strings, not \(describe(entry.keyNode))", at: entry.keyNode)
                continue
            }
            guard checkInventoryName(name, "host", at: entry.keyNode) else { continue }
            result.append(DecodedInventory.Host(name: name, keyNode: entry.keyNode, host: host(name, entry.value)))
        }
        return result
    }

    /// One host: its destination, `[user@]address[:port]`, or a mapping with `address`, `user`
    /// and `port`; nil when it has problems.
    private func host(_ name: String, _ node: Node) -> InventoryHost? {
        let label = FieldLabel(name, parent: "hosts")
        let example = "write user@address:port, such as deploy@10.0.0.11:2222 (the user and the port may be left out), or an alias of your ssh_config"
        switch node {
        case .mapping:
            return longFormHost(name, node)
        case .scalar where isNull(node):
            report("host '\(name)' has no ssh destination: \(example) (`\(name): \(name)` for an alias of the same name)", at: node)
            return nil
        case .scalar:
            guard let text = string(node, label) else { return nil }
            switch HostDestination.parse(text) {
            case .success(let parsed):
                return InventoryHost(name: name, destination: parsed.destination, port: parsed.port)
            case .failure(let problem):
                report("\(label): '\(Self.abbreviated(text))' is not an ssh destination: \(problem.reason); \(example)", at: node)
                return nil
            }
        default:
            report("\(label) must be an ssh destination such as deploy@10.0.0.11:2222, or a mapping with 'address', 'user' and 'port', not \(describe(node))", at: node)
            return nil
        }
    }

    /// A host written as a mapping: `{address: db1.internal, user: deploy, port: 2222}`.
    private func longFormHost(_ name: String, _ node: Node) -> InventoryHost? {
        var address: String?
        var user: String?
        var port: Int?
        var valid = true
        var sawAddress = false
        for field in entries(of: node) {
            guard let key = field.key else {
                report("keys must be plain strings, not \(describe(field.keyNode))", at: field.keyNode)
                valid = false
                continue
            }
            guard WorkflowFormat.host.contains(key) else {
                reportUnknownKey(key, at: field.keyNode, in: "in host '\(name)'", allowed: WorkflowFormat.host.names)
                valid = false
                continue
            }
            let label = FieldLabel(key, parent: "hosts.\(name)")
            switch key {
            case "address":
                sawAddress = true
                address = hostPart(field.value, label, HostDestination.address)
                if address == nil { valid = false }
            case "user":
                if isNull(field.value) { continue }
                user = hostPart(field.value, label, HostDestination.user)
                if user == nil { valid = false }
            case "port":
                port = integer(field.value, label, minimum: 1, maximum: 65535, expected: "a whole number from 1 to 65535")
                if port == nil, !isNull(field.value) { valid = false }
            default:
                // A key of the table that nothing above reads: not part of the format yet.
                reportUnknownKey(key, at: field.keyNode, in: "in host '\(name)'", allowed: WorkflowFormat.host.names)
                valid = false
            }
        }
        if !sawAddress {
            report("host '\(name)' has no 'address': add the host name or IP address ssh connects to", at: node)
            return nil
        }
        guard valid, let address else { return nil }
        return InventoryHost(name: name, destination: user.map { "\($0)@\(address)" } ?? address, port: port)
    }

    /// The `address` or `user` of a host written as a mapping, checked by `check`.
    private func hostPart(_ node: Node, _ label: FieldLabel, _ check: (String) -> Result<String, HostDestination.Problem>) -> String? {
        guard let text = string(node, label) else {
            if isNull(node) { report("\(label) is empty", at: node) }
            return nil
        }
        switch check(text) {
        case .success(let value):
            return value
        case .failure(let problem):
            report("\(label): '\(Self.abbreviated(text))' will not do: \(problem.reason)", at: node)
            return nil
        }
    }

    // MARK: - Groups

    /// `groups:`, a mapping from group name to the hosts it lists.
    private func groups(_ node: Node) -> [DecodedInventory.Group] {
        if isNull(node) { return [] }
        guard case .mapping = node else {
            report("'groups' must be a mapping from group name to a list of host names (`web: [web1, web2]`), not \(describe(node))", at: node)
            return []
        }
        var result: [DecodedInventory.Group] = []
        for entry in entries(of: node) {
            guard let name = entry.key else {
                report("group names must be plain strings, not \(describe(entry.keyNode))", at: entry.keyNode)
                continue
            }
            guard checkInventoryName(name, "group", at: entry.keyNode) else { continue }
            let label = FieldLabel(name, parent: "groups")
            let members = stringList(entry.value, label, of: "host names", allowSingle: true) ?? []
            if members.isEmpty, isNull(entry.value) || entry.value.sequence?.isEmpty == true {
                report("group '\(name)' is empty: list its hosts, such as `\(name): [web1, web2]`", at: entry.value)
            }
            result.append(DecodedInventory.Group(name: name, keyNode: entry.keyNode, members: members.map { (name: $0.0, node: $0.1) }))
        }
        return result
    }

    // MARK: - ssh_config

    /// `ssh_config:` as an absolute path, found from the file's folder; nil when not given or
    /// when it has problems.
    private func sshConfig(_ node: Node) -> String? {
        let label = FieldLabel("ssh_config")
        guard let path = string(node, label) else { return nil }
        if path.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            report("\(label) is empty: name an ssh_config file, or leave it out for your own ssh configuration", at: node)
            return nil
        }
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            report("\(label) holds a control character; name an ssh_config file", at: node)
            return nil
        }
        if path.hasPrefix("~") {
            report("\(label) starts with '~', which Baton does not expand: write a path relative to this file, or an absolute one", at: node)
            return nil
        }
        let resolved = CalledFileSource.join(inventoryScope.folder, path)
        let shown = resolved.count > 300 ? resolved.prefix(300) + "…" : Substring(resolved)
        if inventoryScope.checksSSHConfig {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) {
                report("\(label) names '\(Self.abbreviated(path))', which does not exist (looked for \(shown)); paths are relative to the file that names them", at: node)
                return nil
            }
            if isDirectory.boolValue {
                report("\(label) names '\(Self.abbreviated(path))', which is a folder (\(shown)); name the ssh_config file in it", at: node)
                return nil
            }
        }
        return resolved
    }

    // MARK: - One inventory of two files

    /// Whether `name` can name a host or a group: the rule of instance labels, since the hosts
    /// of a group name the instances of a step that runs on it (`restart[web1]`).
    private func checkInventoryName(_ name: String, _ kind: String, at node: Node) -> Bool {
        guard StepGroup.isInstanceLabel(name) else {
            report(
                "'\(Self.abbreviated(name))' cannot name a \(kind): use at most \(StepGroup.maximumInstanceLabelLength) letters, digits and "
                    + "'_', '-', '.', ':', '@', since a host names the instances of a step that runs on its group (`restart[web1]`)",
                at: node)
            return false
        }
        return true
    }

    /// The run's inventory: the hosts and groups of the run's own file (`own`) and of the
    /// inventory file, each name defined once, groups listing hosts of either file each once.
    /// Problems go to the file they are in, through its decoder (a name defined twice, to the
    /// later definition: the inventory file's, or a file's group); names with problems are kept
    /// in `inventoryScope.unusableNames`.
    private func makeInventory(own: DecodedInventory, external: DecodedInventory?) -> Inventory {
        let files = [own] + (external.map { [$0] } ?? [])
        // The first definition of each name: its kind, file and key.
        var defined: [String: (kind: String, decoder: WorkflowDecoder, node: Node)] = [:]
        func claim(_ name: String, _ kind: String, in file: DecodedInventory, at node: Node) -> Bool {
            guard let first = defined[name] else {
                defined[name] = (kind, file.decoder, node)
                return true
            }
            let place = Self.position(of: first.node, in: first.decoder)
            if first.kind == kind {
                file.decoder.report(
                    "\(kind) '\(name)' is defined twice, here and at \(place); define each host and group once, in the workflow or in the inventory",
                    at: node)
            } else {
                file.decoder.report(
                    "'\(name)' names a \(kind) here and a \(first.kind) at \(place); a host and a group cannot share a name, since 'on' names either",
                    at: node)
            }
            return false
        }
        var unusable: Set<String> = []
        var hosts: [InventoryHost] = []
        var claimedGroups: [(group: DecodedInventory.Group, file: DecodedInventory)] = []
        for file in files {
            for entry in file.hosts where claim(entry.name, "host", in: file, at: entry.keyNode) {
                if let host = entry.host { hosts.append(host) } else { unusable.insert(entry.name) }
            }
            for group in file.groups where claim(group.name, "group", in: file, at: group.keyNode) {
                claimedGroups.append((group, file))
            }
        }
        let hostNames = hosts.map(\.name) + unusable.sorted()
        let knownHosts = Set(hostNames)
        let groupNames = Set(claimedGroups.map(\.group.name))
        var groups: [String: [String]] = [:]
        for (group, file) in claimedGroups {
            var members: [String] = []
            var seen: Set<String> = []
            var usable = !group.members.isEmpty
            for (member, node) in group.members {
                let label = "group '\(group.name)' lists '\(Self.abbreviated(member))'"
                if !seen.insert(member).inserted {
                    file.decoder.report("\(label) twice; list each host once", at: node)
                } else if knownHosts.contains(member) {
                    members.append(member)
                    if unusable.contains(member) { usable = false }
                    continue
                } else if groupNames.contains(member) {
                    file.decoder.report("\(label), which is a group; a group lists hosts: write the hosts of '\(member)'", at: node)
                } else {
                    let hint = inventoryHint(for: member, among: hostNames.count) { hostNames }
                    file.decoder.report("\(label), which is not a host" + (hint.isEmpty ? ": define it under 'hosts:'" : hint), at: node)
                }
                usable = false
            }
            if usable { groups[group.name] = members } else { unusable.insert(group.name) }
        }
        var sshConfig = own.sshConfig?.path
        if let theirs = external?.sshConfig, let external {
            if let mine = own.sshConfig, mine.path != theirs.path {
                external.decoder.report(
                    "'ssh_config' is also given at \(Self.position(of: mine.node, in: own.decoder)), naming another file (\(mine.path)); "
                        + "give it once, in the workflow or in the inventory",
                    at: theirs.node)
            } else {
                sshConfig = theirs.path
            }
        }
        inventoryScope.unusableNames = unusable
        return Inventory(hosts: hosts, groups: groups, sshConfig: sshConfig)
    }

    /// "; did you mean 'web1'?" for an unknown host or group name among the `count` names
    /// `names` makes, while the file's budget of comparisons lasts; empty after.
    func inventoryHint(for name: String, among count: Int, _ names: () -> [String]) -> String {
        guard count > 0, inventoryScope.suggestionComparisonsLeft >= count else { return "" }
        inventoryScope.suggestionComparisonsLeft -= count
        return Suggestion.hint(for: name, among: names())
    }

    /// `file:line:column` of `node` in the file `decoder` reads.
    private static func position(of node: Node, in decoder: WorkflowDecoder) -> String {
        let location = SourceLocation(of: node)
        return "\(decoder.file):\(location.line):\(location.column)"
    }
}
