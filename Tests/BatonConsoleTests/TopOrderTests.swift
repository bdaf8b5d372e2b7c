import BatonEngine
import Testing
@testable import BatonConsole

/// `baton top` lists the runs waiting on you first, then the live ones, then the rest.
@Suite struct TopOrderTests {
    typealias T = TopTestSupport

    @Test func runsWaitingOnYouComeFirstThenLiveRunsThenEndedRunsNewestFirst() {
        let mine = TopGate(step: "ship", approvers: ["me"], isMine: true)
        let theirs = TopGate(step: "ship", approvers: ["bob"], isMine: false)
        let runs = [
            T.run("a-old-finished", finished: true, age: 900, finishedAgo: 800),
            T.run("b-live-old", live: true, age: 600),
            T.run("c-mine-old", live: true, age: 500, status: .waitingForOperator, gates: [mine]),
            T.run("d-recent-finished", finished: true, age: 400, finishedAgo: 10),
            T.run("e-live-new", live: true, age: 30),
            T.run("f-theirs", live: true, age: 20, status: .waitingForOperator, gates: [theirs]),
            T.run("g-mine-new", live: true, age: 10, gates: [theirs, mine]),
            T.run("h-died", age: 300),
        ]
        let state = T.state(runs)
        #expect(T.order(state) == [
            "g-mine-new", "c-mine-old",
            "f-theirs", "e-live-new", "b-live-old",
            "d-recent-finished", "h-died", "a-old-finished",
        ])
        #expect(state.waitingOnMe == 2)
        #expect(state.liveCount == 5)
    }

    @Test func aGateOfARunNobodyServesDoesNotWaitOnYou() {
        // Nobody can approve it until a Baton takes the run up again.
        let mine = TopGate(step: "ship", approvers: [], isMine: true)
        let dead = T.run("dead", age: 10, gates: [mine])
        let live = T.run("live", live: true, age: 100)
        #expect(!dead.waitsOnMe)
        #expect(T.order(T.state([dead, live])) == ["live", "dead"])
    }

    @Test func theSelectionFollowsItsRunAsTheOrderChanges() {
        var state = T.state([T.run("x", live: true, age: 10), T.run("y", live: true, age: 20), T.run("z", finished: true, age: 30)])
        state.move(by: 1)
        #expect(state.selectedRun?.id == "y")
        // y's gate opens for me: it moves to the top, and the selection with it.
        state.upsert([T.run("y", live: true, age: 20, gates: [TopGate(step: "g", approvers: ["me"], isMine: true)])])
        #expect(T.order(state) == ["y", "x", "z"])
        #expect(state.selectedRun?.id == "y")
        // A selected run that goes leaves the selection on the row that took its place.
        state.remove(["y"])
        #expect(state.selectedRun?.id == "x")
        state.remove(["x", "z"])
        #expect(state.selectedRun == nil)
    }

    @Test func aSelectionOnTheFirstRowStaysThereAsRunsComeAbove() {
        var state = T.state([T.run("older", live: true, age: 100), T.run("done", finished: true)])
        #expect(state.selectedRun?.id == "older")
        state.upsert([T.run("newer", live: true, age: 10)])
        #expect(state.selectedRun?.id == "newer")
        // Moved off the first row, it follows its run.
        state.move(by: 1)
        state.upsert([T.run("newest", live: true, age: 1)])
        #expect(T.order(state) == ["newest", "newer", "older", "done"])
        #expect(state.selectedRun?.id == "older")
    }
}
