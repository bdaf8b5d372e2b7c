import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// The steps table and the details show an operator's retry in the attempts, a step's time as
/// the running time of its attempts, a rollback's time apart, and no time for a skipped step.
@Suite struct AttemptsAndTimesRenderTests {
    typealias S = ConsoleTestSupport

    /// The shop run at `now`, with these events applied at the given times (seconds after 1,000,000).
    private func state(_ timed: [(Double, RunEvent)], now: Double = 100) -> AppState {
        var state = S.state()
        for (offset, var event) in timed {
            event.seq = state.run.lastSeq + 1
            event.time = 1_000_000 + offset
            try! state.run.apply(event)
        }
        state.now = 1_000_000 + now
        return state
    }

    /// build ran 1 s; test failed after 2 s, was retried by alice and then ran 0.5 s; db ran
    /// 1 s and was rolled back 48 s later in 0.4 s; gate was skipped before it opened; ship
    /// failed after 5 s and was skipped a minute later.
    private var events: [(Double, RunEvent)] {
        [
            (0, S.step("build", .running, attempt: 1)), (1, S.step("build", .succeeded, exitCode: 0)),
            (1, S.step("test", .running, attempt: 1)), (1, S.step("db", .running, attempt: 1)),
            (2, S.step("db", .succeeded, exitCode: 0)), (3, S.step("test", .failed, exitCode: 1)),
            (3, S.step("ship", .running, attempt: 1)), (8, S.step("ship", .failed, exitCode: 1)),
            (10, S.step("test", .pending, reason: "retry requested by alice")),
            (20, S.step("test", .running, attempt: 2)), (20.5, S.step("test", .succeeded, exitCode: 0)),
            (30, S.step("gate", .skipped, reason: "skipped by alice")),
            (50, S.step("db", .rollingBack)), (50.4, S.step("db", .rolledBack, exitCode: 0)),
            (60, S.step("ship", .skipped, reason: "skipped by alice")),
        ]
    }

    @Test func theTableShowsRetriesRunningTimeAndRollbacksApart() {
        let buffer = render(StepTable(state: state(events), grouping: StepGrouping(workflow: S.workflow), theme: .builtInDark, unicode: true), width: 90, height: 7)
        let at = { (offset: Double) in Format.clock(1_000_000 + offset) }
        #expect(buffer.lines[0] == "STEP  STATE          TRY     TIME       START    NEEDS")
        #expect(buffer.lines[1] == "build ✔ succeeded    1/3     1.0s       \(at(0)) –")
        // An operator's retry: the first attempt of a new series, the second in all.
        #expect(buffer.lines[2] == "test  ✔ succeeded    1/1 (2) 2.5s       \(at(20)) build")
        // The step ran 1 s; its rollback's 0.4 s are shown apart, and the 48 s between are not time of either.
        #expect(buffer.lines[3] == "db    ↺ rolled_back  1/1     1.0s ↺0.4s \(at(1)) build")
        // Skipped steps have no time, whether or not they ran before.
        #expect(buffer.lines[4] == "gate  ⤼ skipped      –       –          –        test, db")
        #expect(buffer.lines[5] == "ship  ⤼ skipped      1/1     –          \(at(3)) gate")
        let ascii = render(StepTable(state: state(events), grouping: StepGrouping(workflow: S.workflow), theme: .builtInDark.asciiOnly, unicode: false), width: 90, height: 7)
        #expect(ascii.lines[3].contains(" 1.0s rb0.4s "))
    }

    @Test func aRunningStepsTimeCountsOnlyWhileItRuns() {
        let suspended = state([
            (0, S.step("build", .running, attempt: 1)), (2, S.step("build", .suspended, reason: "suspended by alice")),
            (30, S.step("build", .running, reason: "resumed by alice")),
        ], now: 31.5)
        let buffer = render(StepTable(state: suspended, grouping: StepGrouping(workflow: suspended.workflow), theme: .builtInDark, unicode: true), width: 90, height: 3)
        #expect(buffer.lines[1].hasPrefix("build ▶ running      1/3  3.5s   "))
    }

    @Test func aRollbackDoesNotPushTheTableIntoGlyphsOnly() {
        // The default layout's table pane is about 60 columns wide.
        let buffer = render(StepTable(state: state(events), grouping: StepGrouping(workflow: S.workflow), theme: .builtInDark, unicode: true), width: 61, height: 7)
        #expect(buffer.lines[3].hasPrefix("db    ↺ rolled_back  1/1     1.0s ↺0.4s "))
    }

    @Test func detailsShowTheSameAttemptsTheRunningTimeAndTheRollback() {
        var retried = state(events)
        retried.selected = 1
        let lines = DetailsView(state: retried, plan: S.context.plan, theme: .builtInDark).lines().map(\.0)
        #expect(lines.contains("attempts: 1/1 (2); exit codes 1, 0"))
        #expect(lines.contains("ran: 2.5s over 2 attempts"))
        var rolledBack = state(events)
        rolledBack.selected = 2
        let db = DetailsView(state: rolledBack, plan: S.context.plan, theme: .builtInDark).lines().map(\.0)
        #expect(db.contains("attempts: 1/1; exit codes 0"))
        #expect(db.contains("ran: 1.0s"))
        #expect(db.contains("rollback ran: \(Format.clock(1_000_050)) — 0.4s; exit codes 0"))
        var skipped = state(events)
        skipped.selected = 4
        let ship = DetailsView(state: skipped, plan: S.context.plan, theme: .builtInDark).lines().map(\.0)
        #expect(!ship.contains { $0.hasPrefix("ran:") })
    }

    @Test func attemptsReadAsSeriesOverAllowedWithTheTotalOnceASeriesBegan() {
        var record = StepRecord(id: "a")
        #expect(Format.attempts(record, allowed: 3) == "–")
        record.attempt = 2
        #expect(Format.attempts(record, allowed: 3) == "2/3")
        // An operator retried after the third attempt failed: a new series, not yet started.
        record.attempt = 3
        record.attemptBase = 3
        #expect(Format.attempts(record, allowed: 3) == "0/3 (3)")
        record.attempt = 4
        #expect(Format.attempts(record, allowed: 3) == "1/3 (4)")
    }

    @Test func anUpstreamRetryingAfterAnOperatorsRetrySaysSo() {
        let retried = state([
            (0, S.step("build", .running, attempt: 1)), (1, S.step("build", .failed, exitCode: 1)),
            (2, S.step("build", .pending, reason: "retry requested by alice")), (3, S.step("build", .running, attempt: 2)),
        ])
        #expect(StepExplanation.why(1, in: retried, plan: S.context.plan) == "waiting for: build (running 1/3 (2))")
    }

    private func render(_ widget: some Widget, width: Int, height: Int) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        widget.render(into: &buffer, area: buffer.area)
        return buffer
    }
}
