import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process group of one running step; signals sent through it reach every process of
/// the group, and every process that left the group but still carries the attempt's markers.
///
/// The group's id is the shell's pid. The shell is not reaped before `release()`, so until
/// then the id cannot be given to another process, and after it nothing is sent: a signal
/// can never hit an unrelated process that happens to get the same number.
///
/// A process that calls `setsid` (or `setpgid`) leaves the group, so `kill(-id, …)` no longer
/// reaches it. It keeps the environment it was started with, though, which holds the
/// attempt's `BATON_RUN_ID`, `BATON_STEP` and `BATON_ATTEMPT`: such processes are found in
/// `/proc` (`LeftoverProcesses.processes(carrying:)`) and get the same signals as the group.
/// Only a process that also threw its environment away escapes.
final class ProcessGroup: Sendable {
    private struct State {
        var released = false
        var stopRequested = false
    }

    let id: pid_t
    /// The environment entries of the attempt's processes; empty to signal the group only.
    private let markers: [String]
    private let state = Mutex(State())

    init(id: pid_t, markers: [String] = []) {
        self.id = id
        self.markers = markers
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
            let number: Int32
            switch signal {
            case .suspend:
                number = SIGSTOP
            case .resume:
                number = SIGCONT
            case .terminate:
                state.stopRequested = true
                number = SIGTERM
            case .kill:
                state.stopRequested = true
                number = SIGKILL
            }
            _ = kill(-id, number)
            if number == SIGTERM { _ = kill(-id, SIGCONT) }
            LeftoverProcesses.signal(number, processesCarrying: markers, outside: id)
        }
    }

    /// Called once the shell has exited and just before it is reaped: if the step was being
    /// stopped, kills whatever is left of the group and of the processes that left it; then
    /// stops all signalling.
    func release() {
        state.withLock { state in
            guard !state.released else { return }
            if state.stopRequested {
                _ = kill(-id, SIGKILL)
                // Another pass catches a child that an escaped process started meanwhile.
                var passes = 0
                while passes < 3, LeftoverProcesses.signal(SIGKILL, processesCarrying: markers, outside: id) > 0 {
                    passes += 1
                }
            }
            state.released = true
        }
    }
}
