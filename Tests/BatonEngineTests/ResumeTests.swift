import Foundation
import BatonTestSupport
import Testing
@testable import BatonEngine

/// `baton resume`: a run taken up from its journal goes on where it stopped.
@Suite struct ResumeTests {
    typealias S = EngineTestSupport

    /// Runs `steps` with a journal until `condition` holds, then interrupts the run; returns
    /// the workflow, the run directory and the recorded events.
    private func interruptedRun(
        _ steps: [Step], until condition: @escaping @Sendable (RunState) -> Bool
    ) async throws -> (Workflow, RunDirectory, [RunEvent], String) {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let workflow = Workflow(name: "resumable", concurrency: 2, steps: steps)
        let runID = "resume-\(UUID().uuidString.prefix(8))"
        let configuration = EngineConfiguration(runID: runID, user: "tester", runDirectory: directory, syncJournal: false)
        let engine = try Engine(workflow: workflow, workflowText: "name: resumable\n", configuration: configuration)
        await engine.start()
        try await S.waitFor(engine, condition)
        _ = await engine.close(by: "tester")
        return (workflow, directory, try directory.readJournal().events, runID)
    }

    private func resumedEngine(
        _ workflow: Workflow, _ directory: RunDirectory, _ history: [RunEvent], runID: String, rerun: Bool = false
    ) throws -> Engine {
        var configuration = EngineConfiguration(runID: runID, user: "tester", runDirectory: directory, syncJournal: false)
        configuration.rerunsInterruptedSteps = rerun
        return try Engine(workflow: workflow, resuming: history, configuration: configuration)
    }

    @Test func succeededStepsDoNotRunAgainAndIdempotentOnesDo() async throws {
        var slow = S.simulated("slow", needs: ["first"], duration: .seconds(30))
        slow.idempotent = true
        let (workflow, directory, history, runID) = try await interruptedRun(
            [S.simulated("first"), slow, S.simulated("last", needs: ["slow"])],
            until: { $0["slow"]?.state == .running })
        let before = try JournalReader.fold(history)
        #expect(before.outcome == .interrupted)
        #expect(before["slow"]?.state == .interrupted)
        #expect(before["last"]?.state == .pending)

        // Resume with a quick 'slow' this time, as if the work had become fast.
        var fast = workflow.steps[1]
        fast.simulate?.duration = .milliseconds(10)
        let quick = Workflow(name: workflow.name, concurrency: 2, steps: [workflow.steps[0], fast, workflow.steps[2]])
        let engine = try resumedEngine(quick, directory, history, runID: runID)
        let events = S.collectEvents(engine)
        await engine.start()
        #expect(try await S.settle(engine) == .finished(.succeeded))
        let after = S.history(await events.value)
        #expect(after["first"] == nil, "a succeeded step is never touched again")
        #expect(after["slow"] == [.pending, .running, .succeeded])
        #expect(after["last"] == [.running, .succeeded])
        // The journal is one history: the old events, run_reopened, then the new ones.
        let journal = try directory.readJournal().events
        #expect(journal.count > history.count)
        #expect(journal[history.count].kind == .runReopened)
        #expect(try JournalReader.fold(journal) == (await engine.state))
    }

    @Test func aStepThatIsNotIdempotentWaitsForAnOperator() async throws {
        let (workflow, directory, history, runID) = try await interruptedRun(
            [S.shell("deploy", "sleep 30"), S.simulated("after", needs: ["deploy"])],
            until: { $0["deploy"]?.state == .running })
        let engine = try resumedEngine(workflow, directory, history, runID: runID)
        await engine.start()
        #expect(try await S.settle(engine) == .needsOperator(["'deploy' was interrupted; retry it to run it again"]))
        #expect(await engine.state["after"]?.state == .pending)
        #expect(await engine.retry("deploy", by: "tester").isAccepted)
        try await S.waitFor(engine) { $0["deploy"]?.state == .running }
        _ = await engine.close(by: "tester")
    }

    @Test func aSimulatedStepRunsAgainByItself() async throws {
        let (workflow, directory, history, runID) = try await interruptedRun(
            [S.simulated("play", duration: .seconds(30))], until: { $0["play"]?.state == .running })
        let engine = try resumedEngine(workflow, directory, history, runID: runID)
        await engine.start()
        try await S.waitFor(engine) { $0["play"]?.state == .running }
        #expect(await engine.state["play"]?.attempt == 2)
        _ = await engine.close(by: "tester")
    }

