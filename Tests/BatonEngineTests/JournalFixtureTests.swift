import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// Journals written by real runs, frozen: this Baton and every later one must read and fold
/// them to the same facts, and resume the ones that can be resumed.
@Suite struct JournalFixtureTests {
    typealias S = EngineTestSupport

    private func fold(_ name: String) throws -> RunState {
        try JournalReader.fold(try JournalFixtures.directory(name).readJournal().events)
    }

    private func states(_ state: RunState) -> [String: StepState] {
        Dictionary(uniqueKeysWithValues: state.steps.map { ($0.id, $0.state) })
    }

    private func actions(_ state: RunState) -> [String] {
        state.audit.map { "\($0.user) \($0.action)\($0.step.map { " \($0)" } ?? "") \($0.outcome.rawValue)" }
    }

    /// Resumes a copy of a fixture as `baton resume` does, headless with no operator.
    private func resume(_ name: String, rerun: Bool = false) async throws -> (RunState, [ScriptedExecutor.Job]) {
        let directory = try JournalFixtures.copy(name, under: S.temporaryDirectory())
        let run = try directory.resumeCheck(environment: [:]).get()
        try directory.repairTornTail()
        let executor = ScriptedExecutor()
        var configuration = EngineConfiguration(
            runID: run.state.runID, user: "resumer", executor: executor, simulator: executor, runDirectory: directory,
            syncJournal: false, environment: [:])
        configuration.rerunsInterruptedSteps = rerun
        let engine = try Engine(workflow: run.workflow, resuming: try directory.readJournal().events, configuration: configuration)
        await engine.start()
        _ = try await S.endHeadless(engine)
        #expect(await engine.internalErrors.isEmpty)
        #expect(try JournalReader.fold(try directory.readJournal().events) == (await engine.state))
        return (await engine.state, executor.jobs)
    }

    @Test(.enabled(if: JournalFixtures.recording)) func recordTheCurrentFormatsFixtures() async throws {
        for (name, scenario) in JournalFixtures.recorded {
            let scratch = RunDirectory(path: S.temporaryDirectory() + "/run")
            let recording = try await scenario.record(in: scratch)
            let target = JournalFixtures.directory(name)
            try? FileManager.default.removeItem(atPath: target.path)
            try FileManager.default.createDirectory(atPath: target.path, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: scratch.eventsPath, toPath: target.eventsPath)
            try FileManager.default.copyItem(atPath: scratch.workflowPath, toPath: target.workflowPath)
            #expect(recording.events.count > 3)
        }
    }

