/// The hosts a workflow's steps may run on over SSH, and the groups that name several of them.
public struct Inventory: Sendable, Hashable {
    /// Every host, in the order the inventory lists them.
    public var hosts: [InventoryHost]
    /// Each group's hosts by name, in the order the group lists them.
    public var groups: [String: [String]]
    /// An `ssh_config` file every `ssh` is given with `-F` (an absolute path); nil for the
    /// user's own configuration.
    public var sshConfig: String?

    public init(hosts: [InventoryHost] = [], groups: [String: [String]] = [:], sshConfig: String? = nil) {
        self.hosts = hosts
        self.groups = groups
        self.sshConfig = sshConfig
    }

    /// Whether the workflow names any host.
    public var isEmpty: Bool { hosts.isEmpty }

    /// The host with the given name.
    public func host(_ name: String) -> InventoryHost? {
        hosts.first { $0.name == name }
    }
}
