/// Where an SSH execution runs: the inventory host, and how `ssh` reaches it.
public struct RemoteTarget: Sendable, Hashable {
    /// The host's name in the inventory, for messages.
    public var name: String
    /// What `ssh` is given: an `ssh_config` alias or `user@address`.
    public var destination: String
    /// The port to give `ssh -p`; nil leaves it to the configuration.
    public var port: Int?
    /// The `ssh_config` file to give `ssh -F`; nil for the user's own.
    public var sshConfig: String?

    public init(name: String, destination: String, port: Int? = nil, sshConfig: String? = nil) {
        self.name = name
        self.destination = destination
        self.port = port
        self.sshConfig = sshConfig
    }
}
