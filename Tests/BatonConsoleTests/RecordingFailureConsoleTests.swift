import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// What the console does once the engine says the run can no longer be recorded.
@Suite struct RecordingFailureConsoleTests {
    typealias S = ConsoleTestSupport

    @Test func theHeaderSaysNotRecordedAndTheStatusLineSaysWhatFailed() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        let effects = S.update(&state, .engine(.recordingFailed("/runs/r/events.jsonl: cannot write the journal: No space left on device")))
        #expect(effects == [.bell])
        #expect(HeaderView(state: state, theme: .builtInDark, unicode: true).runLabel == "NOT RECORDED")
        #expect(state.status?.isError == true)
        #expect(state.status?.text.contains("No space left on device") == true)
    }

    @Test func quittingNeedsNoConfirmationAndTheClockStops() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        let before = state.now
        _ = S.update(&state, .engine(.recordingFailed("journal removed")))
        _ = S.update(&state, .tick(before + 60))
        #expect(state.now == before, "the run stands where its last recorded event left it")
        #expect(S.update(&state, .key(.character("q"))) == [.quit(cancelRun: false)])
        #expect(state.dialog == nil)
    }
}
