import BatonEngine
import BatonTestSupport
import Foundation
import Synchronization
import Testing

/// The run's own state comes from the fold, and says "waiting for an operator" exactly when
/// nothing runs and nothing can start: after a failure, a cancel, a resume with interrupted
/// steps and a gate's timeout. Rolling back a finished run ends it rolled back.
@Suite struct RunStatusTests {
    typealias S = EngineTestSupport

    private func engine(
        _ steps: [Step], onFailure: FailurePolicy = .wait, clock: ManualClock = ManualClock(),
        script: @escaping @Sendable (ScriptedExecutor.Job) -> ScriptedExecutor.Ending = { _ in .succeed([:]) },
        history: [RunEvent]? = nil, directory: RunDirectory? = nil
    ) async throws -> Engine {
        let executor = ScriptedExecutor(script: script)
        var configuration = EngineConfiguration(
            runID: "status", user: "starter", executor: executor, simulator: executor, runDirectory: directory,
            syncJournal: false, cancelGracePeriod: .milliseconds(10), environment: [:], closesWhenFinished: false)
        configuration.clock = clock
        let engine = try Engine(workflow: Workflow(name: "status", onFailure: onFailure, steps: steps), workflowText: "name: status\n",
                                resuming: history, configuration: configuration)
        await engine.start()
        return engine
    }

    private let chain = [Step(id: "build", run: "make"), Step(id: "smoke", run: "smoke", needs: ["build"]),
                         Step(id: "deploy", run: "deploy", needs: ["smoke"], rollback: "undeploy")]

    @Test func aFailedStepLeavesTheRunWaitingForAnOperatorOnTheRecord() async throws {
        let engine = try await engine(chain, script: { $0.stepID == "smoke" && $0.earlier == 0 ? .fail(1) : .succeed([:]) })
        try await S.waitFor(engine) { $0.status == .waitingForOperator }
        let state = await engine.state
        #expect(state.operatorWait?.steps == ["smoke"])
        #expect(state.operatorWait?.reasons == ["'smoke' failed: exited with code 1"])
        // A retry ends the wait: the fold clears it with the first change.
        #expect(await engine.retry("smoke", by: "alice").isAccepted)
        try await S.waitFor(engine) { $0.outcome == .succeeded }
        #expect(await engine.state.status == .succeeded)
    }

    @Test func aCancelledStepLeavesTheRunWaitingNotRunning() async throws {
        let engine = try await engine(chain, script: { $0.stepID == "build" ? .hold : .succeed([:]) })
        try await S.waitFor(engine) { $0["build"]?.state == .running }
        #expect(await engine.state.status == .running)
        #expect(await engine.cancel("build", by: "alice").isAccepted)
        try await S.waitFor(engine) { $0.status == .waitingForOperator }
        #expect(await engine.state.operatorWait?.reasons == ["'build' was cancelled"])
    }

