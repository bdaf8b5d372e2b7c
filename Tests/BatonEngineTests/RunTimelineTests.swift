import Testing
@testable import BatonEngine

@Suite struct RunTimelineTests {
    let workflow = Workflow(name: "w", steps: [
        Step(id: "build", run: "make", retry: RetryPolicy(attempts: 3)),
        Step(id: "gate", run: "ship", needs: ["build"], approval: ApprovalGate(prompt: "Ship it?")),
        Step(id: "db", run: "migrate", needs: ["build"], rollback: "migrate down"),
    ])

    /// An event at a given time.
    private func at(_ time: Double, _ event: RunEvent) -> RunEvent {
        var event = event
        event.time = time
        return event
    }

    private func started(_ time: Double) -> RunEvent {
        var event = RunEvent(time: time, kind: .runStarted)
        event.steps = workflow.stepIDs
        return event
    }

    private func finished(_ time: Double, _ outcome: RunOutcome = .succeeded) -> RunEvent {
        var event = RunEvent(time: time, kind: .runFinished)
        event.outcome = outcome
        return event
    }

    @Test func aRetryMakesTwoAttemptSegmentsWithAGap() {
        let timeline = RunTimeline(workflow: workflow, events: [
            started(100),
            at(101, .step("build", .running, attempt: 1)),
            at(104, .step("build", .retrying, exitCode: 1)),
            at(106, .step("build", .running, attempt: 2)),
            at(110, .step("build", .succeeded, exitCode: 0)),
        ])
        #expect(timeline.segments(of: 0) == [
            RunTimeline.Segment(kind: .attempt, attempt: 1, start: 101, end: 104, state: .retrying),
            RunTimeline.Segment(kind: .attempt, attempt: 2, start: 106, end: 110, state: .succeeded),
        ])
        #expect(timeline.lastAttempt(of: 0)?.attempt == 2)
        #expect(timeline.segments(of: 1).isEmpty)
        #expect(timeline.runStart == 100)
        #expect(timeline.runEnd == nil)
        #expect(timeline.span(now: 500) == (100, 110), "nothing is ongoing, so now does not stretch the span")
    }

    @Test func aGateWaitIsAWaitingSegmentBeforeItsAttempt() {
        let timeline = RunTimeline(workflow: workflow, events: [
            started(0),
            at(1, .step("build", .running, attempt: 1)),
            at(2, .step("build", .succeeded, exitCode: 0)),
            at(2, .step("gate", .waiting)),
            at(30, .step("gate", .pending, reason: "approved")),
            at(30.5, .step("gate", .running, attempt: 1)),
            at(32, .step("gate", .succeeded, exitCode: 0)),
        ])
        #expect(timeline.segments(of: 1) == [
            RunTimeline.Segment(kind: .waiting, attempt: 0, start: 2, end: 30, state: .pending),
            RunTimeline.Segment(kind: .attempt, attempt: 1, start: 30.5, end: 32, state: .succeeded),
        ])
    }

    @Test func aRollbackIsItsOwnSegmentAfterTheAttempt() {
        let timeline = RunTimeline(workflow: workflow, events: [
            started(0),
            at(1, .step("db", .running, attempt: 1)),
            at(3, .step("db", .succeeded, exitCode: 0)),
            at(10, .step("db", .rollingBack)),
            at(12, .step("db", .rollbackFailed, exitCode: 2)),
            at(20, .step("db", .rollingBack)),
            at(21, .step("db", .rolledBack, exitCode: 0)),
        ])
        #expect(timeline.segments(of: 2) == [
            RunTimeline.Segment(kind: .attempt, attempt: 1, start: 1, end: 3, state: .succeeded),
            RunTimeline.Segment(kind: .rollback, attempt: 1, start: 10, end: 12, state: .rollbackFailed),
            RunTimeline.Segment(kind: .rollback, attempt: 1, start: 20, end: 21, state: .rolledBack),
        ])
    }

    @Test func anOngoingSegmentHasNoEndAndTheSpanReachesNow() {
        let timeline = RunTimeline(workflow: workflow, events: [
            started(50),
            at(55, .step("build", .running, attempt: 1)),
        ])
        let segment = timeline.segments(of: 0).first
        #expect(segment?.end == nil)
        #expect(segment?.isOngoing == true)
        #expect(segment?.state == .running)
        #expect(segment?.end(now: 70) == 70)
        #expect(segment?.end(now: 40) == 55, "an ongoing segment never ends before it starts")
        #expect(timeline.span(now: 70) == (50, 70))
    }

    @Test func suspensionKeepsTheAttemptOpen() {
        var timeline = RunTimeline(workflow: workflow, events: [
            started(0),
            at(1, .step("build", .running, attempt: 1)),
            at(2, .step("build", .suspended)),
        ])
        #expect(timeline.segments(of: 0) == [RunTimeline.Segment(kind: .attempt, attempt: 1, start: 1, state: .suspended)])
        timeline.apply(at(5, .step("build", .running)))
        timeline.apply(at(6, .step("build", .succeeded, exitCode: 0)))
        #expect(timeline.segments(of: 0) == [RunTimeline.Segment(kind: .attempt, attempt: 1, start: 1, end: 6, state: .succeeded)])
    }

    @Test func eventsOfUnknownStepsAreIgnored() {
        let known = [started(0), at(1, .step("build", .running, attempt: 1)), at(2, .step("build", .succeeded))]
        var stranger = at(1.5, .step("ghost", .running, attempt: 1))
        let plain = RunTimeline(workflow: workflow, events: known)
        let withStranger = RunTimeline(workflow: workflow, events: [known[0], known[1], stranger, known[2]])
        #expect(withStranger == plain)
        stranger.step = nil
        #expect(RunTimeline(workflow: workflow, events: [known[0], known[1], stranger, known[2]]) == plain)
        #expect(withStranger.stepCount == 3)
        #expect(withStranger.segments(of: 7).isEmpty)
    }

    @Test func applyingOneEventAtATimeGivesTheSameTimeline() {
        let events = [
            started(0), at(1, .step("build", .running, attempt: 1)), at(4, .step("build", .retrying)),
            at(5, .step("build", .running, attempt: 2)), at(6, .step("build", .succeeded)), at(7, .step("gate", .waiting)),
        ]
        var grown = RunTimeline(workflow: workflow)
        #expect(!grown.hasStarted)
        for event in events { grown.apply(event) }
        #expect(grown == RunTimeline(workflow: workflow, events: events))
        #expect(grown.segments(of: 0).count == 2)
        #expect(grown.segments(of: 1).count == 1)
    }

    @Test func theRunStartIsRunStartedOrElseTheFirstEvent() {
        let withoutStart = RunTimeline(workflow: workflow, events: [at(7, .step("build", .running, attempt: 1))])
        #expect(withoutStart.runStart == 7)
        let lateStart = RunTimeline(workflow: workflow, events: [at(7, .step("build", .running, attempt: 1)), started(3)])
        #expect(lateStart.runStart == 3, "run_started's time wins over an earlier event")
        let twice = RunTimeline(workflow: workflow, events: [started(3), started(9)])
        #expect(twice.runStart == 3)
        #expect(RunTimeline(workflow: workflow).span(now: 42) == (42, 42))
    }

    @Test func finishingClosesOpenSegmentsAndReopeningResumesAGateWait() {
        var timeline = RunTimeline(workflow: workflow, events: [
            started(0),
            at(1, .step("build", .running, attempt: 1)),
            at(2, .step("build", .succeeded)),
            at(2, .step("gate", .waiting)),
            finished(10, .interrupted),
        ])
        #expect(timeline.runEnd == 10)
        #expect(timeline.segments(of: 1) == [RunTimeline.Segment(kind: .waiting, attempt: 0, start: 2, end: 10, state: .waiting)])
        #expect(timeline.span(now: 1000) == (0, 10), "a finished run does not grow with the clock")
        timeline.apply(at(50, RunEvent(kind: .runReopened)))
        #expect(timeline.runEnd == nil)
        #expect(timeline.segments(of: 1).last == RunTimeline.Segment(kind: .waiting, attempt: 0, start: 50, state: .waiting))
        #expect(timeline.segments(of: 0).count == 1, "a finished step does not come back")
        #expect(timeline.span(now: 60) == (0, 60))
    }

    @Test func oddEventOrdersDoNotCrash() {
        var noState = RunEvent(time: 3, kind: .step)
        noState.step = "build"
        let timeline = RunTimeline(workflow: workflow, events: [
            at(5, .step("build", .succeeded)),  // a close without an open
            started(0),
            noState,
            at(6, .step("build", .running, attempt: 1)),
            at(7, .step("build", .running, attempt: 2)),  // a repeated open
            at(4, .step("build", .failed)),  // a close before its open
            at(8, .step("db", .rolledBack)),
            at(9, .step("db", .suspended)),
            at(10, .step("gate", .waiting)),
            at(11, .step("gate", .waiting)),
            at(12, .step("gate", .rollingBack)),
            finished(13),
            finished(14),
            at(15, RunEvent(kind: .runReopened)),
            at(16, RunEvent(kind: .runReopened)),
        ])
        #expect(timeline.segments(of: 0) == [
            RunTimeline.Segment(kind: .attempt, attempt: 1, start: 6, end: 7, state: .running),
            RunTimeline.Segment(kind: .attempt, attempt: 2, start: 7, end: 7, state: .failed),
        ])
        #expect(timeline.segments(of: 1).map(\.kind) == [.waiting, .waiting, .rollback])
        #expect(timeline.segments(of: 1).allSatisfy { $0.end != nil }, "run_finished closed the rollback; only a wait reopens")
        #expect(timeline.segments(of: 2).isEmpty)
        #expect(timeline.runStart == 0)
        let span = timeline.span(now: 100)
        #expect(span.start == 0 && span.end == 13, "after reopening, nothing is ongoing, so the span ends at the last segment")
    }
}
