import Foundation
import Synchronization

/// Writes what the engine publishes to every live watcher of a run host, from one thread.
///
/// A watcher's own thread sends it the journal so far and `live`, then hands it here
/// (`adopt`). The pump waits in `poll(2)` on every watcher's socket and on a wake-up pipe
/// that the watchers' subscriptions poke when something is published. It gathers
/// `batchMicroseconds` of updates, then writes each watcher what is new for it, never
/// blocking on any one. Twenty watchers thus cost the run one thread that wakes once per
/// batch, not twenty threads that each wake on every event.
///
/// A watcher whose socket stays full is taken nothing more from: its subscription fills and
/// ends with `fellBehind`, and the watcher is sent the `end` (for `sendLimit` at most) and
/// dropped. The run never waits for it.
final class WatcherPump: Sendable {
    /// How long the pump gathers updates before it writes them.
    static let batchMicroseconds: UInt32 = 5_000
    /// How long a watcher that is being sent its `end` may take to read it.
    static let sendLimit = Duration.seconds(5)
    /// Below this many unsent bytes, a watcher is given what was published since.
    static let refillBelow = 64 * 1024

    /// A watcher in the pump's hands.
    struct Watcher: Sendable {
        let descriptor: Int32
        let subscription: UpdateSubscription
        /// The last event the watcher was sent: the journal it was sent may hold some that
        /// were published after it subscribed.
        var lastSequence: Int
        let withOutput: Bool
        var outbound: [UInt8] = []
        var sent = 0
        /// Once its `end` is queued: when to give up on sending it.
        var endDeadline: ContinuousClock.Instant?
        var done = false

        init(descriptor: Int32, subscription: UpdateSubscription, lastSequence: Int, withOutput: Bool) {
            self.descriptor = descriptor
            self.subscription = subscription
            self.lastSequence = lastSequence
            self.withOutput = withOutput
        }
    }

    private struct Arrivals {
        var watchers: [Watcher] = []
        var stopping = false
    }

