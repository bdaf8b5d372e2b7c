/// Every file a workflow calls through `uses:`, each once, in the order they were first
/// called, and its inventory file (`--inventory`) if it was given one; with the run's own file
/// name, which the calls' cycle check knows it by.
public struct CalledFiles: Sendable, Hashable {
    /// The run's own file, relative to its folder (its file name).
    public var main: String
    public var files: [CalledFile]
    /// The absolute folder of the run's own file, kept when the workflow names an
    /// `ssh_config:`: a resumed run finds that file from there, as the run did, although the
    /// stored copy of the workflow sits in the run's directory. Nil otherwise.
    public var folder: String?

    public init(main: String = "workflow.yaml", files: [CalledFile] = [], folder: String? = nil) {
        self.main = main
        self.files = files
        self.folder = folder
    }

    public var isEmpty: Bool { files.isEmpty }

    /// The inventory file given with `--inventory`, if any.
    public var inventory: CalledFile? { files.first(where: \.isInventory) }
}
