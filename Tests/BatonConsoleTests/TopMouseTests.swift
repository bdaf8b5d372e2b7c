import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// `baton top` and the mouse, on states alone: a click selects a run, a second one soon after
/// opens it as Enter does, the wheel moves the selection, the footer's hints are keys.
@Suite struct TopMouseTests {
    typealias T = TopTestSupport

    private func click(_ x: Int, _ y: Int, _ state: inout TopState) -> [TopEffect] {
        TopUpdate.update(&state, .mouse(MouseEvent(.press, x: x, y: y))) + TopUpdate.update(&state, .mouse(MouseEvent(.release, x: x, y: y)))
    }

    private func wheel(_ kind: MouseEvent.Kind, _ state: inout TopState) {
        _ = TopUpdate.update(&state, .mouse(MouseEvent(kind, x: 10, y: 5)))
    }

    /// The screen row of a run (below the header and the titles).
    private func row(of id: String, _ state: TopState) throws -> Int {
        try #require(T.screen(state).indices.dropFirst(2).first { T.screen(state)[$0].contains(" \(id) ") })
    }

    private static let runs = [T.run("live", live: true, age: 1), T.run("done", finished: true, age: 100), T.run("died", age: 50)]

    @Test func aClickSelectsARunAndASecondOneSoonAfterOpensIt() throws {
        var state = T.state(Self.runs)
        #expect(click(5, try row(of: "died", state), &state).isEmpty)
        #expect(state.selectedRun?.id == "died")
        state.now += 0.2
        #expect(click(30, try row(of: "died", state), &state) == [.handOver(runID: "died", arguments: ["replay", "/state/runs/died", "--speed", "0"])])

        // Too slow for a double click: it only selects again.
        #expect(click(5, try row(of: "done", state), &state).isEmpty)
        state.now += 2
        #expect(click(5, try row(of: "done", state), &state).isEmpty)
        #expect(state.selectedRun?.id == "done")
        // A second click on another run is a first click there.
        state.now += 0.1
        #expect(click(5, try row(of: "live", state), &state).isEmpty)
        #expect(state.selectedRun?.id == "live")
    }

    @Test func clicksBelowTheRunsOrOnTheTitlesSelectNothing() throws {
        var state = T.state(Self.runs)
        _ = click(5, 1, &state)
        _ = click(5, try row(of: "died", state) + 3, &state)
        #expect(state.selectedRun?.id == "live")
    }

    @Test func theWheelMovesTheSelectionAndScrollsTheHelp() {
        var state = T.state(Self.runs)
        wheel(.wheelDown, &state)
        wheel(.wheelDown, &state)
        #expect(state.selectedRun?.id == "died")
        wheel(.wheelUp, &state)
        #expect(state.selectedRun?.id == "done")

        state.height = 10
        _ = TopUpdate.update(&state, .key(.character("?")))
        wheel(.wheelDown, &state)
        #expect(state.help?.scroll == 1)
        #expect(state.selectedRun?.id == "done", "the wheel scrolls the help, not the list beneath it")
        // A click leaves the help open.
        _ = click(5, 2, &state)
        #expect(state.help != nil)
    }

    @Test func aClickOnAFooterHintPressesItsKey() throws {
        var state = T.state(Self.runs)
        let footer = TopLayout(width: state.width, height: state.height).footer
        let text = try #require(T.screen(state)[footer.y].range(of: "? help"))
        let x = T.screen(state)[footer.y].distance(from: T.screen(state)[footer.y].startIndex, to: text.lowerBound)
        _ = click(x, footer.y, &state)
        #expect(state.help != nil)
        _ = TopUpdate.update(&state, .key(.escape))
        // Enter's hint opens the selected run; "j/k select" only explains.
        #expect(click(12, footer.y, &state) == [.handOver(runID: "live", arguments: ["attach", "/state/runs/live"])])
        #expect(click(1, footer.y, &state).isEmpty)
    }
}