    @Test func aGateThatTimesOutLeavesTheRunWaiting() async throws {
        let clock = ManualClock()
        let engine = try await engine(
            [Step(id: "build", run: "make"), Step(id: "gate", needs: ["build"], approval: ApprovalGate(timeout: .seconds(4)))], clock: clock)
        try await S.waitFor(engine) { $0["gate"]?.state == .waiting }
        #expect(await engine.state.status == .waitingForOperator)
        #expect(await engine.state.operatorWait?.steps == ["gate"])
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(4))
        try await S.waitFor(engine) { $0["gate"]?.state == .failed && $0.status == .waitingForOperator }
        #expect(await engine.state.operatorWait?.reasons.first?.hasPrefix("'gate' failed: rejected by timeout") == true)
    }

    @Test func aResumeWithAnInterruptedStepWaitsForAnOperator() async throws {
        let history = JournalBuilder(runID: "status").runStarted(steps: ["build", "smoke", "deploy"]).succeeded("build")
            .step("smoke", .running, attempt: 1).events
        let engine = try await engine(chain, history: history)
        try await S.waitFor(engine) { $0.status == .waitingForOperator }
        #expect(await engine.state.operatorWait?.reasons == ["'smoke' was interrupted; retry it to run it again"])
    }

    @Test func rollingBackAFinishedRunEndsItRolledBackAndItCanBeQuitNormally() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let engine = try await engine(chain, directory: directory)
        try await S.waitFor(engine) { $0.outcome == .succeeded }
        #expect(await engine.rollback("deploy", by: "alice").isAccepted)
        try await S.waitFor(engine) { $0.outcome == .rolledBack }
        let state = await engine.state
        #expect(state.status == .rolledBack)
        #expect(state["deploy"]?.state == .rolledBack)
        #expect(state["build"]?.state == .succeeded)
        // Quitting is an ordinary close: the run stays rolled back.
        #expect(await engine.close(by: "alice") == .rolledBack)
        let journal = try directory.readJournal().events
        #expect(journal.map(\.kind).filter { $0 == .runFinished }.count == 2)
        #expect(journal.contains { $0.kind == .runReopened && $0.user == "alice" && $0.comment == "roll back 'deploy'" })
        #expect(try JournalReader.fold(journal).status == .rolledBack)
    }

    @Test func rollingBackTheWholeRunEndsRolledBackOrRollbackFailed() async throws {
        let ok = try await engine(chain)
        try await S.waitFor(ok) { $0.outcome == .succeeded }
        #expect(await ok.rollbackRun(by: "alice").isAccepted)
        try await S.waitFor(ok) { $0.isFinished && $0.outcome != .succeeded }
        #expect(await ok.state.outcome == .rolledBack)

        let failing = try await engine(chain, script: { $0.stepID == "deploy" && $0.purpose == .rollback ? .fail(3) : .succeed([:]) })
        try await S.waitFor(failing) { $0.outcome == .succeeded }
        #expect(await failing.rollbackRun(by: "alice").isAccepted)
        try await S.waitFor(failing) { $0.isFinished && $0.outcome != .succeeded }
        #expect(await failing.state.outcome == .rollbackFailed)
        // `u` on the failed rollback reopens the run again and retries it.
        #expect(await failing.retry("deploy", by: "alice").message.contains("roll it back again"))
    }

    @Test func aFinishedFailedRunIsReopenedByARetryAndNothingThatSucceededRunsAgain() async throws {
        let attempts = Attempts()
        let engine = try await engine(chain, onFailure: .stop, script: { job in
            attempts.count(job)
            return job.stepID == "smoke" && job.earlier == 0 ? .fail(2) : .succeed([:])
        })
        try await S.waitFor(engine) { $0.outcome == .failed }
        #expect(await engine.retry("smoke", by: "bob").isAccepted)
        try await S.waitFor(engine) { $0.outcome == .succeeded }
        #expect(attempts.runs == ["build": 1, "smoke": 2, "deploy": 1])
        let audit = await engine.state.audit
        #expect(audit.contains { $0.action == "reopen run" && $0.user == "bob" && $0.detail == "the run had failed" })
    }

    @Test func theFoldGivesTheStatusAReplayShows() throws {
        let built = JournalBuilder(runID: "s").runStarted(steps: ["a"])
        #expect(try built.state().status == .running)
        var waiting = RunEvent(kind: .runWaiting)
        waiting.steps = ["a"]
        waiting.reasons = ["'a' failed"]
        let failed = built.step("a", .running).step("a", .failed, exitCode: 1).appending(waiting)
        #expect(try failed.state().status == .waitingForOperator)
        #expect(try failed.paused().state().status == .paused)
        #expect(try failed.halted(outcome: .failed).state().status == .stopping)
        #expect(try failed.finished(.waitingForOperator).state().isResumable)
        #expect(try failed.finished(.failed).state().isReopenable)
        #expect(try JournalBuilder().state().status == .notStarted)
    }
}

/// Counts the run jobs each step got.
private final class Attempts: Sendable {
    private let storage = Mutex<[String: Int]>([:])
    func count(_ job: ScriptedExecutor.Job) {
        guard job.purpose == .run else { return }
        storage.withLock { $0[job.stepID, default: 0] += 1 }
    }
    var runs: [String: Int] { storage.withLock { $0 } }
}
