import BatonEngine
import BatonTerminal
import Foundation
import Synchronization

/// Reads the runs of a state directory for `baton top` and follows them as they change, on a
/// thread of its own, so that reading journals never delays a key.
///
/// The thread sleeps in `poll` on the `RunsWatcher`'s inotify descriptor; nothing is polled.
/// When it wakes it folds only the journals that grew, from where it left off, looks whether a
/// host serves a run only when its socket or its journal's writer changed, and posts the runs
/// whose row changed. A queue overflow or a runs folder that comes or goes makes it look at
/// every run again, still without folding any journal twice.
public final class TopFeed: Sendable {
    private let worker: WorkerHandle
    private let stopSignal: WakeSignal
    private let stopped = Atomic<Bool>(false)

    /// Prepares to watch `stateDirectory` for `user`; throws when inotify cannot be used at all.
    public init(stateDirectory: StateDirectory, user: String) throws {
        let watcher = try RunsWatcher(stateDirectory: stateDirectory)
        worker = WorkerHandle(TopFeedWorker(watcher: watcher, user: user))
        stopSignal = try WakeSignal()
    }

    /// Starts the feed's thread. `post` is called on it with each batch of messages: the first
    /// reading of every run (in batches, newest runs first, then `.loaded`), then what changes.
    public func start(post: @escaping @Sendable ([TopMessage]) -> Void) {
        let thread = Thread { [self] in
            worker.worker.run(stop: stopSignal.readDescriptor, isStopped: { self.stopped.load(ordering: .relaxed) }, post: post)
        }
        thread.name = "baton-top-feed"
        thread.start()
    }

    /// Stops the thread at its next wake, which this causes. Safe from any thread.
    public func stop() {
        stopped.store(true, ordering: .relaxed)
        stopSignal.wake()
    }
}

/// Hands the worker to the feed's thread, the only one that uses it after `init`.
private final class WorkerHandle: @unchecked Sendable {
    let worker: TopFeedWorker
    init(_ worker: TopFeedWorker) { self.worker = worker }
}
