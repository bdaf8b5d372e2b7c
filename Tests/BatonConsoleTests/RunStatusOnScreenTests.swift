import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// The header, the dialogs and the status line tell the run's present: what it waits for and
/// since when, a gate's deadline, and nothing that has stopped being true.
@Suite struct RunStatusOnScreenTests {
    typealias S = ConsoleTestSupport

    /// A workflow whose gate times out after 4 minutes.
    static let timedGate = Workflow(name: "timed", steps: [
        Step(id: "build", run: "make"),
        Step(id: "gate", needs: ["build"], approval: ApprovalGate(timeout: .seconds(240))),
        Step(id: "slow", run: "sleep 60"),
    ])
    static let context = ConsoleContext(workflow: timedGate)

    private func state(_ workflow: Workflow = timedGate, _ events: [RunEvent], now: Double = 1_000_100) -> AppState {
        var state = AppState(workflow: workflow, user: "alice", width: 140, height: 40, now: now)
        var started = RunEvent(seq: 1, time: 1_000_000, kind: .runStarted)
        started.runID = "run-1"
        started.steps = workflow.stepIDs
        try! state.run.apply(started)
        for event in events { apply(event, to: &state) }
        return state
    }

    private func apply(_ event: RunEvent, to state: inout AppState, at time: Double = 1_000_010) {
        var event = event
        event.seq = state.run.lastSeq + 1
        event.time = time
        _ = ConsoleUpdate.update(&state, .engine(.event(event)), context: Self.context)
    }

    private func waiting(_ steps: [String], _ reasons: [String]) -> RunEvent {
        var event = RunEvent(kind: .runWaiting)
        event.steps = steps
        event.reasons = reasons
        return event
    }

    private func header(_ state: AppState) -> String {
        var buffer = Buffer(width: state.width, height: 2)
        HeaderView(state: state, theme: .builtInDark, unicode: true).render(into: &buffer, area: buffer.area)
        return buffer.lines[0]
    }

    @Test func aWaitingRunSaysWhatForAndHowLongInsteadOfRunning() {
        let state = state(Self.timedGate, [
            .step("build", .running, attempt: 1), .step("build", .failed, exitCode: 1, reason: "exited with code 1"),
            waiting(["build"], ["'build' failed: exited with code 1"]),
        ], now: 1_000_052)
        let line = header(state)
        #expect(line.contains(" WAITING FOR AN OPERATOR "), "\(line)")
        #expect(line.contains("for 42s: 'build' failed: exited with code 1"), "\(line)")
        #expect(!line.contains("RUNNING"))
    }

    /// A header too narrow for what follows the clock cuts the wait's reason with "…", keeps a
    /// gate's deadline whole while it can, and never leaves a cut word that reads as whole.
    @Test func aLongWaitReasonIsCutWithAnEllipsisAndTheGateDeadlineKeptWhole() {
        let workflow = Workflow(name: "timed", steps: [
            Step(id: "build", run: "make"),
            Step(id: "gate", approval: ApprovalGate(timeout: .seconds(240))),
        ])
        let reason = "'build' failed: exited with code 1 after printing a rather long last line"
        var state = state(workflow, [
            .step("gate", .waiting, reason: "waiting for approval by any operator"),
            .step("build", .running, attempt: 1), .step("build", .failed, exitCode: 1, reason: "exited with code 1"),
            waiting(["build"], [reason]),
        ], now: 1_000_070)
        state.width = 200
        let wide = header(state)
        #expect(wide.contains("for 1m00s: \(reason)  ⏲ 'gate' 3m00s left (until "), "\(wide)")

        state.width = 120
        let cut = header(state)
        #expect(cut.contains("for 1m00s: 'build' f…  ⏲ 'gate' 3m00s left (until "), "the reason gives way, the deadline stays whole: \(cut)")
        #expect(cut.hasSuffix(")"), "\(cut)")

        state.width = 80
        let narrow = header(state)
        #expect(!narrow.contains("for 1m00s"), "no room for a reason: \(narrow)")
        #expect(narrow.hasSuffix("…"), "the deadline is cut, and says so: \(narrow)")

        // With no gate, the reason takes the rest of the row and ends with "…".
        state = self.state(Self.timedGate, [
            .step("build", .running, attempt: 1), .step("build", .failed, exitCode: 1, reason: "exited with code 1"),
            waiting(["build"], [reason]),
        ], now: 1_000_052)
        state.width = 100
        let alone = header(state)
        #expect(alone.count == 99 && alone.hasSuffix("…"), "\(alone)")
        #expect(alone.contains("for 42s: 'build' failed: exited with co"), "\(alone)")
    }

