import Foundation
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

    @Test func aFinishedRunIsRefused() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let workflow = Workflow(name: "done", steps: [S.simulated("a")])
        let configuration = EngineConfiguration(runID: "done-1", user: "tester", runDirectory: directory, syncJournal: false)
        let engine = try Engine(workflow: workflow, configuration: configuration)
        await engine.start()
        #expect(await engine.waitUntilFinished() == .succeeded)
        let history = try directory.readJournal().events
        #expect(throws: JournalError.self) {
            try Engine(workflow: workflow, resuming: history, configuration: configuration)
        }
        var reopened = RunEvent(seq: history.count + 1, kind: .runReopened)
        reopened.user = "tester"
        #expect(throws: RunFoldError.self) { try JournalReader.fold(history + [reopened]) }
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
        let (workflow, directory, history, runID) = try await interruptedRun(
            [S.simulated("a", duration: .seconds(30)), S.simulated("b", needs: ["a"])], until: { $0["a"]?.state == .running })
        // Make the journal look like a crash while the run was halting: drop the interrupt's
        // own events and add an on_failure halt instead.
        var crashed = Array(history.prefix { $0.kind != .command })
        var halted = RunEvent(seq: crashed.count + 1, kind: .runHalted)
        halted.reason = "'x' failed; on_failure: stop starts nothing new"
        crashed.append(halted)
        let engine = try resumedEngine(workflow, directory, crashed, runID: runID)
        await engine.start()
        #expect(try await S.settle(engine) == .finished(.failed))
        #expect(await engine.state["b"]?.state == .pending)
    }
}

/// The processes a dead Baton left are found by their run id and stopped.
@Suite struct LeftoverProcessesTests {
    @Test func findsAndStopsOnlyTheRunsOwnGroups() throws {
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
        let deadline = ContinuousClock.now + .seconds(5)
        while LeftoverProcesses.groups(ofRun: run).isEmpty && ContinuousClock.now < deadline { usleep(10_000) }
        #expect(LeftoverProcesses.groups(ofRun: run) == [mine.pid])
        #expect(LeftoverProcesses.stop(run: run, limit: .milliseconds(100)) == 1)
        // This test is the shell's parent (a dead Baton's children go to init): reap it, then
        // the whole group must be gone.
        var status: Int32 = 0
        #expect(waitpid(mine.pid, &status, 0) == mine.pid)
        #expect(status & 0x7f == SIGKILL)
        let gone = ContinuousClock.now + .seconds(5)
        while kill(-mine.pid, 0) == 0 && ContinuousClock.now < gone { usleep(10_000) }
        #expect(kill(-mine.pid, 0) != 0, "the whole group is gone")
        #expect(kill(-other.pid, 0) == 0, "another run's process is left alone")
    }
}
