import Synchronization

/// The channel through which the engine signals a running execution.
///
/// The engine may send a signal before the executor has a process to deliver it to; such
/// signals are kept and handed to the handler as soon as the executor installs one. Once the
/// execution has finished, signals are dropped.
public final class ExecutionControl: Sendable {
    private struct Storage {
        var handler: (@Sendable (ControlSignal) -> Void)?
        var queued: [ControlSignal] = []
        var finished = false
    }

    private let storage = Mutex(Storage())

    public init() {}

    /// Sends `signal` to the execution, now or as soon as it has a process.
    public func send(_ signal: ControlSignal) {
        let handler: (@Sendable (ControlSignal) -> Void)? = storage.withLock { storage in
            if storage.finished { return nil }
            guard let handler = storage.handler else {
                storage.queued.append(signal)
                return nil
            }
            return handler
        }
        handler?(signal)
    }

    /// Called by an executor once it can deliver signals; replays any signal sent before.
    public func install(_ handler: @escaping @Sendable (ControlSignal) -> Void) {
        let queued: [ControlSignal] = storage.withLock { storage in
            storage.handler = handler
            defer { storage.queued.removeAll() }
            return storage.queued
        }
        for signal in queued { handler(signal) }
    }

    /// Called by an executor when its process is gone; later signals are ignored.
    public func finish() {
        storage.withLock { storage in
            storage.finished = true
            storage.handler = nil
        }
    }
}
