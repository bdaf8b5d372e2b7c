import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// `baton top`'s keys and clock, on states alone.
@Suite struct TopUpdateTests {
    typealias T = TopTestSupport

    private func press(_ key: Key, _ state: inout TopState) -> [TopEffect] {
        TopUpdate.update(&state, .key(key))
    }

    @Test func jAndKAndTheArrowsMoveTheSelectionAndStopAtTheEnds() {
        var state = T.state((0..<5).map { T.run("r\($0)", live: true, age: Double($0 + 1)) })
        #expect(state.selectedRun?.id == "r0")
        _ = press(.character("j"), &state)
        _ = press(.down, &state)
        #expect(state.selectedRun?.id == "r2")
        _ = press(.character("k"), &state)
        #expect(state.selectedRun?.id == "r1")
        _ = press(.up, &state)
        _ = press(.up, &state)
        #expect(state.selectedRun?.id == "r0")
        _ = press(.character("G"), &state)
        #expect(state.selectedRun?.id == "r4")
        _ = press(.down, &state)
        #expect(state.selectedRun?.id == "r4")
        _ = press(.home, &state)
        #expect(state.selectedRun?.id == "r0")
        _ = press(.pageDown, &state)
        #expect(state.selectedRun?.id == "r4")
    }

    @Test func enterAttachesToALiveRunAndReplaysOneNobodyServes() {
        var state = T.state([T.run("live", live: true, age: 1), T.run("done", finished: true, age: 100), T.run("died", age: 50)])
        #expect(press(.enter, &state) == [.handOver(runID: "live", arguments: ["attach", "/state/runs/live"])])
        _ = press(.character("j"), &state)
        #expect(state.selectedRun?.id == "done")
        #expect(press(.enter, &state) == [.handOver(runID: "done", arguments: ["replay", "/state/runs/done", "--speed", "0"])])
        _ = press(.character("j"), &state)
        #expect(press(.enter, &state) == [.handOver(runID: "died", arguments: ["replay", "/state/runs/died", "--speed", "0"])])
        // What the footer offers follows the selection.
        #expect(TopKeymap.standard.footerHints(for: state.selectedRun).map(\.label) == ["select", "replay", "help", "quit"])
        #expect(TopKeymap.standard.footerHints(for: T.run("x", live: true)).map(\.label) == ["select", "attach", "help", "quit"])
    }

    @Test func enterOnAnUnreadableRunOrNoRunSaysWhyAndRunsNothing() {
        var state = T.state([TopRun(id: "bad", directory: "/state/runs/bad", problem: "journal line 3 is not a valid event")])
        #expect(press(.enter, &state).isEmpty)
        #expect(state.status?.text == "run bad cannot be replayed: journal line 3 is not a valid event")
        #expect(state.status?.isError == true)
        // The next key clears it.
        _ = press(.character("j"), &state)
        #expect(state.status == nil)

        var empty = T.state([])
        #expect(press(.enter, &empty).isEmpty)
        #expect(empty.status?.text == "no run to open")
    }

    @Test func qAndCtrlCQuitAndHelpOpensScrollsAndClosesOnAnyOtherKey() {
        var state = T.state([T.run("a", live: true)], height: 10)
        #expect(press(.character("q"), &state) == [.quit])
        #expect(press(.control("c"), &state) == [.quit])
        #expect(press(.character("?"), &state).isEmpty)
        #expect(state.help?.lines.first?.hasPrefix("Up/k") == true)
        #expect(state.help?.lines.contains { $0.contains("Enter") && $0.contains("baton attach RUN") } == true)
        _ = press(.character("j"), &state)
        #expect(state.help?.scroll == 1)
        // q closes the help rather than quitting.
        #expect(press(.character("q"), &state).isEmpty)
        #expect(state.help == nil)
    }

    @Test func theClockWakesOnlyWhileARowShowsARunningTimeAndOnlyWhenItsTextChanges() {
        // Nothing live: no clock at all.
        var state = T.state([T.run("done", finished: true), T.run("died", age: 30)])
        #expect(state.nextClockChange == nil)

        // Two live runs started at different fractions of a second: one redraw a second for both.
        state.upsert([T.run("a", live: true, age: 10.3), T.run("b", live: true, age: 20.6)])
        state.now = T.now
        #expect(state.nextClockChange == T.now + 1)

        // Runs over an hour old show minutes: the next change is at the next whole minute of the oldest.
        state.remove(["a", "b"])
        state.upsert([T.run("long", live: true, age: 7200 + 15)])
        #expect(state.nextClockChange == T.now + 45)

        // A live run that finished (its console stays open) has a fixed time.
        state.upsert([T.run("long", live: true, finished: true, age: 7200)])
        #expect(state.nextClockChange == nil)

        _ = TopUpdate.update(&state, .tick(T.now + 5))
        #expect(state.now == T.now + 5)
    }

    @Test func feedMessagesAddChangeAndRemoveRows() {
        var state = TopState(user: "me", stateDirectory: "/state", width: 100, height: 20, now: T.now)
        _ = TopUpdate.update(&state, .runs([T.run("a", live: true), T.run("b", finished: true)]))
        #expect(T.order(state) == ["a", "b"])
        _ = TopUpdate.update(&state, .runs([T.run("a", finished: true, finishedAgo: 100)]))
        #expect(T.order(state) == ["b", "a"])
        _ = TopUpdate.update(&state, .removed(["b"]))
        #expect(T.order(state) == ["a"])
        _ = TopUpdate.update(&state, .watchNotice("no runs folder"))
        #expect(state.watchNotice == "no runs folder")
        _ = TopUpdate.update(&state, .loaded)
        #expect(state.loaded)
        _ = TopUpdate.update(&state, .childEnded("back from baton attach a", isError: false))
        #expect(state.status?.text == "back from baton attach a")
    }
}
