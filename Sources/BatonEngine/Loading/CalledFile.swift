/// A workflow file that a `uses:` step calls, or the inventory file given with `--inventory`,
/// as it was read: what a run stores so that it resumes, attaches and replays with the
/// definition that ran.
public struct CalledFile: Sendable, Hashable {
    /// Where the file is, relative to the folder of the run's own file (`lib/build.yaml`,
    /// `../shared/test.yaml`), as `uses:` paths resolve; an absolute path stays absolute. An
    /// inventory's path is absolute, so that its `ssh_config:` is found where it was.
    public var path: String
    public var text: String
    /// Whether it is the run's inventory file (`--inventory`) rather than a called workflow.
    public var isInventory: Bool

    public init(path: String, text: String, isInventory: Bool = false) {
        self.path = path
        self.text = text
        self.isInventory = isInventory
    }
}
