/// A workflow file that a `uses:` step calls, as it was read: what a run stores so that it
/// resumes, attaches and replays with the definition that ran.
public struct CalledFile: Sendable, Hashable {
    /// Where the file is, relative to the folder of the run's own file (`lib/build.yaml`,
    /// `../shared/test.yaml`), as `uses:` paths resolve; an absolute path stays absolute.
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}
