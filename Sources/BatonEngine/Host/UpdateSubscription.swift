import Dispatch
import Synchronization

/// One subscriber's bounded buffer of what the engine published (see `UpdateFanOut`), read
/// by a thread of its own with `next()`.
public final class UpdateSubscription: Sendable {
    /// Why a subscription ended.
    public enum Ending: Sendable, Hashable {
        /// The run's journal closed: nothing more will be published.
        case closed
        /// More than `limit` updates waited to be read: the subscriber must start again
        /// from the journal.
        case fellBehind
        /// The subscriber cancelled it.
        case cancelled
    }

    /// What `next()` returns: updates in the order they were published, or the end.
    public enum Next: Sendable, Hashable {
        case updates([PublishedUpdate])
        case ended(Ending)
    }

    private struct Buffer {
        var pending: [PublishedUpdate] = []
        /// The bytes of the lines in `pending`: a chatty step's chunks are few but large.
        var pendingBytes = 0
        var ending: Ending?
    }

    /// The most bytes of lines a subscriber may have pending.
    static let byteLimit = 16 << 20

    let id: Int
    private let limit: Int
    private let buffer = Mutex(Buffer())
    private let ready = DispatchSemaphore(value: 0)
    private let onCancel: @Sendable (Int) -> Void

    init(id: Int, limit: Int, onCancel: @escaping @Sendable (Int) -> Void) {
        self.id = id
        self.limit = limit
        self.onCancel = onCancel
    }

    /// Waits until something was published or the subscription ended, and takes it all.
    /// Blocks the calling thread: call it from a thread of the subscriber's own.
    public func next() -> Next {
        while true {
            let taken = buffer.withLock { buffer -> Next? in
                if !buffer.pending.isEmpty {
                    defer {
                        buffer.pending.removeAll(keepingCapacity: true)
                        buffer.pendingBytes = 0
                    }
                    return .updates(buffer.pending)
                }
                return buffer.ending.map { .ended($0) }
            }
            if let taken { return taken }
            ready.wait()
        }
    }

    /// Takes what was published since the last take, without waiting; empty when nothing was.
    public func takeNow() -> [PublishedUpdate] {
        buffer.withLock { buffer in
            defer {
                buffer.pending.removeAll(keepingCapacity: true)
                buffer.pendingBytes = 0
            }
            return buffer.pending
        }
    }

    /// Ends the subscription; a thread waiting in `next()` wakes and gets `.ended(.cancelled)`
    /// once what was published before is taken.
    public func cancel() {
        finish(.cancelled)
        onCancel(id)
    }

    /// Adds updates; false (and the subscription ends) when they do not fit the buffer.
    func offer(_ updates: [PublishedUpdate]) -> Bool {
        let fits = buffer.withLock { buffer -> Bool in
            guard buffer.ending == nil else { return false }
            let bytes = updates.reduce(0) { $0 + $1.line.count }
            guard buffer.pending.count + updates.count <= limit, buffer.pendingBytes + bytes <= Self.byteLimit else {
                // What is pending is dropped too: the subscriber starts again from the journal.
                buffer.pending.removeAll()
                buffer.pendingBytes = 0
                buffer.ending = .fellBehind
                return false
            }
            buffer.pending.append(contentsOf: updates)
            buffer.pendingBytes += bytes
            return true
        }
        ready.signal()
        return fits
    }

    func finish(_ ending: Ending) {
        buffer.withLock { buffer in
            if buffer.ending == nil { buffer.ending = ending }
        }
        ready.signal()
    }
}

/// An update as the fan-out hands it on: with its protocol line (`HostLines`), written once for
/// every subscriber.
public struct PublishedUpdate: Sendable, Hashable {
    public let update: EngineUpdate
    /// The update's line (or lines, for a chunk cut into pieces), newline included.
    public let line: [UInt8]
}
