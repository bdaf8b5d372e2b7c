import Foundation
import Synchronization

/// Appends events to `events.jsonl` with group commit, and runs what waits on them once they are durable.
///
/// `append` returns at once. A writer thread takes everything queued since its last pass,
/// writes it with one `write`, makes it durable with one `fsync`, and only then publishes the
/// events (`onDurable`) and runs the actions queued behind them (`afterDurable`). The engine
/// queues the start of a step's process as such an action, so nothing starts before the event
/// that records its start is on disk (write-ahead). While one batch is being synced the next
/// one gathers, so a burst of events shares one sync without the writer ever waiting on a timer.
///
/// A failed `write` or `fsync`, or a journal file that was removed, is final: the file is cut
/// back to the last durable batch, nothing of the failed batch is published, its actions are
/// dropped, every later `append` is refused, and `onFailure` is called once with what failed.
public final class JournalWriter: Sendable {
    private struct Queue {
        var pending: [RunEvent] = []
        var actions: [@Sendable () -> Void] = []
        var closing = false
        var closed = false
        /// Callers of `close()` waiting for the writer to finish.
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
        var failure: JournalError?
    }

    private let path: String
    private let descriptor: Int32
    private let queue = Mutex(Queue())
    private let wakeup = DispatchSemaphore(value: 0)
    private let onDurable: @Sendable ([RunEvent]) -> Void
    private let onFailure: @Sendable (JournalError) -> Void
    private let syncToDisk: Bool

    /// Writes to the journal `lock` holds, taking the lock over; opens and locks it itself
    /// when `lock` is nil (see `JournalLock`).
    ///
    /// - Parameters:
    ///   - syncToDisk: whether each batch is `fsync`ed; tests may turn it off.
    ///   - onDurable: called on the writer thread with each batch once it is on disk.
    ///   - onFailure: called once, on the writer thread, when a batch could not be made durable.
    public init(
        path: String, lock: JournalLock? = nil, syncToDisk: Bool = true,
        onFailure: @escaping @Sendable (JournalError) -> Void = { _ in },
        onDurable: @escaping @Sendable ([RunEvent]) -> Void
    ) throws(JournalError) {
        let held: JournalLock
        if let lock { held = lock } else { held = try JournalLock(path: path) }
        guard let fd = held.take() else {
            throw JournalError(path: path, message: "the journal's lock was already handed to another writer")
        }
        self.path = path
        descriptor = fd
        self.syncToDisk = syncToDisk
        self.onDurable = onDurable
        self.onFailure = onFailure
        let thread = Thread { [self] in self.writeLoop() }
        thread.name = "baton-journal"
        thread.start()
    }

    /// Queues events for writing, in the order of the calls, and `actions` to run once they
    /// (and everything queued before) are durable. Returns false, queuing nothing, once the
    /// journal has failed or is closing.
    @discardableResult
    public func append(_ events: [RunEvent], then actions: [@Sendable () -> Void] = []) -> Bool {
        guard !events.isEmpty || !actions.isEmpty else { return true }
        let accepted = queue.withLock { queue -> Bool in
            guard !queue.closing, queue.failure == nil else { return false }
            queue.pending.append(contentsOf: events)
            queue.actions.append(contentsOf: actions)
            return true
        }
        if accepted { wakeup.signal() }
        return accepted
    }

    /// Runs `action` on the writer thread once every event queued before it is durable.
    ///
    /// Returns false, and never runs `action`, once the journal has failed or is closing; an
    /// action still queued when the journal fails is dropped.
    @discardableResult
    public func afterDurable(_ action: @escaping @Sendable () -> Void) -> Bool {
        append([], then: [action])
    }

    /// The failure that stopped the journal, if any.
    public var failure: JournalError? { queue.withLock { $0.failure } }

    /// Writes everything queued, syncs, and closes the file. Returns the failure, if any.
    ///
    /// It suspends, never blocking a thread: a sync can take seconds on a busy disk, and a
    /// blocked thread of the shared pool would hold up every other task.
    @discardableResult
    public func close() async -> JournalError? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = queue.withLock { queue -> Bool in
                guard !queue.closed else { return true }
                queue.closing = true
                queue.closeWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() } else { wakeup.signal() }
        }
        return queue.withLock { $0.failure }
    }

    private func writeLoop() {
        // The size of the journal up to the last durable batch: a failed batch is cut back to it.
        var durableSize = lseek(descriptor, 0, SEEK_END)
        while true {
            wakeup.wait()
            let (batch, actions, closing, failed) = queue.withLock { queue in
                defer {
                    queue.pending.removeAll(keepingCapacity: true)
                    queue.actions.removeAll(keepingCapacity: true)
                }
                return (queue.pending, queue.actions, queue.closing, queue.failure != nil)
            }
            if !failed {
                if let problem = commit(batch) {
                    // Cut the batch off so that the journal ends with the last durable event;
                    // on a full disk this also frees what the partial write took.
                    if durableSize >= 0 { _ = ftruncate(descriptor, durableSize) }
                    let error = JournalError(path: path, message: problem)
                    queue.withLock { $0.failure = error }
                    onFailure(error)
                } else {
                    if !batch.isEmpty {
                        durableSize = lseek(descriptor, 0, SEEK_CUR)
                        onDurable(batch)
                    }
                    for action in actions { action() }
                }
            }
            if closing {
                let rest = queue.withLock { $0.pending.isEmpty && $0.actions.isEmpty }
                if rest || failed {
                    // Unlock explicitly: a child being spawned at this moment shares the open
                    // file until its exec, and would keep the lock alive past our close.
                    _ = flock(descriptor, LOCK_UN)
                    Foundation.close(descriptor)
                    let waiters = queue.withLock { queue in
                        queue.closed = true
                        defer { queue.closeWaiters.removeAll() }
                        return queue.closeWaiters
                    }
                    for waiter in waiters { waiter.resume() }
                    return
                }
                wakeup.signal()
            }
        }
    }

    /// Writes and syncs a batch; returns what failed, or nil when it is durable.
    private func commit(_ batch: [RunEvent]) -> String? {
        guard !batch.isEmpty else { return nil }
        var bytes: [UInt8]
        if batch.count == 1 {
            // One event, often a large one (`run_started`): its line is written as it was made.
            bytes = batch[0].jsonLine()
            bytes.append(0x0A)
        } else {
            bytes = []
            bytes.reserveCapacity(batch.count * 128)
            for event in batch {
                bytes.append(contentsOf: event.jsonLine())
                bytes.append(0x0A)
            }
        }
        if let code = bytes.withUnsafeBytes({ DescriptorIO.writeAll($0, to: descriptor) }) {
            return "cannot write the journal: \(String(cString: strerror(code)))"
        }
        if syncToDisk && fsync(descriptor) != 0 {
            return "cannot sync the journal to disk: \(String(cString: strerror(errno)))"
        }
        // Writes to a file whose directory was removed succeed, and go nowhere anyone can read.
        var status = stat()
        if fstat(descriptor, &status) == 0 && status.st_nlink == 0 {
            return "the journal file was removed while the run was writing it (was the run directory deleted?)"
        }
        return nil
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

    /// The path, then the message; a message that names its own file stands alone.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
