import BatonTestSupport
import Foundation
import Testing
@testable import BatonEngine

private typealias S = EngineTestSupport

/// Whole runs with `success()`, `failure()`, `always()` and `cancelled()` in `when:`: which
/// steps run, and how the run ends.
@Suite struct StateFunctionTests {
    private func engine(
        _ steps: [Step], onFailure: FailurePolicy = .wait, concurrency: Int = 4, history: [RunEvent]? = nil,
        script: @escaping @Sendable (ScriptedExecutor.Job) -> ScriptedExecutor.Ending = { _ in .succeed([:]) }
    ) async throws -> (Engine, ScriptedExecutor) {
        let executor = ScriptedExecutor(script: script)
        let configuration = EngineConfiguration(
            runID: "state-functions", user: "tester", executor: executor, simulator: executor, syncJournal: false,
            cancelGracePeriod: .milliseconds(10), environment: [:])
        let workflow = Workflow(name: "state-functions", concurrency: concurrency, onFailure: onFailure, steps: steps)
        let engine = try Engine(workflow: workflow, workflowText: "name: state-functions\n", resuming: history, configuration: configuration)
        await engine.start()
        return (engine, executor)
    }

    private func step(_ id: String, needs: [String] = [], when source: String? = nil) throws -> Step {
        Step(id: id, run: id, needs: needs, when: try source.map { try ConditionParser.parse($0) })
    }

    private func ran(_ executor: ScriptedExecutor) -> Set<String> {
        Set(executor.jobs.filter { $0.purpose == .run }.map(\.stepID))
    }

    @Test func aFailureStepRunsAfterANeedFailedAndTheRunStillEndsFailed() async throws {
        let (engine, executor) = try await engine([
            try step("build"),
            try step("test", needs: ["build"]),
            try step("deploy", needs: ["test"]),
            try step("notify", needs: ["deploy"], when: "failure()"),
        ], onFailure: .stop, script: { $0.stepID == "test" ? .fail(1) : .succeed([:]) })
        #expect(try await S.settle(engine) == .finished(.failed))
        let state = await engine.state
        #expect(state["deploy"]?.state == .blocked)
        #expect(state["notify"]?.state == .succeeded)
        #expect(ran(executor) == ["build", "test", "notify"])
    }

    @Test func underOnFailureWaitTheRunStillWaitsForAnOperatorAfterAFailureStepRan() async throws {
        let (engine, executor) = try await engine([
            try step("test"),
            try step("notify", needs: ["test"], when: "failure()"),
        ], script: { $0.stepID == "test" ? .fail(1) : .succeed([:]) })
        #expect(try await S.settle(engine) == .needsOperator(["'test' failed: exited with code 1"]))
        #expect(await engine.state["notify"]?.state == .succeeded)
        #expect(!(await engine.isComplete))
        #expect(ran(executor) == ["test", "notify"])
    }

    @Test(arguments: [false, true])
    func alwaysRunsAfterASuccessAndAfterAFailure(needFails: Bool) async throws {
        let (engine, executor) = try await engine([
            try step("test"),
            try step("report", needs: ["test"], when: "always()"),
        ], onFailure: .stop, script: { $0.stepID == "test" && needFails ? .fail(1) : .succeed([:]) })
        #expect(try await S.settle(engine) == .finished(needFails ? .failed : .succeeded))
        #expect(await engine.state["report"]?.state == .succeeded)
        #expect(ran(executor) == ["test", "report"])
    }

    @Test func aFailureStepIsSkippedWhenNothingFailedAndTheRunSucceeds() async throws {
        let (engine, executor) = try await engine([
            try step("test"),
            try step("page-someone", needs: ["test"], when: "failure()"),
            try step("after", needs: ["page-someone"]),
        ])
        #expect(try await S.settle(engine) == .finished(.succeeded))
        let state = await engine.state
        #expect(state["page-someone"]?.state == .skipped)
        #expect(state["page-someone"]?.reason == "condition is false: failure()")
        #expect(state["after"]?.state == .succeeded)
        #expect(ran(executor) == ["test", "after"])
    }

