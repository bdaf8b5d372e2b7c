import Foundation

extension WorkflowLoader {
    /// Reads and loads the workflow file at `path`; problems name the file as `path`. With
    /// `inventory`, the hosts and groups of that inventory file (`--inventory`) join the
    /// workflow's own; its problems name it as given.
    public static func load(contentsOf path: String, inventory: String? = nil) throws(WorkflowLoadError) -> Workflow {
        try loadDefinition(data: readFile(path), file: path, calling: .files(besideFile: path, inventory: inventory)).workflow
    }

    /// The bytes of the file at `path`, refusing directories and anything over the size limit
    /// (see `BoundedFileReader`).
    static func readFile(_ path: String) throws(WorkflowLoadError) -> [UInt8] {
        do {
            return try BoundedFileReader.read(path, limit: maximumFileSize)
        } catch {
            switch error {
            case .unreadable(let reason):
                throw WorkflowLoadError(file: path, location: .start, message: "cannot read the file: \(reason)")
            case .tooLarge(let size):
                throw tooLarge(size, file: path)
            case .stalled(let waited, let received):
                let reason = BoundedFileReader.describeStall(waited: waited, received: received)
                throw WorkflowLoadError(file: path, location: .start, message: "cannot read the file: \(reason)")
            }
        }
    }

    /// Reads the file at `path` once and loads it, returning the workflow with the exact texts
    /// it, the files it calls and its inventory file were loaded from, so that what is stored
    /// with a run is what was validated, and the fingerprint a new run records of them.
    package static func loadWithText(contentsOf path: String, inventory: String? = nil) throws(WorkflowLoadError) -> WorkflowDefinition {
        try loadDefinition(data: readFile(path), file: path, calling: .files(besideFile: path, inventory: inventory), fingerprinting: true)
    }

    /// The text of the file at `path`, within the size limit, whether or not it loads.
    package static func readText(contentsOf path: String) throws(WorkflowLoadError) -> String {
        String(decoding: try readFile(path), as: UTF8.self)
    }
}
