import Yams

/// The `hosts:`, `groups:` and `ssh_config:` of one file (a workflow, or the inventory file
/// given with `--inventory`) as read, with their positions; `WorkflowDecoder+Inventory` checks
/// them against the other file's and makes the run's `Inventory`.
struct DecodedInventory {
    /// One entry of `hosts:`.
    struct Host {
        var name: String
        var keyNode: Node
        /// Nil when its destination has problems (already reported).
        var host: InventoryHost?
    }

    /// One entry of `groups:`.
    struct Group {
        var name: String
        var keyNode: Node
        /// The hosts it lists, as written, each with its list item.
        var members: [(name: String, node: Node)]
    }

    var hosts: [Host] = []
    var groups: [Group] = []
    /// `ssh_config:` resolved to an absolute path, with its value node; nil when not given or
    /// when it has problems.
    var sshConfig: (path: String, node: Node)?
    /// The decoder of the file it was read from, which places problems in that file.
    var decoder: WorkflowDecoder

    init(decoder: WorkflowDecoder) {
        self.decoder = decoder
    }
}
