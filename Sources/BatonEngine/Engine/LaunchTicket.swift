import Synchronization

/// Decides, once, whether an execution's process starts or never does.
///
/// The engine queues a process's start behind the journal event that records it. Either the
/// journal makes that event durable and runs the start (`claim`), or the journal fails first
/// and the engine gives the execution up (`abandon`); whichever comes first wins, so a step
/// whose start was never recorded is also never started.
final class LaunchTicket: Sendable {
    private enum Fate { case undecided, started, abandoned }
    private let fate = Mutex(Fate.undecided)

    /// Marks the execution as started; false if it was abandoned first.
    func claim() -> Bool {
        fate.withLock { fate in
            guard fate == .undecided else { return false }
            fate = .started
            return true
        }
    }

    /// Marks the execution as never to start; false if it had already started.
    func abandon() -> Bool {
        fate.withLock { fate in
            guard fate == .undecided else { return false }
            fate = .abandoned
            return true
        }
    }
}
