import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// `L`: the selection follows the step that most recently started, failed or began to wait,
/// so a newcomer watching a demo sees the parallel steps' output; moving by hand stops it.
@Suite struct FollowTheActionTests {
    typealias S = ConsoleTestSupport

    private func event(_ state: AppState, _ id: String, _ target: StepState, attempt: Int? = nil) -> ConsoleMessage {
        var event = RunEvent.step(id, target, attempt: attempt, exitCode: target == .failed ? 1 : nil)
        event.seq = state.run.lastSeq + 1
        event.time = 1_000_020
        return .engine(.event(event))
    }

    @Test func theSelectionFollowsEachStepThatStartsFailsOrWaits() {
        var state = S.state()
        state.followsActivity = true
        _ = S.update(&state, event(state, "build", .running, attempt: 1))
        #expect(state.selectedStep?.id == "build")
        _ = S.update(&state, event(state, "build", .succeeded))
        _ = S.update(&state, event(state, "test", .running, attempt: 1))
        _ = S.update(&state, event(state, "db", .running, attempt: 1))
        #expect(state.selectedStep?.id == "db", "the step that started last")
        _ = S.update(&state, event(state, "test", .failed))
        #expect(state.selectedStep?.id == "test", "a failure takes the eye")
        #expect(LogView(state: state, theme: .builtInDark, unicode: true).title.contains("auto"))
    }

    @Test func movingByHandStopsFollowingAndLTurnsItBackOn() {
        var state = S.state()
        state.followsActivity = true
        state.focus = .steps
        _ = S.update(&state, .key(.character("j")))
        #expect(!state.followsActivity)
        #expect(state.status?.text == "auto off (L follows the action again)")
        let before = state.selected
        _ = S.update(&state, event(state, "db", .running, attempt: 1))
        #expect(state.selected == before, "off, a start moves nothing")
        _ = S.update(&state, .key(.character("L")))
        #expect(state.followsActivity)
        _ = S.update(&state, event(state, "test", .running, attempt: 1))
        #expect(state.selectedStep?.id == "test")
        #expect(!LogView(state: S.state(), theme: .builtInDark, unicode: true).title.contains("auto"), "off by default")
    }
}
