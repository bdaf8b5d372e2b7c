/// A host steps can run on: a name for the workflow, and how `ssh` reaches it.
public struct InventoryHost: Sendable, Hashable {
    /// The name steps and groups use (`on: web1`); also the instance label of a fan-out over hosts.
    public var name: String
    /// What `ssh` is given: an alias of the user's `ssh_config`, or `user@address`.
    public var destination: String
    /// The port, when the inventory gives one (`user@address:port`); nil leaves it to `ssh_config`.
    public var port: Int?

    public init(name: String, destination: String, port: Int? = nil) {
        self.name = name
        self.destination = destination
        self.port = port
    }

    /// The address `ssh` connects to: the destination without its `user@`. It is what steps
    /// see as `$BATON_HOST_ADDRESS`; an `ssh_config` alias stays the alias.
    public var address: String {
        destination.lastIndex(of: "@").map { String(destination[destination.index(after: $0)...]) } ?? destination
    }
}
