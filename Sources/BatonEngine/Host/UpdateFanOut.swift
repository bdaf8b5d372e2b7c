import Synchronization

/// Hands everything the engine publishes (durable events, step output, a recording failure)
/// to any number of subscribers, the run host's watching clients, each through a bounded
/// buffer of its own.
///
/// Publishing never waits: a subscriber whose buffer is full has fallen behind, and is told
/// so by its subscription, so that it resynchronises from the journal; the engine and the
/// other subscribers go on as if it were not there.
public final class UpdateFanOut: Sendable {
    /// How many updates a subscriber may have pending before it counts as fallen behind.
    public let limit: Int
    private struct Subscribers {
        var next = 0
        var all: [Int: UpdateSubscription] = [:]
        var finished = false
    }
    private let subscribers = Mutex(Subscribers())
    /// How many subscribe now, read without the lock: output is published per chunk, and a
    /// run nobody watches should not pay for a lock per chunk.
    private let count = Atomic<Int>(0)

    public init(limit: Int = 10_000) {
        self.limit = limit
    }

    /// A subscription to what is published from now on. It ends when the run's journal
    /// closes, when the subscriber falls behind, or on `cancel()`. `wake` is called, on the
    /// publisher's thread, whenever there is something to take: it must not wait.
    public func subscribe(wake: @escaping @Sendable () -> Void) -> UpdateSubscription {
        subscribers.withLock { subscribers in
            subscribers.next += 1
            let subscription = UpdateSubscription(id: subscribers.next, limit: limit, wake: wake) { [weak self] id in self?.remove(id) }
            if subscribers.finished {
                subscription.finish(.closed)
            } else {
                subscribers.all[subscription.id] = subscription
                count.store(subscribers.all.count, ordering: .relaxed)
            }
            return subscription
        }
    }

    /// Whether the run's journal has closed: nothing more will be published.
    var isFinished: Bool { subscribers.withLock { $0.finished } }

    /// Whether anyone subscribes now.
    var hasSubscribers: Bool { subscriberCount > 0 }

    /// How many subscribe now.
    var subscriberCount: Int { count.load(ordering: .relaxed) }

    /// Gives updates to every subscriber; one that has no room left is told it fell behind.
    func publish(_ updates: [EngineUpdate]) {
        guard hasSubscribers, !updates.isEmpty else { return }
        // Written once here, on the publisher's thread, rather than once per subscriber.
        let published = updates.map { PublishedUpdate(update: $0, line: HostLines.line(for: $0)) }
        subscribers.withLock { subscribers in
            for (id, subscription) in subscribers.all where !subscription.offer(published) {
                subscribers.all.removeValue(forKey: id)
            }
            count.store(subscribers.all.count, ordering: .relaxed)
        }
    }

    /// Ends every subscription: the run's journal is closed.
    func finishAll() {
        let all = subscribers.withLock { subscribers in
            subscribers.finished = true
            count.store(0, ordering: .relaxed)
            defer { subscribers.all.removeAll() }
            return Array(subscribers.all.values)
        }
        for subscription in all { subscription.finish(.closed) }
    }

    private func remove(_ id: Int) {
        subscribers.withLock { subscribers in
            subscribers.all.removeValue(forKey: id)
            count.store(subscribers.all.count, ordering: .relaxed)
        }
    }
}
