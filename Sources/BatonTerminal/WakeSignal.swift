#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A self-pipe that lets any thread wake the UI thread out of `EventWaiter.wait`.
///
/// The UI thread polls `readDescriptor` next to the terminal's input; other threads call
/// `wake()`, which never blocks, and the UI thread calls `drain()` once it is awake. Wakes
/// that arrive before a drain collapse into one.
public final class WakeSignal: Sendable {
    private let readEnd: Int32
    private let writeEnd: Int32

    /// Opens the pipe (close-on-exec and non-blocking, so child processes never inherit it).
    public init() throws {
        var ends: [Int32] = [-1, -1]
        #if os(Linux)
        // socketpair takes the flags atomically, so a concurrent fork+exec cannot leak the ends.
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        guard socketpair(AF_UNIX, type, 0, &ends) == 0 else {
            throw TerminalError.systemCall("socketpair", errno: errno)
        }
        _ = shutdown(ends[0], Int32(SHUT_WR))
        _ = shutdown(ends[1], Int32(SHUT_RD))
        #else
        guard pipe(&ends) == 0 else { throw TerminalError.systemCall("pipe", errno: errno) }
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        #endif
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// The descriptor that becomes readable after `wake()`; poll it, never read it directly.
    public var readDescriptor: Int32 { readEnd }

    /// Makes `readDescriptor` readable. Safe from any thread; never blocks.
    public func wake() {
        var byte: UInt8 = 1
        // EAGAIN means the pipe is full, so the reader is already due to wake: nothing lost.
        while write(writeEnd, &byte, 1) < 0 && errno == EINTR {}
    }

    /// Empties the pipe so that `readDescriptor` stops being readable until the next wake.
    public func drain() {
        var scratch = [UInt8](repeating: 0, count: 256)
        while true {
            let count = scratch.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count > 0 { continue }
            if count < 0 && errno == EINTR { continue }
            return
        }
    }
}
