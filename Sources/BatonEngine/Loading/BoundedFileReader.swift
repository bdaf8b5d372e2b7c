import Foundation

/// Reads a whole file Baton was asked to load (a workflow, a theme) without ever blocking on
/// a named pipe or reading an endless device to its end.
package enum BoundedFileReader {
    /// How long a pipe or device may take to reach its end before Baton gives up on it.
    package static let defaultWait: Duration = .seconds(5)

    /// Why a file could not be read.
    package enum Failure: Error, Sendable, Hashable {
        /// The file could not be opened or read; the words say why ("no such file", …).
        case unreadable(String)
        /// The file holds more than the limit; `size` is as much of it as was seen.
        case tooLarge(size: Int)
        /// A pipe or device did not reach its end within `waited`: something holds it open
        /// for writing and neither writes the rest nor closes it. `received` bytes arrived.
        case stalled(waited: Duration, received: Int)
    }

    /// The bytes of the file at `path`, refusing directories, anything over `limit` bytes,
    /// and a pipe or device that has not ended after `wait`.
    ///
    /// The file is opened and read without blocking: a named pipe that no process holds open
    /// for writing reads as empty at once, and one being written (`<(…)`) is read to its end,
    /// waiting in `poll` for more, but for no longer than `wait` in all, so a writer that holds
    /// the pipe open and writes nothing cannot hang Baton. Reading stops soon after the limit,
    /// so an endless device such as `/dev/zero` is refused as too large.
    package static func read(_ path: String, limit: Int, wait: Duration = defaultWait) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(reason(errno)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .unreadable(reason(errno)) }
        if info.st_mode & S_IFMT == S_IFDIR { throw .unreadable("it is a directory") }
        if info.st_mode & S_IFMT == S_IFREG, info.st_size > limit { throw .tooLarge(size: Int(info.st_size)) }

        let deadline = ContinuousClock.now + wait
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= limit {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                // A writer holds the pipe open but nothing is there yet; only pipes, sockets and
                // devices say so, never regular files.
                guard errno == EAGAIN || errno == EWOULDBLOCK else { throw .unreadable(reason(errno)) }
                let remaining = ContinuousClock.now.duration(to: deadline)
                guard remaining > .zero else { throw .stalled(waited: wait, received: bytes.count) }
                var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                _ = poll(&ready, 1, milliseconds(remaining))
                continue
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        if bytes.count > limit { throw .tooLarge(size: bytes.count) }
        return bytes
    }

    /// Says in words why a stalled pipe was given up on, for the loaders' messages.
    package static func describeStall(waited: Duration, received: Int) -> String {
        let arrived = received == 0 ? "nothing arrived" : "\(received) byte\(received == 1 ? "" : "s") arrived"
        return "gave up after waiting \(DurationFormatter.format(waited)) for the pipe to end (\(arrived)): "
            + "something holds it open for writing but neither writes the rest nor closes it"
    }

    /// A wait for `poll`, rounded up so it never returns just short of the deadline.
    private static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(1, millis))
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
