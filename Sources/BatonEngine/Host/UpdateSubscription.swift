import Synchronization

/// One subscriber's bounded buffer of what the engine published (see `UpdateFanOut`), taken
/// with `take()` whenever its `wake` says there is something.
public final class UpdateSubscription: Sendable {
    /// Why a subscription ended.
    public enum Ending: Sendable, Hashable {
        /// The run's journal closed: nothing more will be published.
        case closed
        /// More than `limit` updates waited to be taken: the subscriber must start again
        /// from the journal.
        case fellBehind
        /// The subscriber cancelled it.
        case cancelled
    }

    /// What `take()` returns: updates in the order they were published, or the end.
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
    /// Called, on the publisher's thread, whenever there is something to take.
    private let wake: @Sendable () -> Void
    private let onCancel: @Sendable (Int) -> Void

    init(id: Int, limit: Int, wake: @escaping @Sendable () -> Void, onCancel: @escaping @Sendable (Int) -> Void) {
        self.id = id
        self.limit = limit
        self.wake = wake
        self.onCancel = onCancel
    }

    /// Takes everything published since the last take, or the end once that is all taken;
    /// nil when there is nothing yet. Never waits.
    public func take() -> Next? {
        buffer.withLock { buffer -> Next? in
            if !buffer.pending.isEmpty {
                defer {
                    buffer.pending.removeAll(keepingCapacity: true)
                    buffer.pendingBytes = 0
                }
                return .updates(buffer.pending)
            }
            return buffer.ending.map { .ended($0) }
        }
    }

    /// Whether the subscription has ended (what was published before may still wait).
    var hasEnded: Bool { buffer.withLock { $0.ending != nil } }

    /// Ends the subscription; `take()` gives `.ended(.cancelled)` once what was published
    /// before is taken.
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
        wake()
        return fits
    }

    func finish(_ ending: Ending) {
        buffer.withLock { buffer in
            if buffer.ending == nil { buffer.ending = ending }
        }
        wake()
    }
}

/// An update as the fan-out hands it on: with its protocol line (`HostLines`), written once for
/// every subscriber.
public struct PublishedUpdate: Sendable, Hashable {
    public let update: EngineUpdate
    /// The update's line (or lines, for a chunk cut into pieces), newline included.
    public let line: [UInt8]
}