    @Test func everyFixtureReadsBackToTheSameBytes() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: JournalFixtures.root).sorted()
        #expect(names.count == JournalFixtures.recorded.count + JournalFixtures.formatThree.count + JournalFixtures.formatTwo.count + 2)
        for name in names {
            let directory = JournalFixtures.directory(name)
            let data = try Data(contentsOf: URL(fileURLWithPath: directory.eventsPath))
            let contents = try directory.readJournal()
            #expect(!contents.ignoredTornLine, "\(name)")
            // Every field is still read, and written back exactly as it was.
            let written: [UInt8] = contents.events.flatMap { event -> [UInt8] in event.jsonLine() + [0x0A] }
            #expect(written == [UInt8](data), "\(name)")
            let state = try JournalReader.fold(contents.events)
            #expect(state.format == JournalFixtures.format(of: name), "\(name)")
            // With the instances its dynamic fan-outs made.
            let workflow = try WorkflowLoader.load(contentsOf: directory.workflowPath).expanded(by: state.expansions)
            #expect(state.steps.map(\.id) == workflow.stepIDs, "\(name)")
        }
    }

    @Test func aSuccessfulRun() throws {
        let state = try fold("format2-success")
        #expect(state.outcome == .succeeded)
        #expect(state.haltReason == nil)
        #expect(Set(states(state).values) == [.succeeded])
        #expect(actions(state) == ["tester start run recorded", "baton run finished recorded"])
    }

    @Test func aFailureWithOnFailureStop() throws {
        let state = try fold("format2-failure-stop")
        #expect(state.outcome == .failed)
        #expect(state.haltOutcome == .failed)
        #expect(state.owesCompensation == false)
        #expect(states(state) == ["fetch": .succeeded, "build": .failed, "test": .succeeded, "ship": .blocked])
        #expect(state["build"]?.exitCodes == [2])
    }

    @Test func aFailureRolledBack() throws {
        let state = try fold("format2-failure-rollback")
        #expect(state.outcome == .failed)
        #expect(state.haltOutcome == .failed)
        #expect(state.owesCompensation == false, "the compensation was planned")
        #expect(state.pendingRollback.isEmpty)
        #expect(states(state) == ["fetch": .rolledBack, "build": .failed, "test": .rolledBack, "ship": .blocked])
        #expect(state["build"]?.exitCodes == [3, 3], "two attempts")
    }

    @Test func anApprovedGate() throws {
        let state = try fold("format2-approved-gate")
        #expect(state.outcome == .succeeded)
        #expect(state["gate"]?.state == .succeeded)
        #expect(state["gate"]?.approval == ApprovalDecision(approved: true, user: "alice", comment: "ship it", time: state["gate"]?.approval?.time ?? 0))
        #expect(actions(state).contains("alice approve gate accepted"))
    }

    @Test func aRejectedGate() throws {
        let state = try fold("format2-rejected-gate")
        #expect(state.outcome == .failed)
        #expect(state.haltOutcome == .failed)
        #expect(state["gate"]?.state == .failed)
        #expect(state["gate"]?.approval?.approved == false)
        #expect(state["ship"]?.state == .blocked)
        let trail = actions(state)
        #expect(trail.contains("mallory approve gate refused"))
        #expect(trail.contains("alice reject gate accepted"))
        #expect(state.audit.first { $0.user == "alice" }?.comment == "not today")
    }

    @Test func aCancelledRun() throws {
        let state = try fold("format2-cancelled-run")
        #expect(state.outcome == .cancelled)
        #expect(state.haltOutcome == .cancelled)
        #expect(states(state) == ["fetch": .succeeded, "build": .cancelled, "test": .cancelled, "ship": .cancelled])
        #expect(actions(state).contains("tester cancel_run accepted"))
    }

    @Test func aRollbackOfTheRun() throws {
        let state = try fold("format2-rollback-run")
        #expect(state.outcome == .failed)
        #expect(state.haltOutcome == .failed)
        #expect(states(state) == ["fetch": .rolledBack, "build": .cancelled, "test": .rolledBack, "ship": .cancelled])
        #expect(actions(state).contains("tester rollback_run accepted"))
    }

    @Test func aRollbackOfTheRunEndsRolledBackInFormatThree() throws {
        let state = try fold("format3-rollback-run")
        #expect(state.outcome == .rolledBack)
        #expect(state.status == .rolledBack)
        #expect(states(state) == ["fetch": .rolledBack, "build": .cancelled, "test": .rolledBack, "ship": .cancelled])
    }

    @Test func aSucceededRunRolledBackAfterItsEndIsReopenedOnTheRecord() throws {
        let state = try fold("format3-rollback-after-success")
        #expect(state.outcome == .rolledBack)
        #expect(states(state) == ["fetch": .succeeded, "build": .rolledBack, "test": .succeeded, "ship": .rolledBack])
        let trail = actions(state)
        #expect(trail.suffix(4) == ["baton run finished recorded", "tester rollback build accepted", "tester reopen run recorded", "baton run finished recorded"])
    }

    @Test func aDynamicFanOutFoldsWithTheInstancesItsJournalRecorded() throws {
        let state = try fold("format5-dynamic-fan-out")
        #expect(state.format == 5 && state.outcome == .succeeded)
        #expect(state.expansions == [FanOutExpansion(group: "spread", instances: ["spread[h1]", "spread[h2]"], items: ["h1", "h2"])])
        #expect(states(state) == [
            "fetch": .succeeded, "build": .succeeded, "test": .succeeded, "spread": .succeeded, "ship": .succeeded,
            "spread[h1]": .succeeded, "spread[h2]": .succeeded,
        ])
    }

    @Test func finishedFixturesAreNotResumable() throws {
        for name in JournalFixtures.recorded.map(\.name) + JournalFixtures.formatThree + JournalFixtures.formatTwo {
            guard case .failure(let refusal) = JournalFixtures.directory(name).resumeCheck(environment: [:]) else {
                Issue.record("\(name) was finished, yet it can be resumed")
                continue
            }
            #expect(refusal.description.contains("there is nothing to resume"), "\(name)")
        }
    }

    @Test func aFormatOneInterruptedRunFoldsAndResumes() async throws {
        let state = try fold("format1-interrupted")
        #expect(state.format == 1)
        #expect(state.outcome == .interrupted)
        #expect(state.haltReason == "interrupted by root")
        #expect(state.haltOutcome == nil, "format 1 did not record how a halt ends")
        #expect(states(state) == ["prepare": .succeeded, "deploy": .interrupted, "verify": .pending])

        // 'deploy' is not idempotent: with nobody to decide, it is not run again.
        let (waited, jobs) = try await resume("format1-interrupted")
        #expect(jobs.isEmpty)
        #expect(waited.outcome == .interrupted)
        #expect(waited["deploy"]?.state == .interrupted)
        // --rerun-interrupted runs it, and then the rest; 'prepare' had succeeded.
        let (finished, rerun) = try await resume("format1-interrupted", rerun: true)
        #expect(rerun.map(\.description) == ["deploy#2", "verify#1"])
        #expect(finished.outcome == .succeeded)
    }

    @Test func aFormatOneRunThatDiedWhileHaltingEndsFailed() async throws {
        let state = try fold("format1-died-halting")
        #expect(state.format == 1)
        #expect(state.outcome == nil)
        #expect(state.haltReason == "'broken' failed; on_failure: stop starts nothing new")
        #expect(state.haltOutcome == nil)
        #expect(states(state) == ["build": .succeeded, "broken": .failed, "slow": .running, "after": .blocked])

        let (after, jobs) = try await resume("format1-died-halting")
        #expect(jobs.isEmpty, "the halt starts nothing, and 'slow' is not idempotent")
        #expect(after.outcome == .failed)
        #expect(after["slow"]?.state == .interrupted)
    }

    @Test func aJournalFromANewerBatonIsRefusedWithTheReason() throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        try JournalBuilder(runID: "future")
            .runStarted(steps: ["a"], format: RunEvent.formatVersion + 1)
            .step("a", .running)
            .write(to: directory, workflowText: "name: future\nsteps:\n  a:\n    run: \"true\"\n")
        guard case .failure(let refusal) = directory.resumeCheck(environment: [:]) else {
            Issue.record("a journal of a newer format was taken up")
            return
        }
        #expect(refusal.description.contains(
            "the journal is in format \(RunEvent.formatVersion + 1), written by a newer Baton; this Baton reads formats up to \(RunEvent.formatVersion)"))
        let events = try directory.readJournal().events
        var configuration = EngineConfiguration(runID: "future", user: "tester", environment: [:])
        configuration.executor = ScriptedExecutor()
        #expect(throws: JournalError.self) { try Engine(workflow: Workflow(name: "future", steps: [Step(id: "a", run: "true")]), resuming: events, configuration: configuration) }
    }
}