    @Test func anApprovedGateStaysApproved() async throws {
        let (workflow, directory, history, runID) = try await interruptedRun(
            [S.simulated("gate", approval: ApprovalGate(approvers: ["tester"])), S.simulated("long", needs: ["gate"], duration: .seconds(30))],
            until: { $0["gate"]?.state == .waiting })
        let engine = try resumedEngine(workflow, directory, history, runID: runID)
        await engine.start()
        #expect(await engine.approve("gate", by: "tester", comment: "ok").isAccepted)
        try await S.waitFor(engine) { $0["long"]?.state == .running }
        _ = await engine.close(by: "tester")
        // Interrupted again, and resumed again: the gate's decision is still there.
        let second = try directory.readJournal().events
        let again = try resumedEngine(workflow, directory, second, runID: runID, rerun: true)
        await again.start()
        try await S.waitFor(again) { $0["long"]?.state == .running }
        #expect(await again.state["gate"]?.approval?.approved == true)
        #expect(await again.state["gate"]?.state == .succeeded)
        _ = await again.close(by: "tester")
    }

    /// A plain resume refuses a finished run; an engine takes it up only to be reopened by a
    /// command, and does nothing to it by itself.
    @Test func aFinishedRunIsNotResumedButCanBeReopened() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let journal = JournalBuilder(runID: "done-1").runStarted(steps: ["a"]).succeeded("a").finished(.succeeded)
        try journal.write(to: directory, workflowText: "name: done\nsteps:\n  a:\n    run: \"true\"\n")
        #expect(throws: ResumeRefusal.self) { try directory.resumeCheck(environment: [:]).get() }
        let workflow = Workflow(name: "done", steps: [S.simulated("a")])
        let configuration = EngineConfiguration(runID: "done-1", user: "tester", syncJournal: false)
        let engine = try Engine(workflow: workflow, resuming: journal.events, configuration: configuration)
        await engine.start()
        #expect(await engine.state.outcome == .succeeded)
        #expect(await engine.state.lastSeq == journal.events.count, "nothing is recorded until someone acts")
        #expect(await engine.pauseRun(by: "tester").message == "cannot pause: the run has finished (succeeded)")
        #expect(await engine.rollback("a", by: "tester").isAccepted)
        #expect(await engine.waitUntilFinished() == .rolledBack)
        let reopened = await engine.state.audit.first { $0.action == "reopen run" }
        #expect(reopened?.user == "tester")
        #expect(reopened?.comment == "roll back 'a'")
        #expect(reopened?.detail == "the run had succeeded")
    }

    @Test func aTornTailIsCutBeforeAppending() throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        try directory.create(workflowText: "name: x\n")
        let whole = "{\"kind\":\"run_started\",\"seq\":1,\"steps\":[\"a\"],\"time\":1}\n"
        try (whole + "{\"kind\":\"st").write(toFile: directory.eventsPath, atomically: false, encoding: .utf8)
        #expect(try directory.repairTornTail())
        #expect(try String(contentsOfFile: directory.eventsPath, encoding: .utf8) == whole)
        #expect(try directory.repairTornTail() == false)
        // A whole event that only lacks its newline is kept, and ended.
        let second = "{\"kind\":\"run_paused\",\"seq\":2,\"time\":2}"
        try (whole + second).write(toFile: directory.eventsPath, atomically: false, encoding: .utf8)
        #expect(try directory.repairTornTail())
        #expect(try String(contentsOfFile: directory.eventsPath, encoding: .utf8) == whole + second + "\n")
    }

    @Test func aSimulatedRunIsRecordedAsSimulated() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        var configuration = EngineConfiguration(runID: "sim-1", user: "tester", runDirectory: directory, syncJournal: false)
        configuration.simulatesEverything = true
        let engine = try Engine(workflow: Workflow(name: "sim", steps: [S.simulated("a")]), configuration: configuration)
        await engine.start()
        _ = await engine.waitUntilFinished()
        #expect(try JournalReader.fold(try directory.readJournal().events).simulated)
    }

    @Test func aRunThatDiedWhileHaltingStartsNothingNewWhenResumed() async throws {
        // Baton died after on_failure: stop halted the run, while 'a' still ran.
        let crashed = JournalBuilder(runID: "halting-1")
            .runStarted(steps: ["a", "x", "b"], concurrency: 2)
            .step("a", .running).step("x", .running).step("x", .failed, exitCode: 1)
            .halted("'x' failed; on_failure: stop starts nothing new", outcome: .failed)
        let workflow = Workflow(name: "halting", concurrency: 2, onFailure: .stop, steps: [
            S.simulated("a", duration: .seconds(30)), S.shell("x", "exit 1"), S.simulated("b", needs: ["a"]),
        ])
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        try crashed.write(to: directory, workflowText: "name: halting\n")
        let engine = try resumedEngine(workflow, directory, crashed.events, runID: "halting-1")
        await engine.start()
        #expect(try await S.settle(engine) == .finished(.failed))
        #expect(await engine.state["a"]?.state == .pending, "a simulated step may run again, but nothing new starts")
        #expect(await engine.state["b"]?.state == .pending)
    }

    @Test func aFormatOneHaltWithoutOutcomeEndsTheRunFailed() async throws {
        let crashed = JournalBuilder(runID: "old-1")
            .runStarted(steps: ["a", "b"], format: nil)
            .step("a", .running)
            .halted("'z' failed; on_failure: stop starts nothing new", outcome: nil)
        #expect(try crashed.state().format == 1)
        #expect(try crashed.state().haltOutcome == nil)
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        try crashed.write(to: directory, workflowText: "name: old\n")
        let workflow = Workflow(name: "old", steps: [S.shell("a", "sleep 30"), S.shell("b", "true", needs: ["a"])])
        let engine = try resumedEngine(workflow, directory, crashed.events, runID: "old-1")
        await engine.start()
        // Format 1 did not say how a halt ends: a halted run ends failed.
        #expect(try await S.settle(engine) == .finished(.failed))
        #expect(await engine.state["a"]?.state == .interrupted)
    }

    @Test func theResumeCheckSaysWhyARunCannotBeResumed() throws {
        let text = "name: check\nsecrets: [TOKEN]\nsteps:\n  a:\n    run: \"true\"\n"
        func refusal(_ journal: JournalBuilder, workflow: String = text, environment: [String: String] = [:]) throws -> String? {
            let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
            try journal.write(to: directory, workflowText: workflow)
            if case .failure(let refusal) = directory.resumeCheck(environment: environment) { return refusal.description }
            return nil
        }
        let running = JournalBuilder(runID: "check-1").runStarted(steps: ["a"]).step("a", .running)
        #expect(try refusal(running, environment: ["TOKEN": "token-value"]) == nil)
        #expect(try refusal(running)?.contains("needs the secret TOKEN, which Baton takes only from the environment") == true)
        #expect(try refusal(JournalBuilder()) == "run run: the journal records no start; there is nothing to resume")
        #expect(try refusal(running, workflow: "name: check\nsteps:\n  b:\n    run: \"true\"\n")
            == "run run: the recorded workflow's steps differ from the journal's")
        #expect(try refusal(running.step("a", .interrupted).finished(.interrupted), environment: ["TOKEN": "token-value"]) == nil)
        #expect(try refusal(running.step("a", .failed).halted(outcome: .failed).finished(.failed), environment: ["TOKEN": "token-value"])
            == "run run: the run already failed; there is nothing to resume (--retry-failed or --skip STEP reopens it, and so does baton rollback RUN [STEP])")
    }
}

