import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// A console attached to another Baton's run: quitting detaches, a snapshot replaces the
/// view, a read-only view acts on nothing, and a host that goes away is said so.
@Suite struct AttachedConsoleTests {
    typealias S = ConsoleTestSupport

    @Test func quittingAnActiveRunOnlyDetaches() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        state.seat = .attached
        #expect(state.runIsActive)
        #expect(S.update(&state, .key(.character("q"))) == [.quit(cancelRun: false)], "no question: the run goes on")
        #expect(state.dialog == nil)
    }

    @Test func aSnapshotReplacesTheRunItsLogsAndWhatNeedsAnEye() {
        var state = S.state()
        state.seat = .attached
        let snapshotState = S.state([S.step("build", .running, attempt: 1), S.step("build", .failed, attempt: 1, exitCode: 2)]).run
        let line = OutputLine(stepID: "build", stream: .stderr, text: "make: *** [all] Error 2", time: .init(timeIntervalSince1970: 1_000_010))
        _ = S.update(&state, .snapshot(RunSnapshot(state: snapshotState, events: [], logs: ["build": [line]])))
        #expect(state.run["build"]?.state == .failed)
        #expect(state.logs["build"]?.lines.map(\.text) == ["make: *** [all] Error 2"])
        #expect(state.attention.map(\.text) == ["'build' failed"])
    }

    @Test func aReadOnlyViewRefusesEveryActionAndSaysWhy() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        state.seat = .attachedReadOnly
        state.selected = 0
        let verdict = ActionOffers.verdict(.cancel, in: state, plan: S.context.plan)
        #expect(verdict == .refused("this view is read-only (baton attach --read-only)"))
        let effects = S.update(&state, .key(.character("c")))
        #expect(!effects.contains { if case .command = $0 { true } else { false } })
        #expect(state.status?.text.contains("read-only") == true)
    }

    @Test func aHostThatGoesAwayIsSaidSoTheClockStopsAndNothingIsOffered() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        state.seat = .attached
        let effects = S.update(&state, .clientEnded(.hostGone("the run's Baton is gone (it died or was killed): baton resume r takes the run up")))
        #expect(effects == [.bell])
        #expect(HeaderView(state: state, theme: .builtInDark, unicode: true).runLabel == "HOST GONE")
        #expect(state.status?.text.contains("baton resume r") == true)
        let before = state.now
        _ = S.update(&state, .tick(before + 60))
        #expect(state.now == before)
        #expect(ActionOffers.verdict(.cancel, in: state, plan: S.context.plan) == .refused("the run's Baton is gone: nothing can be done from here"))
        let screen = S.screen(state)
        #expect(screen.lines[0].contains("ATTACHED as alice"))
    }

    @Test func theConsoleThatHostsTheRunIgnoresAnEnding() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        #expect(S.update(&state, .clientEnded(.closed("closed"))).isEmpty)
        #expect(state.hostEnding == nil)
    }
}
