#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Blocks the UI thread until one of several descriptors is readable or a timeout passes.
public enum EventWaiter {
    /// Waits with poll(2) and returns the descriptors that are readable (or hung up, or in
    /// error, so the caller notices them). Returns an empty set on timeout and also when a
    /// signal interrupts the wait, so that after a SIGWINCH the caller reads input at once and
    /// gets the resize. A nil timeout waits indefinitely; negative descriptors are ignored.
    public static func wait(for descriptors: [Int32], timeout: Duration?) -> Set<Int32> {
        var entries = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let milliseconds = timeout.map(Self.milliseconds) ?? -1
        let result = entries.withUnsafeMutableBufferPointer { buffer in
            poll(buffer.baseAddress, nfds_t(buffer.count), milliseconds)
        }
        guard result > 0 else { return [] }
        let ready = Int16(POLLIN) | Int16(POLLHUP) | Int16(POLLERR)
        return Set(entries.filter { $0.fd >= 0 && $0.revents & ready != 0 }.map(\.fd))
    }

    /// A duration as whole milliseconds for poll, rounded up so that a short wait never spins.
    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
        if seconds >= Int64(Int32.max / 1000) { return Int32.max }
        let fraction = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(seconds * 1000 + fraction)
    }
}