    @Test func aGateShowsItsDeadlineInTheHeaderAndTheDialogAndTheDialogClosesWhenItTimesOut() {
        var state = state(Self.timedGate, [
            .step("build", .running, attempt: 1), .step("build", .succeeded, exitCode: 0),
            .step("gate", .waiting, reason: "waiting for approval by any operator"),
            .step("slow", .running, attempt: 1),
        ], now: 1_000_070)
        // The gate opened at 1_000_010 with 240 s: 3 minutes left at 1_000_070.
        #expect(header(state).contains("⏲ 'gate' 3m00s left"), "\(header(state))")
        var table = Buffer(width: 80, height: 6)
        StepTable(state: state, grouping: StepGrouping(workflow: state.workflow), theme: .builtInDark, unicode: true).render(into: &table, area: table.area)
        #expect(table.lines.contains { $0.hasPrefix("gate") && $0.contains("⏲3m00s left") }, "\(table.lines)")
        state.selected = 1
        _ = ConsoleUpdate.update(&state, .key(.character("a")), context: Self.context)
        let screen = ConsoleView.render(state, context: Self.context, theme: .builtInDark, unicode: true)
        #expect(screen.lines.contains { $0.contains("⏲ 3m00s left to decide") && $0.contains("then it is rejected") })
        // Nobody decided: the gate is rejected by its timeout, and the dialog goes with it.
        var timedOut = RunEvent(kind: .approvalTimedOut)
        timedOut.step = "gate"
        timedOut.reason = "no decision within 4m"
        apply(timedOut, to: &state, at: 1_000_250)
        apply(.step("gate", .failed, reason: "rejected by timeout: no decision within 4m"), to: &state, at: 1_000_250)
        #expect(state.dialog == nil)
        #expect(state.status?.text.hasPrefix("the gate 'gate' no longer waits: rejected by timeout") == true)
        #expect(ConsoleUpdate.update(&state, .key(.enter), context: Self.context).isEmpty, "Enter sends nothing")
    }

    @Test func aRetryMessageGoesOnceTheRetriedStepIsDoneAndACancelOnceTheStepStopped() {
        var state = S.state([S.step("build", .running, attempt: 1), S.step("build", .failed, exitCode: 1)])
        _ = S.update(&state, .commandResult(.retry(step: "build"), .accepted("retrying 'build'")))
        #expect(state.status?.text == "retrying 'build'")
        for (target, attempt) in [(StepState.pending, nil), (.running, 2)] as [(StepState, Int?)] {
            var event = S.step("build", target, attempt: attempt)
            event.seq = state.run.lastSeq + 1
            _ = S.update(&state, .engine(.event(event)))
            #expect(state.status?.text == "retrying 'build'", "still true while \(target)")
        }
        var done = S.step("build", .succeeded, exitCode: 0)
        done.seq = state.run.lastSeq + 1
        _ = S.update(&state, .engine(.event(done)))
        #expect(state.status == nil, "'retrying' is gone once the retry is over")

        var running = S.state([S.step("test", .running, attempt: 1)])
        _ = S.update(&running, .commandResult(.cancel(step: "test"), .accepted("cancelling 'test': SIGTERM sent to its process group")))
        #expect(running.status != nil)
        var cancelled = S.step("test", .cancelled, reason: "cancelled by alice")
        cancelled.seq = running.run.lastSeq + 1
        _ = S.update(&running, .engine(.event(cancelled)))
        #expect(running.status == nil, "no 'SIGTERM sent…' once the step is cancelled")
        #expect(running.attention.last?.text == "'test' was cancelled", "a cancelled step is marked")
    }

    @Test func aRollbackMessageGoesWhenTheRollbackStops() {
        var events: [RunEvent] = []
        for id in ["build", "test", "db"] { events += [S.step(id, .running, attempt: 1), S.step(id, .succeeded, exitCode: 0)] }
        var state = S.state(events)
        state.selected = 0
        _ = S.update(&state, .commandResult(.rollback(step: "build"), .accepted("rolling back 'db', 'test', 'build'")))
        #expect(state.status?.text == "rolling back 'db', 'test', 'build'")
        var rolling = S.step("db", .rollingBack, reason: "undoing: migrate down")
        rolling.seq = state.run.lastSeq + 1
        _ = S.update(&state, .engine(.event(rolling)))
        #expect(state.status != nil, "still rolling back")
        var failed = S.step("db", .rollbackFailed, exitCode: 3, reason: "rollback exited with code 3")
        failed.seq = state.run.lastSeq + 1
        _ = S.update(&state, .engine(.event(failed)))
        #expect(state.status == nil, "no 'rolling back' once a rollback failed and the others are held back")
    }

    @Test func theRollbackOfTheRunPromisesOnlyWhatReallyHappens() {
        var events: [RunEvent] = []
        for id in ["build", "test", "db", "gate", "ship"] { events += [S.step(id, .running, attempt: 1), S.step(id, .succeeded, exitCode: 0)] }
        var finished = RunEvent(kind: .runFinished)
        finished.outcome = .succeeded
        var state = S.state(events + [finished])
        _ = S.update(&state, .key(.character("U")))
        let lines = state.dialog?.lines ?? []
        #expect(lines.first == "Rolls back the 5 succeeded steps, dependents first (this reopens the run).", "\(lines)")
        #expect(lines.contains("2 of them run a rollback command: db, ship; the others have nothing to undo."), "\(lines)")
    }

    @Test func theQuitDialogGoesWhenNothingRunsAnyMore() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        _ = S.update(&state, .key(.character("q")))
        #expect(state.dialog?.kind == .quit)
        var done = S.step("build", .failed, exitCode: 1)
        done.seq = state.run.lastSeq + 1
        _ = S.update(&state, .engine(.event(done)))
        var wait = waiting(["build"], ["'build' failed"])
        wait.seq = state.run.lastSeq + 1
        _ = S.update(&state, .engine(.event(wait)))
        #expect(state.dialog == nil)
        #expect(S.update(&state, .key(.character("q"))) == [.quit(cancelRun: false)])
    }
}
