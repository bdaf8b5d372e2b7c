import BatonTestSupport
import Testing
@testable import BatonEngine

@Suite struct CriticalPathTests {
    /// a → {b, c} → d: the diamond most tests use.
    let diamond = Workflow(name: "diamond", steps: [
        Step(id: "a", run: "true"),
        Step(id: "b", run: "true", needs: ["a"]),
        Step(id: "c", run: "true", needs: ["a"]),
        Step(id: "d", run: "true", needs: ["b", "c"]),
    ])

    /// Events that run each listed step once, from `start` to `end`.
    private func runs(_ spans: [(String, Double, Double)]) -> [RunEvent] {
        var events = [RunEvent(time: 0, kind: .runStarted)]
        for (id, start, end) in spans {
            var open = RunEvent.step(id, .running, attempt: 1)
            open.time = start
            var close = RunEvent.step(id, .succeeded, exitCode: 0)
            close.time = end
            events += [open, close]
        }
        return events.sorted { $0.time < $1.time }
    }

    @Test func theDiamondFollowsTheLongerBranch() {
        let timeline = RunTimeline(workflow: diamond, events: runs([("a", 0, 5), ("b", 5, 8), ("c", 5, 20), ("d", 20, 25)]))
        #expect(CriticalPath.steps(in: diamond, timeline: timeline, now: 100) == [0, 2, 3])
        // The same with b the longer one, so the answer is not a fixed choice.
        let other = RunTimeline(workflow: diamond, events: runs([("a", 0, 5), ("b", 5, 21), ("c", 5, 20), ("d", 21, 25)]))
        #expect(CriticalPath.steps(plan: Plan(workflow: diamond), timeline: other, now: 100) == [0, 1, 3])
    }

    @Test func aStepThatNeverRanIsNotOnThePath() {
        // c never ran (skipped, say): the path from d goes through b even though c is listed.
        let skipped = RunTimeline(workflow: diamond, events: runs([("a", 0, 5), ("b", 5, 8), ("d", 8, 12)]))
        #expect(CriticalPath.steps(in: diamond, timeline: skipped, now: 100) == [0, 1, 3])
        // d never ran: the path ends at the need that finished last.
        let unfinished = RunTimeline(workflow: diamond, events: runs([("a", 0, 5), ("b", 5, 8), ("c", 5, 9)]))
        #expect(CriticalPath.steps(in: diamond, timeline: unfinished, now: 100) == [0, 2])
        // a never ran (odd, but possible by hand): the path stops at the step whose needs never ran.
        let rootless = RunTimeline(workflow: diamond, events: runs([("b", 5, 8), ("c", 5, 9)]))
        #expect(CriticalPath.steps(in: diamond, timeline: rootless, now: 100) == [2])
        #expect(CriticalPath.steps(in: diamond, timeline: RunTimeline(workflow: diamond), now: 100) == [])
    }

    @Test func tiesGoToTheStepEarlierInTheFile() {
        // d lists c before b, and both end at 8: file order picks b.
        let workflow = Workflow(name: "tie", steps: [
            Step(id: "a", run: "true"),
            Step(id: "b", run: "true", needs: ["a"]),
            Step(id: "c", run: "true", needs: ["a"]),
            Step(id: "d", run: "true", needs: ["c", "b"]),
            Step(id: "e", run: "true", needs: ["a"]),
        ])
        let timeline = RunTimeline(workflow: workflow, events: runs([("a", 0, 5), ("b", 5, 8), ("c", 6, 8), ("d", 8, 10), ("e", 5, 10)]))
        // d and e both end last, at 10: d comes first in the file.
        #expect(CriticalPath.steps(in: workflow, timeline: timeline, now: 100) == [0, 1, 3])
    }

    @Test func anOngoingAttemptEndsAtNowAndTheLastAttemptCounts() {
        var events = runs([("a", 0, 5), ("b", 5, 8)])
        // c fails its first attempt early, then its second attempt is still running.
        events += [
            { var e = RunEvent.step("c", .running, attempt: 1); e.time = 5; return e }(),
            { var e = RunEvent.step("c", .retrying, exitCode: 1); e.time = 6; return e }(),
            { var e = RunEvent.step("c", .running, attempt: 2); e.time = 7; return e }(),
        ]
        let timeline = RunTimeline(workflow: diamond, events: events)
        #expect(CriticalPath.steps(in: diamond, timeline: timeline, now: 30) == [0, 2])
        #expect(CriticalPath.finish(of: 2, in: timeline, now: 30) == 30)
        #expect(CriticalPath.finish(of: 3, in: timeline, now: 30) == nil)
    }

    @Test func aPureGateIsOnThePathThroughItsWait() {
        let workflow = Workflow(name: "gated", steps: [
            Step(id: "build", run: "true"),
            Step(id: "lint", run: "true"),
            Step(id: "gate", needs: ["build"], approval: ApprovalGate()),
            Step(id: "ship", run: "true", needs: ["gate", "lint"]),
        ])
        var events = runs([("build", 0, 2), ("lint", 0, 4), ("ship", 30, 31)])
        var wait = RunEvent.step("gate", .waiting)
        wait.time = 2
        var approve = RunEvent.step("gate", .succeeded)
        approve.time = 30
        events += [wait, approve]
        let timeline = RunTimeline(workflow: workflow, events: events.sorted { $0.time < $1.time })
        #expect(CriticalPath.steps(in: workflow, timeline: timeline, now: 100) == [0, 2, 3])
    }

    @Test func aRollbackDoesNotMoveTheEndOfAStep() {
        var events = runs([("a", 0, 5), ("b", 5, 8), ("c", 5, 9), ("d", 9, 10)])
        var rollback = RunEvent.step("b", .rollingBack)
        rollback.time = 50
        var rolledBack = RunEvent.step("b", .rolledBack)
        rolledBack.time = 60
        events += [rollback, rolledBack]
        let timeline = RunTimeline(workflow: diamond, events: events)
        #expect(CriticalPath.steps(in: diamond, timeline: timeline, now: 100) == [0, 2, 3])
    }

    @Test func tenThousandStepsInAChainTakeLinearTime() {
        let count = 10_000
        var steps = [Step(id: "s0", run: "true")]
        for index in 1..<count { steps.append(Step(id: "s\(index)", run: "true", needs: ["s\(index - 1)"])) }
        let workflow = Workflow(name: "chain", steps: steps)
        var events = [RunEvent(time: 0, kind: .runStarted)]
        for index in 0..<count {
            var open = RunEvent.step("s\(index)", .running, attempt: 1)
            open.time = Double(index)
            var close = RunEvent.step("s\(index)", .succeeded)
            close.time = Double(index) + 1
            events += [open, close]
        }
        let timeline = RunTimeline(workflow: workflow, events: events)
        var path: [Int] = []
        let elapsed = ThreadCPUTime.measure { path = CriticalPath.steps(in: workflow, timeline: timeline, now: 0) }
        #expect(path == Array(0..<count))
        #expect(elapsed < .seconds(2), "took \(elapsed) of processor time")
    }

    @Test func aCycleInAHandBuiltWorkflowEnds() {
        let workflow = Workflow(name: "loop", steps: [
            Step(id: "x", run: "true", needs: ["y"]),
            Step(id: "y", run: "true", needs: ["x"]),
        ])
        let timeline = RunTimeline(workflow: workflow, events: runs([("x", 0, 1), ("y", 1, 2)]))
        #expect(CriticalPath.steps(in: workflow, timeline: timeline, now: 5) == [0, 1])
    }
}
