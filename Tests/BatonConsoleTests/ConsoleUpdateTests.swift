import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

@Suite struct ConsoleUpdateTests {
    typealias S = ConsoleTestSupport

    @Test func keysMapToEngineCommands() {
        var state = S.state([S.step("build", .running, attempt: 1), S.step("build", .failed, exitCode: 2)])
        // Retry and skip ask first, with a field for why; Enter sends the command with it.
        #expect(S.update(&state, .key(.character("r"))).isEmpty && state.dialog?.title == "Retry 'build'?")
        #expect(S.update(&state, .key(.enter)) == [.command(.retry(step: "build"))])
        _ = S.update(&state, .key(.character("s")))
        for character in "flaky" { _ = S.update(&state, .key(.character(character))) }
        #expect(S.update(&state, .key(.enter)) == [.command(OperatorCommand(.skip, step: "build", comment: "flaky"))])
        // Pause, suspend and hold ask too, so that each can say why in the audit trail.
        #expect(S.update(&state, .key(.character("p"))).isEmpty && state.dialog?.title == "Pause the run?")
        for character in "db maintenance" { _ = S.update(&state, .key(.character(character))) }
        #expect(S.update(&state, .key(.enter)) == [.command(OperatorCommand(.pause, comment: "db maintenance"))])
        var running = S.state([S.step("build", .running, attempt: 1)])
        #expect(S.update(&running, .key(.character("z"))).isEmpty && running.dialog?.title == "Suspend 'build'?")
        #expect(S.update(&running, .key(.enter)) == [.command(.suspend(step: "build"))])
        var pending = S.state()
        #expect(S.update(&pending, .key(.character("o"))).isEmpty && pending.dialog?.title == "Hold 'build'?")
        #expect(S.update(&pending, .key(.escape)).isEmpty && pending.dialog == nil, "Esc sends nothing")
        _ = S.update(&pending, .key(.character("o")))
        #expect(S.update(&pending, .key(.enter)) == [.command(.hold(step: "build"))])
    }

    /// A key the rule book refuses sends nothing, opens no dialog, and says why and what works.
    @Test func aRefusedKeySaysWhyAndWhichKeyWorks() {
        var state = S.state([S.step("build", .running, attempt: 1), S.step("build", .failed, exitCode: 2)])
        #expect(S.update(&state, .key(.character("z"))).isEmpty)
        #expect(state.status?.text == "cannot suspend 'build': it is failed; only a running step can be suspended")
        var skipped = S.state([S.step("build", .skipped, reason: "skipped by alice")])
        #expect(S.update(&skipped, .key(.character("c"))).isEmpty)
        #expect(skipped.dialog == nil, "no cancel dialog for a skipped step")
        #expect(skipped.status?.text == "cannot cancel 'build': it is skipped")
        var failedRollback = S.state([
            S.step("build", .running, attempt: 1), S.step("build", .succeeded),
            S.step("build", .rollingBack), S.step("build", .rollbackFailed, exitCode: 4),
        ])
        #expect(S.update(&failedRollback, .key(.character("r"))).isEmpty)
        #expect(failedRollback.status?.text == "cannot retry 'build': its rollback failed; roll it back again to retry the rollback — u rolls back")
        #expect(S.update(&failedRollback, .key(.character("u"))).isEmpty)
        #expect(failedRollback.dialog?.title == "Roll back 'build'?")
    }

    @Test func pauseBecomesResumeWhenPaused() {
        var state = S.state([RunEvent(kind: .runPaused)])
        #expect(S.update(&state, .key(.character("p"))).isEmpty && state.dialog?.title == "Resume the run?")
        #expect(S.update(&state, .key(.enter)) == [.command(.resumeRun)])
    }

