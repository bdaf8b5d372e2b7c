import Foundation

extension WorkflowLoader {
    /// Reads and loads the workflow file at `path`; problems name the file as `path`.
    public static func load(contentsOf path: String) throws(WorkflowLoadError) -> Workflow {
        try load(data: readFile(path), file: path)
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
}
