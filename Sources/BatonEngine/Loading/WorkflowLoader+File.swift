import Foundation

extension WorkflowLoader {
    /// Reads and loads the workflow file at `path`; problems name the file as `path`.
    public static func load(contentsOf path: String) throws(WorkflowLoadError) -> Workflow {
        try load(data: readFile(path), file: path)
    }

    /// The bytes of the file at `path`, refusing directories and anything over the size limit.
    ///
    /// The file is opened without waiting, so a named pipe that nobody writes to reads as empty
    /// instead of blocking forever; reads then wait as usual, so a pipe being written (`<(…)`)
    /// is read to its end. Reading stops soon after the size limit, so an endless device such
    /// as `/dev/zero` is refused as too large.
    static func readFile(_ path: String) throws(WorkflowLoadError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw cannotRead(path, errno: errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw cannotRead(path, errno: errno) }
        if info.st_mode & S_IFMT == S_IFDIR {
            throw WorkflowLoadError(file: path, location: .start, message: "cannot read the file: it is a directory")
        }
        if info.st_mode & S_IFMT == S_IFREG, info.st_size > maximumFileSize {
            throw tooLarge(Int(info.st_size), file: path)
        }
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }

        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= maximumFileSize {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw cannotRead(path, errno: errno)
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        if bytes.count > maximumFileSize { throw tooLarge(bytes.count, file: path) }
        return bytes
    }

    /// The problem for a file that cannot be opened or read, in words for the usual causes.
    private static func cannotRead(_ path: String, errno code: Int32) -> WorkflowLoadError {
        let reason: String
        switch code {
        case ENOENT, ENOTDIR: reason = "no such file"
        case EACCES, EPERM: reason = "permission denied"
        case EISDIR: reason = "it is a directory"
        default: reason = String(cString: strerror(code))
        }
        return WorkflowLoadError(file: path, location: .start, message: "cannot read the file: \(reason)")
    }
}