    @Test func aFalseConditionAfterAFailureBlocksSoWhatFollowsDoesNotRunAndARetryGoesOn() async throws {
        let (engine, executor) = try await engine([
            try step("test"),
            try step("report", needs: ["test"], when: "success() && steps.test.state == 'succeeded'"),
            try step("publish", needs: ["report"]),
        ], script: { $0.stepID == "test" && $0.earlier == 0 ? .fail(1) : .succeed([:]) })
        _ = try await S.settle(engine)
        var state = await engine.state
        #expect(state["report"]?.state == .blocked)
        #expect(state["report"]?.reason == "upstream 'test' failed, and the condition is false: success() && steps.test.state == 'succeeded'")
        #expect(state["publish"]?.state == .blocked)
        #expect(await engine.retry("test", by: "alice").isAccepted)
        #expect(try await S.settle(engine) == .finished(.succeeded))
        state = await engine.state
        #expect(state["report"]?.state == .succeeded)
        #expect(state["publish"]?.state == .succeeded)
        #expect(ran(executor) == ["test", "report", "publish"])
    }

    @Test func aSkippedNeedCountsAsDoneWithOrWithoutAStateFunction() async throws {
        let (engine, executor) = try await engine([
            try step("check"),
            try step("migrate", needs: ["check"], when: "steps.check.outputs.schema-changed == 'true'"),
            try step("deploy", needs: ["migrate"]),
            try step("announce", needs: ["migrate"], when: "success()"),
        ], script: { _ in .succeed(["schema-changed": "false"]) })
        #expect(try await S.settle(engine) == .finished(.succeeded))
        #expect(await engine.state["migrate"]?.state == .skipped)
        #expect(ran(executor) == ["check", "deploy", "announce"])
    }

    @Test func aCancelledRunStillEvaluatesStepsWithAStateFunctionAndEndsCancelled() async throws {
        let (engine, executor) = try await engine([
            try step("long"),
            try step("after", needs: ["long"]),
            try step("clean-up", needs: ["long"], when: "cancelled()"),
            try step("report", needs: ["long"], when: "always()"),
            try step("on-failure", needs: ["long"], when: "failure()"),
            try step("on-success", needs: ["long"], when: "success()"),
        ], script: { $0.stepID == "long" ? .hold : .succeed([:]) })
        try await S.waitUntil { executor.heldSteps.contains("long") }
        #expect(await engine.cancelRun(by: "alice").isAccepted)
        #expect(try await S.settle(engine) == .finished(.cancelled))
        let state = await engine.state
        #expect(state["after"]?.state == .cancelled)
        #expect(state["clean-up"]?.state == .succeeded)
        #expect(state["report"]?.state == .succeeded)
        #expect(state["on-failure"]?.state == .blocked)
        #expect(state["on-success"]?.reason == "upstream 'long' was cancelled, and the condition is false: success()")
        #expect(ran(executor) == ["long", "clean-up", "report"])
    }

    @Test func anInterruptedRunStartsNoStepWithAStateFunction() async throws {
        let (engine, executor) = try await engine([
            try step("long"),
            try step("report", needs: ["long"], when: "always()"),
        ], script: { $0.stepID == "long" ? .hold : .succeed([:]) })
        try await S.waitUntil { executor.heldSteps.contains("long") }
        #expect(await engine.cancelRun(by: "alice", outcome: .interrupted).isAccepted)
        #expect(try await S.settle(engine) == .finished(.interrupted))
        #expect(await engine.state["report"]?.state == .pending)
        #expect(ran(executor) == ["long"])
    }

    @Test func aRunResumedWhileItWasBeingCancelledRunsItsCleanUp() async throws {
        let history = JournalBuilder(runID: "state-functions").runStarted(steps: ["long", "after", "clean-up"])
            .step("long", .running, attempt: 1)
            .command("cancel_run", by: "alice")
            .halted("run cancelled by alice", outcome: .cancelled)
            .events
        let (engine, executor) = try await engine([
            try step("long"),
            try step("after", needs: ["long"]),
            try step("clean-up", needs: ["long"], when: "cancelled()"),
        ], history: history)
        #expect(try await S.settle(engine) == .finished(.cancelled))
        let state = await engine.state
        #expect(state["after"]?.state == .cancelled)
        #expect(state["clean-up"]?.state == .succeeded)
        #expect(ran(executor) == ["clean-up"])
    }

    @Test func whenOnFailureStopHaltsTheRunSuccessIsFalseAndFailureStepsStillRun() async throws {
        let (engine, executor) = try await engine([
            try step("a"),
            try step("b", when: "success()"),
            try step("c"),
            try step("notify", needs: ["a"], when: "failure()"),
        ], onFailure: .stop, concurrency: 1, script: { $0.stepID == "a" ? .fail(1) : .succeed([:]) })
        #expect(try await S.settle(engine) == .finished(.failed))
        let state = await engine.state
        #expect(state["b"]?.state == .skipped)
        #expect(state["c"]?.state == .pending)
        #expect(ran(executor) == ["a", "notify"])
    }
}
