import BatonEngine
import BatonTestSupport
import Foundation
import Testing
@testable import BatonConsole

/// What the console offers is what the engine accepts: every step state, in a live run and a
/// finished one, against every operator action.
@Suite struct OfferedIsAcceptedTests {
    /// A run brought to where its step `b` is in one state.
    struct Situation: Sendable, CustomStringConvertible {
        var name: String
        var expected: StepState
        var gate = false
        /// Attempts of `b`; with 2, a failed first attempt waits out a backoff that never ends.
        var attempts = 1
        var onFailure: FailurePolicy = .wait
        var history: [RunEvent]?
        var script: @Sendable (ScriptedExecutor.Job) -> ScriptedExecutor.Ending = { _ in .succeed([:]) }
        var drive: @Sendable (Engine) async throws -> Void = { _ in }
        var ready: @Sendable (RunState) -> Bool

        var description: String { name }
    }

    static func hold(_ steps: Set<String>, purpose: ExecutionJob.Purpose = .run) -> @Sendable (ScriptedExecutor.Job) -> ScriptedExecutor.Ending {
        { job in steps.contains(job.stepID) && job.purpose == purpose ? .hold : .succeed([:]) }
    }

    static let situations: [Situation] = [
        Situation(name: "pending", expected: .pending, script: hold(["a"]), ready: { $0["a"]?.state == .running }),
        Situation(name: "held", expected: .held, script: hold(["a"]),
                  drive: { _ = await $0.hold("b", by: "alice") }, ready: { $0["b"]?.state == .held }),
        Situation(name: "waiting", expected: .waiting, gate: true, script: hold(["c"]), ready: { $0["b"]?.state == .waiting }),
        Situation(name: "running", expected: .running, script: hold(["b"]), ready: { $0["b"]?.state == .running }),
        Situation(name: "suspended", expected: .suspended, script: hold(["b"]),
                  drive: { engine in
                      try await waitFor(engine) { $0["b"]?.state == .running }
                      _ = await engine.suspend("b", by: "alice")
                  }, ready: { $0["b"]?.state == .suspended }),
        Situation(name: "retrying", expected: .retrying, attempts: 2,
                  script: { $0.stepID == "b" ? .fail(1) : .succeed([:]) }, ready: { $0["b"]?.state == .retrying }),
        Situation(name: "succeeded in a live run", expected: .succeeded, script: hold(["c"]), ready: { $0["c"]?.state == .running }),
        Situation(name: "succeeded in a finished run", expected: .succeeded, ready: { $0.outcome == .succeeded }),
        Situation(name: "failed, waiting for an operator", expected: .failed,
                  script: { $0.stepID == "b" ? .fail(1) : .succeed([:]) }, ready: { $0.status == .waitingForOperator }),
        Situation(name: "failed in a finished run", expected: .failed, onFailure: .stop,
                  script: { $0.stepID == "b" ? .fail(1) : .succeed([:]) }, ready: { $0.outcome == .failed }),
        Situation(name: "skipped", expected: .skipped, script: hold(["a"]),
                  drive: { _ = await $0.skip("b", by: "alice") }, ready: { $0["b"]?.state == .skipped }),
        Situation(name: "blocked", expected: .blocked,
                  script: { $0.stepID == "a" ? .fail(1) : .succeed([:]) }, ready: { $0["b"]?.state == .blocked && $0.status == .waitingForOperator }),
        Situation(name: "cancelled", expected: .cancelled, script: hold(["a"]),
                  drive: { _ = await $0.cancel("b", by: "alice") }, ready: { $0["b"]?.state == .cancelled }),
        Situation(name: "interrupted", expected: .interrupted,
                  history: JournalBuilder(runID: "walk").runStarted(steps: ["a", "b", "c"]).succeeded("a").step("b", .running, attempt: 1).events,
                  ready: { $0["b"]?.state == .interrupted && $0.status == .waitingForOperator }),
        Situation(name: "rolling back", expected: .rollingBack, script: hold(["b"], purpose: .rollback),
                  drive: { engine in
                      try await waitFor(engine) { $0.outcome == .succeeded }
                      _ = await engine.rollback("b", by: "alice")
                  }, ready: { $0["b"]?.state == .rollingBack }),
        Situation(name: "rolled back", expected: .rolledBack,
                  drive: { engine in
                      try await waitFor(engine) { $0.outcome == .succeeded }
                      _ = await engine.rollback("b", by: "alice")
                  }, ready: { $0.outcome == .rolledBack }),
        Situation(name: "rollback failed", expected: .rollbackFailed,
                  script: { $0.stepID == "b" && $0.purpose == .rollback ? .fail(4) : .succeed([:]) },
                  drive: { engine in
                      try await waitFor(engine) { $0.outcome == .succeeded }
                      _ = await engine.rollback("b", by: "alice")
                  }, ready: { $0.outcome == .rollbackFailed }),
    ]

