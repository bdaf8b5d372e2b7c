import Foundation
import Synchronization

/// Appends events to `events.jsonl` with group commit, then hands them on.
///
/// `append` returns at once. A writer thread takes every batch queued since its last pass,
/// writes them with one `write`, makes them durable with one `fsync`, and only then calls
/// `onDurable` for each event, in order. So a state the engine reports has reached the disk,
/// and a burst of events costs one sync, not one per event.
///
/// Syncs are at least `commitInterval` apart: events that arrive sooner after the last sync
/// wait for the rest of that interval and share the next one. A run of quick steps then
/// costs a few hundred syncs a second at most instead of one per event, and nothing is
/// reported later than one interval plus one sync after it happened.
public final class JournalWriter: Sendable {
    private struct Queue {
        var pending: [RunEvent] = []
        var closing = false
        var closed = false
        var failure: String?
    }

    private let descriptor: Int32
    private let queue = Mutex(Queue())
    private let wakeup = DispatchSemaphore(value: 0)
    private let drained = DispatchSemaphore(value: 0)
    /// Cuts a commit interval short when the journal is being closed.
    private let closeRequested = DispatchSemaphore(value: 0)
    private let onDurable: @Sendable ([RunEvent]) -> Void
    private let syncToDisk: Bool
    private let commitInterval: Duration

    /// The shortest time between two syncs of the journal.
    public static let defaultCommitInterval: Duration = .milliseconds(4)

    /// Opens (creating if needed) the journal at `path` for appending.
    ///
    /// - Parameters:
    ///   - syncToDisk: whether each batch is `fsync`ed; tests may turn it off.
    ///   - commitInterval: the shortest time between two syncs (see the type's summary).
    ///   - onDurable: called on the writer thread with each batch once it is on disk.
    public init(
        path: String, syncToDisk: Bool = true, commitInterval: Duration = JournalWriter.defaultCommitInterval,
        onDurable: @escaping @Sendable ([RunEvent]) -> Void
    ) throws(JournalError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw JournalError(path: path, message: "cannot open for writing: \(String(cString: strerror(errno)))")
        }
        // The lock says "a Baton process is writing this run"; the kernel drops it when that
        // process ends, however it ends, so a reader can tell a live run from a dead one.
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            Foundation.close(fd)
            if code == EWOULDBLOCK {
                throw JournalError(path: path, message: "another Baton process is writing this run")
            }
            throw JournalError(path: path, message: "cannot lock: \(String(cString: strerror(code)))")
        }
        descriptor = fd
        self.syncToDisk = syncToDisk
        self.commitInterval = commitInterval
        self.onDurable = onDurable
        let thread = Thread { [self] in self.writeLoop() }
        thread.name = "baton-journal"
        thread.start()
    }

    /// Queues events for writing. Events keep the order of the calls.
    public func append(_ events: [RunEvent]) {
        guard !events.isEmpty else { return }
        let accepted = queue.withLock { queue -> Bool in
            guard !queue.closing else { return false }
            queue.pending.append(contentsOf: events)
            return true
        }
        if accepted { wakeup.signal() }
    }

    /// Writes everything queued, syncs, and closes the file. Returns the first write error, if any.
    @discardableResult
    public func close() -> String? {
        let alreadyClosing = queue.withLock { queue -> Bool in
            defer { queue.closing = true }
            return queue.closing
        }
        if !alreadyClosing {
            wakeup.signal()
            closeRequested.signal()
            drained.wait()
        }
        return queue.withLock { $0.failure }
    }

    private func writeLoop() {
        let clock = ContinuousClock()
        var lastCommit = clock.now - commitInterval
        while true {
            wakeup.wait()
            // Let events that follow closely share this sync; a close does not wait.
            let due = lastCommit + commitInterval
            if clock.now < due && !queue.withLock({ $0.closing }) {
                _ = closeRequested.wait(timeout: .now() + Self.seconds(clock.now.duration(to: due)))
            }
            let (batch, closing) = queue.withLock { queue -> ([RunEvent], Bool) in
                defer { queue.pending.removeAll(keepingCapacity: true) }
                return (queue.pending, queue.closing)
            }
            if !batch.isEmpty {
                var bytes: [UInt8] = []
                bytes.reserveCapacity(batch.count * 128)
                for event in batch {
                    bytes.append(contentsOf: event.jsonLine())
                    bytes.append(0x0A)
                }
                if let problem = writeAll(bytes) {
                    queue.withLock { if $0.failure == nil { $0.failure = problem } }
                }
                if syncToDisk { _ = fsync(descriptor) }
                lastCommit = clock.now
                onDurable(batch)
            }
            if closing {
                let rest = queue.withLock { $0.pending.isEmpty }
                if rest {
                    // Unlock explicitly: a child being spawned at this moment shares the open
                    // file until its exec, and would keep the lock alive past our close.
                    _ = flock(descriptor, LOCK_UN)
                    Foundation.close(descriptor)
                    queue.withLock { $0.closed = true }
                    drained.signal()
                    return
                }
                wakeup.signal()
            }
        }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return max(0, Double(seconds) + Double(attoseconds) / 1e18)
    }

    private func writeAll(_ data: [UInt8]) -> String? {
        let failure = data.withUnsafeBytes { DescriptorWriter.writeAll($0, to: descriptor) }
        return failure.map { "journal write failed: \(String(cString: strerror($0)))" }
    }

}

/// A journal that cannot be opened, written or read.
public struct JournalError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
