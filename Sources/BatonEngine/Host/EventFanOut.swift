import Synchronization

/// Hands every event the engine publishes to any number of subscribers (the run host's
/// watching clients), each through a bounded buffer of its own.
///
/// Publishing never waits: a subscriber whose buffer is full has fallen behind, and its
/// stream is ended so that it resynchronises from the journal; the engine and the other
/// subscribers go on as if it were not there.
public final class EventFanOut: Sendable {
    /// How many events a subscriber may have pending before it counts as fallen behind.
    public let limit: Int
    private struct Subscribers {
        var next = 0
        var streams: [Int: AsyncStream<RunEvent>.Continuation] = [:]
        var finished = false
    }
    private let subscribers = Mutex(Subscribers())

    public init(limit: Int = 10_000) {
        self.limit = limit
    }

    /// A stream of the events published from now on, and its id for `unsubscribe`. The stream
    /// ends when the run's journal closes, when the subscriber falls behind, or on `unsubscribe`.
    public func subscribe() -> (id: Int, events: AsyncStream<RunEvent>) {
        let (stream, continuation) = AsyncStream<RunEvent>.makeStream(bufferingPolicy: .bufferingOldest(limit))
        let id = subscribers.withLock { subscribers -> Int in
            subscribers.next += 1
            if subscribers.finished {
                continuation.finish()
            } else {
                subscribers.streams[subscribers.next] = continuation
            }
            return subscribers.next
        }
        return (id, stream)
    }

    /// Ends a subscriber's stream.
    public func unsubscribe(_ id: Int) {
        subscribers.withLock { $0.streams.removeValue(forKey: id) }?.finish()
    }

    /// Gives events to every subscriber; ends the stream of one that has no room left.
    func publish(_ events: [RunEvent]) {
        subscribers.withLock { subscribers in
            for (id, continuation) in subscribers.streams {
                for event in events {
                    if case .dropped = continuation.yield(event) {
                        continuation.finish()
                        subscribers.streams.removeValue(forKey: id)
                        break
                    }
                }
            }
        }
    }

    /// Ends every stream: the run's journal is closed.
    func finishAll() {
        let streams = subscribers.withLock { subscribers in
            subscribers.finished = true
            defer { subscribers.streams.removeAll() }
            return Array(subscribers.streams.values)
        }
        for continuation in streams { continuation.finish() }
    }
}
