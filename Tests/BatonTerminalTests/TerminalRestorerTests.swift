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

    /// A signal the kernel sends with a positive si_code is not always a fault that happens
    /// again when the handler returns: here the kernel sends SIGXCPU (as F_SETSIG asks) with
    /// si_code POLL_IN when a pipe becomes readable. The handler must raise it again, or the
    /// process would go on as if nothing had happened.
    @Test func aKernelSignalThatDoesNotRepeatStillEndsTheProcess() async {
        let result = await #expect(processExitsWith: .signal(SIGXCPU), observing: [\.standardOutputContent]) {
            TerminalRestorer.saveState(descriptor: STDOUT_FILENO)
            TerminalRestorer.setScreenActive(true)
            TerminalRestorer.installCrashHandlers()
            unblock(SIGXCPU)
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else { exit(3) }
            let setSignal: Int32 = 10  // F_SETSIG (Linux), not exported to Swift
            guard fcntl(ends[0], F_SETOWN, getpid()) == 0, fcntl(ends[0], setSignal, SIGXCPU) == 0,
                  fcntl(ends[0], F_SETFL, O_ASYNC) == 0 else { exit(4) }
            var byte: UInt8 = 1
            _ = write(ends[1], &byte, 1)
            // Reached only if the signal did not end the process.
            sleep(5)
            exit(0)
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