    static func waitFor(_ engine: Engine, _ condition: @Sendable (RunState) -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(45)
        while ContinuousClock.now < deadline {
            if condition(await engine.state) { return }
            try await Task.sleep(for: .milliseconds(1))
        }
        throw CancellationError()
    }

    static func workflow(_ situation: Situation) -> Workflow {
        Workflow(name: "walk", onFailure: situation.onFailure, steps: [
            Step(id: "a", run: "a", rollback: "undo a"),
            situation.gate
                ? Step(id: "b", needs: ["a"], approval: ApprovalGate())
                : Step(id: "b", run: "b", needs: ["a"], retry: RetryPolicy(attempts: situation.attempts, backoff: .seconds(3600)), rollback: "undo b"),
            Step(id: "c", run: "c", needs: ["b"]),
        ])
    }

    /// A fresh engine with `b` in the situation's state.
    static func engine(in situation: Situation) async throws -> Engine {
        let executor = ScriptedExecutor(script: situation.script)
        var configuration = EngineConfiguration(
            runID: "walk", user: "starter", executor: executor, simulator: executor, syncJournal: false, environment: [:],
            closesWhenFinished: false)
        configuration.clock = ManualClock()
        let engine = try Engine(workflow: workflow(situation), resuming: situation.history, configuration: configuration)
        await engine.start()
        try await situation.drive(engine)
        try await waitFor(engine, situation.ready)
        return engine
    }

    /// Carries out `action` on step `b` (or the run) as the engine's command.
    static func perform(_ action: OperatorAction, on engine: Engine) async -> CommandResult {
        await engine.perform(OperatorCommand(action, step: action.isStepAction ? "b" : nil), by: "alice")
    }

    @Test(arguments: situations)
    func everyActionTheConsoleOffersIsAcceptedAndNoOther(_ situation: Situation) async throws {
        let probe = try await Self.engine(in: situation)
        let run = await probe.state
        #expect(run["b"]?.state == situation.expected)
        let workflow = Self.workflow(situation)
        var console = AppState(workflow: workflow, run: run, user: "alice", width: 120, height: 40, now: run.startedAt ?? 0)
        console.selected = 1
        let plan = Plan(workflow: workflow)
        var accepted: [OperatorAction] = []
        for action in OperatorAction.allCases {
            // The console's key for the action offers it only while the key means this action.
            let key = ActionOffers.consoleAction(for: action)
            let offered = ActionOffers.operatorAction(for: key, in: console) == action && ActionOffers.isOffered(key, in: console, plan: plan)
            let engine = try await Self.engine(in: situation)
            let result = await Self.perform(action, on: engine)
            #expect(offered == result.isAccepted, "\(situation.name): \(action.rawValue) offered \(offered), engine: \(result.message)")
            if result.isAccepted { accepted.append(action) }
            _ = await engine.cancelRun(by: "cleanup")
        }
        // Every state leaves an operator something to do, or says there is nothing.
        #expect(!accepted.isEmpty || run.isFinished, "\(situation.name): nothing is accepted")
        _ = await probe.cancelRun(by: "cleanup")
    }
}
