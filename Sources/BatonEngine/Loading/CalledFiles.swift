/// Every file a workflow calls through `uses:`, each once, in the order they were first
/// called; with the run's own file name, which the calls' cycle check knows it by.
public struct CalledFiles: Sendable, Hashable {
    /// The run's own file, relative to its folder (its file name).
    public var main: String
    public var files: [CalledFile]

    public init(main: String = "workflow.yaml", files: [CalledFile] = []) {
        self.main = main
        self.files = files
    }

    public var isEmpty: Bool { files.isEmpty }
}