    private let arrivals = Mutex(Arrivals())
    /// The wake-up pipe: the pump polls its read end; a poke writes a byte to the other.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    /// Whether the next poke must write to the pipe: the first poke after the pump last
    /// looked does; the others find it already awake.
    private let armed = Atomic<Bool>(true)
    init() throws(HostError) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw HostError("cannot make the watchers' wake-up pipe: \(String(cString: strerror(errno)))") }
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        wakeRead = ends[0]
        wakeWrite = ends[1]
    }

    /// Starts the pump's thread; `onClose` is called on it when the pump has finished with a
    /// watcher's connection. The thread holds the pump until its last watcher is gone after
    /// `stop()`.
    func start(onClose: @escaping @Sendable (Int32) -> Void) {
        let thread = Thread { [self] in run(onClose: onClose) }
        thread.name = "baton-host-watchers"
        thread.start()
    }

    /// Says something was published: called by the subscriptions, on the publisher's thread.
    func wake() {
        guard armed.exchange(false, ordering: .sequentiallyConsistent) else { return }
        poke()
    }

    /// Takes over a watcher that has been sent the journal and `live`; false once the pump
    /// is stopping (the caller then closes the connection itself).
    func adopt(_ watcher: Watcher) -> Bool {
        let taken = arrivals.withLock { arrivals in
            guard !arrivals.stopping else { return false }
            arrivals.watchers.append(watcher)
            return true
        }
        if taken { poke() }
        return taken
    }

    /// Ends the pump once its watchers are gone; the host shuts their sockets down.
    func stop() {
        arrivals.withLock { $0.stopping = true }
        poke()
    }

    private func poke() {
        var byte: UInt8 = 1
        // A full pipe already holds a wake-up: nothing is lost when this write fails.
        _ = write(wakeWrite, &byte, 1)
    }

    // The pipe outlives the thread: a subscription still being set up may poke it.
    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    private func run(onClose: @Sendable (Int32) -> Void) {
        var watchers: [Watcher] = []
        while true {
            // Whatever is published from here on pokes the pipe again.
            armed.store(true, ordering: .sequentiallyConsistent)
            let (arrived, stopping) = arrivals.withLock { arrivals in
                defer { arrivals.watchers.removeAll() }
                return (arrivals.watchers, arrivals.stopping)
            }
            watchers += arrived
            let now = ContinuousClock.now
            for index in watchers.indices { serve(&watchers[index], now: now) }
            watchers.removeAll { watcher in
                guard watcher.done else { return false }
                watcher.subscription.cancel()
                onClose(watcher.descriptor)
                return true
            }
            if stopping && watchers.isEmpty { return }
            var descriptors = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            for watcher in watchers {
                let writable = watcher.sent < watcher.outbound.count ? Int16(POLLOUT) : 0
                descriptors.append(pollfd(fd: watcher.descriptor, events: Int16(POLLIN) | writable, revents: 0))
            }
            let deadline = watchers.compactMap(\.endDeadline).min()
            let timeout = deadline.map { Int32(clamping: max(0, ($0 - now).components.seconds * 1000 + 1)) } ?? -1
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
            guard ready > 0 else { continue }
            if descriptors[0].revents & Int16(POLLIN) != 0 {
                var drain = [UInt8](repeating: 0, count: 256)
                while read(wakeRead, &drain, drain.count) > 0 {}
                // What the next few milliseconds publish goes out with this: a busy run then
                // costs each watcher one write per batch, not one per event.
                usleep(Self.batchMicroseconds)
            }
            for (index, polled) in descriptors.dropFirst().enumerated() where polled.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                if !Self.discardInput(watchers[index].descriptor) { watchers[index].done = true }
            }
        }
    }

    /// Gives a watcher what was published for it since, and writes as much as its socket takes.
    private func serve(_ watcher: inout Watcher, now: ContinuousClock.Instant) {
        guard !watcher.done else { return }
        // Taken until nothing is left, so that an end that came after the last poke is seen
        // now. A watcher whose socket is full is given nothing more, until it reads or its
        // subscription ends because of it.
        while watcher.endDeadline == nil, watcher.outbound.count - watcher.sent < Self.refillBelow || watcher.subscription.hasEnded {
            switch watcher.subscription.take() {
            case nil:
                break
            case .updates(let batch):
                append(batch, to: &watcher)
                continue
            case .ended(.cancelled):
                watcher.done = true
                return
            case .ended(let ending):
                var end = HostMessage(type: .end)
                end.reason = ending == .fellBehind ? .fellBehind : .closed
                end.message = ending == .fellBehind
                    ? "this watcher fell behind the run: watch again to catch up"
                    : "the run's Baton closed its journal"
                watcher.outbound += end.line()
                watcher.endDeadline = now + Self.sendLimit
            }
            break
        }
        while watcher.sent < watcher.outbound.count {
            let count = watcher.outbound.withUnsafeBytes { bytes in
                send(watcher.descriptor, bytes.baseAddress! + watcher.sent, bytes.count - watcher.sent, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
            }
            if count > 0 {
                watcher.sent += count
            } else if count < 0 && errno == EINTR {
                continue
            } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                break
            } else {
                watcher.done = true
                return
            }
        }
        if watcher.sent == watcher.outbound.count {
            watcher.outbound.removeAll(keepingCapacity: true)
            watcher.sent = 0
            if watcher.endDeadline != nil { watcher.done = true }
        } else if let deadline = watcher.endDeadline, now >= deadline {
            watcher.done = true
        }
    }

    /// Appends the lines of a batch that this watcher has not had and asked for.
    private func append(_ batch: [PublishedUpdate], to watcher: inout Watcher) {
        for published in batch {
            switch published.update {
            case .event(let event):
                guard event.seq > watcher.lastSequence else { continue }
                watcher.lastSequence = event.seq
            case .output:
                guard watcher.withOutput else { continue }
            case .recordingFailed, .notificationFailed:
                break
            }
            // Each update's line was written once, when it was published, for every watcher.
            watcher.outbound += published.line
        }
    }

    /// Reads and drops what a watcher sent (nothing is asked of it any more); false when it
    /// has hung up.
    private static func discardInput(_ descriptor: Int32) -> Bool {
        var sink = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &sink, sink.count, Int32(MSG_DONTWAIT))
            if count > 0 { continue }
            if count < 0 && errno == EINTR { continue }
            return count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
        }
    }
}