/// The processes a dead Baton left are found by their run id and stopped.
@Suite struct LeftoverProcessesTests {
    @Test func findsAndStopsOnlyTheRunsOwnGroups() async throws {
        let run = "leftover-\(UUID().uuidString.prefix(8))"
        let mine = try ProcessSpawner.spawn(command: "sleep 30 & sleep 30", environment: ["BATON_RUN_ID": run], directory: nil)
        let other = try ProcessSpawner.spawn(command: "sleep 30", environment: ["BATON_RUN_ID": run + "-other"], directory: nil)
        defer {
            kill(-other.pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(other.pid, &status, 0)
            for process in [mine, other] {
                for fd in [process.exitDescriptor, process.standardOutput, process.standardError] { close(fd) }
            }
        }
        // The shell has exec'd by the time its environment is readable; give it a moment.
        let deadline = ContinuousClock.now + .seconds(20)
        while LeftoverProcesses.groups(ofRun: run).isEmpty && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(LeftoverProcesses.groups(ofRun: run) == [mine.pid])
        #expect(LeftoverProcesses.stop(run: run, limit: .milliseconds(100)) == 1)
        // This test is the shell's parent (a dead Baton's children go to init): reap it, then
        // the whole group must be gone.
        var status: Int32 = 0
        #expect(waitpid(mine.pid, &status, 0) == mine.pid)
        #expect(status & 0x7f == SIGKILL)
        let gone = ContinuousClock.now + .seconds(5)
        while kill(-mine.pid, 0) == 0 && ContinuousClock.now < gone { try await Task.sleep(for: .milliseconds(10)) }
        #expect(kill(-mine.pid, 0) != 0, "the whole group is gone")
        #expect(kill(-other.pid, 0) == 0, "another run's process is left alone")
    }
}