    @Test func destructiveActionsAskFirst() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        #expect(S.update(&state, .key(.character("c"))).isEmpty)
        #expect(state.dialog?.title == "Cancel 'build'?")
        #expect(S.update(&state, .key(.escape)).isEmpty)
        #expect(state.dialog == nil)
        _ = S.update(&state, .key(.character("c")))
        #expect(S.update(&state, .key(.enter)) == [.command(.cancel(step: "build"))])
        #expect(state.dialog == nil)
    }

    @Test func rollbackDialogListsTheDependentsRolledBackFirst() {
        var state = S.state([
            S.step("build", .running, attempt: 1), S.step("build", .succeeded),
            S.step("test", .running, attempt: 1), S.step("test", .succeeded),
            S.step("db", .running, attempt: 1), S.step("db", .succeeded),
        ])
        _ = S.update(&state, .key(.character("u")))
        let lines = state.dialog?.lines ?? []
        #expect(state.dialog?.title == "Roll back 'build'?")
        #expect(lines.contains("  ↶ db"))
        #expect(lines.contains("  ↶ test (nothing to undo)"))
        #expect(lines.contains("then 'build' itself:"))
        #expect(S.update(&state, .key(.enter)) == [.command(.rollback(step: "build"))])
    }

    @Test func approvalDialogTakesACommentAndFindsTheWaitingGate() {
        var state = S.gateWaiting()
        state.selected = 0
        _ = S.update(&state, .key(.character("a")))
        #expect(state.selected == 3)
        #expect(state.dialog?.lines.first == "Ship it?")
        #expect(state.dialog?.lines.contains("Approvers: alice, bob") == true)
        for character in "lgtm" { _ = S.update(&state, .key(.character(character))) }
        _ = S.update(&state, .key(.backspace))
        #expect(S.update(&state, .key(.enter)) == [.command(.approve(step: "gate", comment: "lgt"))])
    }

    @Test func approvingWithNoWaitingGateSaysWhyWithoutAskingTheEngine() {
        var state = S.state()
        #expect(S.update(&state, .key(.character("a"))).isEmpty)
        #expect(state.status?.text == "cannot approve 'build': it has no approval gate")
        #expect(S.update(&state, .key(.character("x"))).isEmpty)
        #expect(state.dialog == nil)
    }

    @Test func refusalsShowTheirReason() {
        var state = S.state([S.step("db", .running, attempt: 1)])
        _ = S.update(&state, .commandResult(.retry(step: "db"), .refused("cannot retry 'db': it is running")))
        #expect(state.status?.text == "cannot retry 'db': it is running")
        #expect(state.status?.isError == true)
    }

    @Test func quitAsksWhileTheRunIsActiveAndNotAfter() {
        var state = S.state()
        #expect(S.update(&state, .key(.character("q"))).isEmpty)
        #expect(state.dialog?.kind == .quit)
        #expect(S.update(&state, .key(.enter)) == [.quit(cancelRun: true)])
        var finished = S.state([RunEvent(kind: .runHalted), { var e = RunEvent(kind: .runFinished); e.outcome = .failed; return e }()])
        #expect(S.update(&finished, .key(.character("q"))) == [.quit(cancelRun: false)])
    }

    @Test func aFinishedRunSaysWhatHappenedAndWhatCanStillBeDone() {
        var events: [RunEvent] = []
        for id in ["build", "test", "db", "gate"] { events += [S.step(id, .running, attempt: 1), S.step(id, .succeeded, exitCode: 0)] }
        events.append(S.step("ship", .skipped, reason: "condition is false"))
        var state = S.state(events)  // every event is stamped 10 s after the start
        var finished = RunEvent(kind: .runFinished)
        finished.outcome = .succeeded
        finished.seq = state.run.lastSeq + 1
        finished.time = 1_000_010
        _ = S.update(&state, .engine(.event(finished)))
        let text = state.status?.text ?? ""
        #expect(text == "run succeeded in 10s: 4 succeeded · 1 skipped — u rolls a step back, U the whole run; q quits", "\(text)")
        #expect(state.runIsActive == false, "q quits at once")
    }

    @Test func anInterruptedStepAsksForAttention() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        var interrupted = S.step("build", .interrupted, reason: "Baton stopped while it ran (attempt 1)")
        interrupted.seq = state.run.lastSeq + 1
        #expect(S.update(&state, .engine(.event(interrupted))) == [.bell])
        #expect(state.attention == [Attention(step: "build", text: "'build' was interrupted — r runs it again")])
        _ = S.update(&state, .key(.character("r")))
        #expect(S.update(&state, .key(.enter)) == [.command(.retry(step: "build"))])
    }

    @Test func aGateOpeningOrAStepFailingRingsTheBell() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        var failed = S.step("build", .failed, exitCode: 1)
        failed.seq = 3
        #expect(S.update(&state, .engine(.event(failed))) == [.bell])
        #expect(state.attention == [Attention(step: "build", text: "'build' failed")])
        state.selected = 2
        _ = S.update(&state, .key(.character("!")))
        #expect(state.selected == 0)
        state.bellEnabled = false
        var retried = S.step("build", .pending)
        retried.seq = 4
        #expect(S.update(&state, .engine(.event(retried))).isEmpty)
        #expect(state.attention.isEmpty)
    }

    @Test func navigationMovesTheSelectionInTheTable() {
        var state = S.state()
        state.focus = .steps
        _ = S.update(&state, .key(.character("j")), .key(.down))
        #expect(state.selected == 2)
        _ = S.update(&state, .key(.character("G")))
        #expect(state.selected == 4)
        _ = S.update(&state, .key(.character("g")))
        #expect(state.selected == 0)
        _ = S.update(&state, .key(.tab))
        #expect(state.focus == .logs)
    }

    @Test func searchFindsLinesAndJumps() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        for (index, text) in ["compiling", "warning: unused", "linking", "Warning: again"].enumerated() {
            _ = S.update(&state, .engine(.output(OutputChunk(line: OutputLine(stepID: "build", stream: index == 1 ? .stderr : .stdout, text: text)))))
        }
        _ = S.update(&state, .key(.character("/")))
        for character in "warning" { _ = S.update(&state, .key(.character(character))) }
        _ = S.update(&state, .key(.enter))
        #expect(state.panes.log.matches == [1, 3])
        #expect(state.panes.log.scroll.follows == false)
        _ = S.update(&state, .key(.character("n")))
        #expect(state.panes.log.current == 0)
        #expect(state.status?.text == "match 1 of 2")
        _ = S.update(&state, .key(.character("N")))
        #expect(state.panes.log.current == 1)
    }

    @Test func unknownKeysSayWhatToDo() {
        var state = S.state()
        _ = S.update(&state, .key(.character("Q")))
        #expect(state.status?.text.contains("press ? for the keys") == true)
    }

    @Test func scrollingTheLogStopsFollowingAndTheBottomResumesIt() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        for number in 0..<200 {
            _ = S.update(&state, .engine(.output(OutputChunk(line: OutputLine(stepID: "build", stream: .stdout, text: "line \(number)")))))
        }
        state.focus = .logs
        #expect(state.panes.log.scroll.follows)
        _ = S.update(&state, .key(.pageUp))
        #expect(!state.panes.log.scroll.follows)
        let top = state.panes.log.scroll.top
        #expect(top < 200 - S.context.logRows(state))
        _ = S.update(&state, .key(.up))
        #expect(state.panes.log.scroll.top == top - 1)
        _ = S.update(&state, .key(.character("G")))
        #expect(state.panes.log.scroll.follows)
        _ = S.update(&state, .key(.character("g")))
        #expect(state.panes.log.scroll.top == 0 && !state.panes.log.scroll.follows)
        _ = S.update(&state, .key(.character("f")))
        #expect(state.panes.log.scroll.follows)
    }
}
