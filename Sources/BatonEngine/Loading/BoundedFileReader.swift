import Foundation

/// Reads a whole file Baton was asked to load (a workflow, a theme) without ever blocking on
/// a named pipe nobody writes to or reading an endless device to its end.
public enum BoundedFileReader {
    /// Why a file could not be read.
    public enum Failure: Error, Sendable, Hashable {
        /// The file could not be opened or read; the words say why ("no such file", …).
        case unreadable(String)
        /// The file holds more than the limit; `size` is as much of it as was seen.
        case tooLarge(size: Int)
    }

    /// The bytes of the file at `path`, refusing directories and anything over `limit` bytes.
    ///
    /// The file is opened without waiting, so a named pipe that nobody writes to reads as empty
    /// instead of blocking forever; reads then wait as usual, so a pipe being written (`<(…)`)
    /// is read to its end. Reading stops soon after the limit, so an endless device such as
    /// `/dev/zero` is refused as too large.
    public static func read(_ path: String, limit: Int) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(reason(errno)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .unreadable(reason(errno)) }
        if info.st_mode & S_IFMT == S_IFDIR { throw .unreadable("it is a directory") }
        if info.st_mode & S_IFMT == S_IFREG, info.st_size > limit { throw .tooLarge(size: Int(info.st_size)) }
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }

        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= limit {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(reason(errno))
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        if bytes.count > limit { throw .tooLarge(size: bytes.count) }
        return bytes
    }

    /// The usual causes of a failed open or read, in words.
    private static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT, ENOTDIR: return "no such file"
        case EACCES, EPERM: return "permission denied"
        case EISDIR: return "it is a directory"
        default: return String(cString: strerror(code))
        }
    }
}
