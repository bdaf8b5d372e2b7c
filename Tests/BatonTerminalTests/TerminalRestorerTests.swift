#if canImport(Glibc)
import Glibc
#endif
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
