import Foundation

extension WorkflowLoader {
    /// Reads and loads the workflow file at `path`; problems name the file as `path`.
    public static func load(contentsOf path: String) throws(WorkflowLoadError) -> Workflow {
        try load(data: readFile(path), file: path)
    }

    /// The bytes of the file at `path`, refusing directories and anything over the size limit.
    static func readFile(_ path: String) throws(WorkflowLoadError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw WorkflowLoadError(file: path, location: .start, message: "cannot read the file: no such file")
        }
        if isDirectory.boolValue {
            throw WorkflowLoadError(file: path, location: .start, message: "cannot read the file: it is a directory")
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maximumFileSize {
            throw tooLarge(size, file: path)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw WorkflowLoadError(file: path, location: .start, message: "cannot read the file: permission denied")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            // One byte past the limit is enough to tell that a file (or a device) is too large.
            data = try handle.read(upToCount: maximumFileSize + 1) ?? Data()
        } catch {
            throw WorkflowLoadError(file: path, location: .start, message: "cannot read the file: \(error.localizedDescription)")
        }
        if data.count > maximumFileSize { throw tooLarge(data.count, file: path) }
        return [UInt8](data)
    }
}
