import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process group of one running step; signals sent through it reach every process of
/// the group.
///
/// The group's id is the shell's pid. The shell is not reaped before `release()`, so until
/// then the id cannot be given to another process, and after it nothing is sent: a signal
/// can never hit an unrelated process that happens to get the same number.
final class ProcessGroup: Sendable {
    private struct State {
        var released = false
        var stopRequested = false
    }

    let id: pid_t
    private let state = Mutex(State())

    init(id: pid_t) {
        self.id = id
    }

    /// Whether a terminate or kill has been sent.
    var stopRequested: Bool { state.withLock { $0.stopRequested } }

    /// Delivers an engine signal to every process of the group.
    ///
    /// A stopped process does not act on SIGTERM until it is continued, so `terminate`
    /// sends SIGCONT right after SIGTERM: a suspended step can be terminated.
    func deliver(_ signal: ControlSignal) {
        state.withLock { state in
            guard !state.released else { return }
            switch signal {
            case .suspend:
                _ = kill(-id, SIGSTOP)
            case .resume:
                _ = kill(-id, SIGCONT)
            case .terminate:
                state.stopRequested = true
                _ = kill(-id, SIGTERM)
                _ = kill(-id, SIGCONT)
            case .kill:
                state.stopRequested = true
                _ = kill(-id, SIGKILL)
            }
        }
    }

    /// Called once the shell has exited and just before it is reaped: if the step was being
    /// stopped, kills whatever is left of the group; then stops all signalling.
    func release() {
        state.withLock { state in
            guard !state.released else { return }
            if state.stopRequested { _ = kill(-id, SIGKILL) }
            state.released = true
        }
    }
}
