#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import BatonTerminal

@Suite struct TerminalRestorerTests {
    @Test func restoringWithoutATerminalDoesNothing() {
        // The test process has no terminal worth touching; these must simply return.
        TerminalRestorer.restoreNow()
        TerminalRestorer.releaseStandardError()
        TerminalRestorer.setScreenActive(false)
        #expect(Bool(true))
    }

    @Test func theSequenceLeavesTheAlternateScreenAndShowsTheCursor() {
        let sequence = TerminalRestorer.restoreSequence
        #expect(sequence.hasPrefix("\u{1B}[?1049l"))
        #expect(sequence.contains("\u{1B}[?25h"))
        #expect(sequence.contains("\u{1B}[0m"))
    }

    @Test func aCrashWritesTheRestoreSequenceThenDies() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardOutputContent]) {
            TerminalRestorer.saveState(descriptor: STDOUT_FILENO)
            TerminalRestorer.setScreenActive(true)
            TerminalRestorer.installCrashHandlers()
            abort()
        }
        let output = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self)
        #expect(output.contains(TerminalRestorer.restoreSequence))
    }

    @Test func aQuitSignalRestoresTheTerminalAndStillDumpsCore() async {
        let result = await #expect(processExitsWith: .signal(SIGQUIT), observing: [\.standardOutputContent]) {
            TerminalRestorer.saveState(descriptor: STDOUT_FILENO)
            TerminalRestorer.setScreenActive(true)
            TerminalRestorer.installCrashHandlers()
            // The test runner's thread blocks SIGQUIT, and exit tests inherit its mask.
            unblock(SIGQUIT)
            raise(SIGQUIT)
            // Reached only if the signal did not end the process.
            exit(0)
        }
        let output = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self)
        #expect(output.contains(TerminalRestorer.restoreSequence))
    }

    /// The kernel's SIGXCPU carries a positive si_code, like a CPU fault, but nothing repeats
    /// it when the handler returns: the handler must raise it again or the process would go on.
    @Test func theKernelsCPULimitSignalRestoresTheTerminalAndStillEndsTheProcess() async {
        let result = await #expect(processExitsWith: .signal(SIGXCPU), observing: [\.standardOutputContent]) {
            TerminalRestorer.saveState(descriptor: STDOUT_FILENO)
            TerminalRestorer.setScreenActive(true)
            TerminalRestorer.installCrashHandlers()
            unblock(SIGXCPU)
            // The second of CPU this needs is taken only when no other test wants it.
            _ = nice(19)
            var limit = rlimit()
            var used = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &used)
            limit.rlim_cur = rlim_t(used.tv_sec + 1)
            // One second later the kernel sends SIGKILL: the end of a process that went on.
            limit.rlim_max = limit.rlim_cur + 1
            setrlimit(__rlimit_resource_t(RLIMIT_CPU.rawValue), &limit)
            // Spin until the soft limit is passed.
            let deadline = ContinuousClock.now + .seconds(30)
            var spins: UInt64 = 0
            while ContinuousClock.now < deadline { spins &+= 1 }
            exit(spins == 0 ? 1 : 0)
        }
        let output = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self)
        #expect(output.contains(TerminalRestorer.restoreSequence))
    }

    /// A thread that overflows its stack can run the handler only on an alternate signal
    /// stack, which `prepareCurrentThread` gives it.
    @Test func aStackOverflowOnAPreparedThreadRestoresTheTerminal() async {
        let result = await #expect(processExitsWith: .signal(SIGSEGV), observing: [\.standardOutputContent]) {
            TerminalRestorer.saveState(descriptor: STDOUT_FILENO)
            TerminalRestorer.setScreenActive(true)
            TerminalRestorer.installCrashHandlers()
            let thread = Thread {
                TerminalRestorer.prepareCurrentThread()
                _ = overflowTheStack(0)
            }
            thread.stackSize = 1 << 20
            thread.start()
            sleep(30)
            exit(0)
        }
        let output = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self)
        #expect(output.contains(TerminalRestorer.restoreSequence))
    }

    @Test func noSequenceIsWrittenWhileTheScreenIsNotTakenOver() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardOutputContent]) {
            TerminalRestorer.saveState(descriptor: STDOUT_FILENO)
            TerminalRestorer.setScreenActive(false)
            TerminalRestorer.installCrashHandlers()
            abort()
        }
        let output = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self)
        #expect(!output.contains("\u{1B}[?1049l"))
    }
}

/// Lets `signal` reach the calling thread.
private func unblock(_ signal: Int32) {
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, signal)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
}

/// Recurses until the stack runs out; each frame keeps a buffer alive across the call, so the
/// recursion cannot become a loop.
@inline(never)
private func overflowTheStack(_ depth: Int) -> Int {
    guard depth < Int.max else { return depth }
    return withUnsafeTemporaryAllocation(of: Int.self, capacity: 64) { frame in
        frame.initialize(repeating: depth)
        return overflowTheStack(depth + 1) &+ frame[depth % frame.count]
    }
}
