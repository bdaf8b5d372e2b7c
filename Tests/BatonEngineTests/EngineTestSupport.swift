import Foundation
import Testing
@testable import BatonEngine

/// Small builders and waits shared by the engine tests.
enum EngineTestSupport {
    /// A step played by the simulated executor.
    static func simulated(
        _ id: String, needs: [String] = [], duration: Duration = .milliseconds(20), exitCodes: [Int32] = [],
        outputs: [String: String] = [:], retry: RetryPolicy = .none, rollback: String? = "undo \(UUID().uuidString.prefix(4))",
        approval: ApprovalGate? = nil, when: Condition? = nil, continueOnError: Bool = false
    ) -> Step {
        Step(
            id: id, needs: needs, when: when, retry: retry, rollback: rollback, approval: approval,
            continueOnError: continueOnError,
            simulate: Simulation(duration: duration, exitCodes: exitCodes, outputs: outputs))
    }

    /// The problems loading `yaml` (as `wf.yaml`) reports, in the `file:line:column: message`
    /// form; none when it loads.
    static func loadProblems(_ yaml: String) -> [String] {
        do {
            _ = try WorkflowLoader.load(yaml: yaml, file: "wf.yaml")
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    /// A step that runs a shell command.
    static func shell(_ id: String, _ command: String, needs: [String] = [], timeout: Duration? = nil, rollback: String? = nil) -> Step {
        Step(id: id, run: command, needs: needs, timeout: timeout, rollback: rollback)
    }

    /// An engine with no journal, started; on the real clocks unless a test passes its own.
    static func startedEngine(
        _ steps: [Step], concurrency: Int = 4, onFailure: FailurePolicy = .wait, runDirectory: RunDirectory? = nil,
        secrets: [String] = [], env: [String: String] = [:], environment: [String: String] = [:],
        clock: (any EngineClock)? = nil
    ) async throws -> Engine {
        let workflow = Workflow(name: "test", concurrency: concurrency, env: env, secrets: secrets, onFailure: onFailure, steps: steps)
        var configuration = EngineConfiguration(
            runID: "test-\(UUID().uuidString.prefix(8))", user: "tester", runDirectory: runDirectory, syncJournal: false,
            cancelGracePeriod: .milliseconds(500), environment: environment)
        if let clock { configuration.clock = clock }
        let engine = try Engine(workflow: workflow, workflowText: "name: test\n", configuration: configuration)
        await engine.start()
        return engine
    }

    /// Waits for the engine to settle, failing the test instead of hanging after `limit`.
    ///
    /// The limits are generous: on a loaded 2-core machine the whole test process can stall
    /// for seconds while other suites start processes and terminals; a wait that succeeds
    /// returns as soon as its condition holds.
    static func settle(_ engine: Engine, limit: Duration = .seconds(45)) async throws -> Settlement {
        try await withThrowingTaskGroup(of: Settlement?.self) { group in
            group.addTask { await engine.waitUntilSettled() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            guard let first = try await group.next(), let settlement = first else {
                group.cancelAll()
                throw TestTimeout()
            }
            group.cancelAll()
            return settlement
        }
    }

    /// Waits until `condition` holds for the engine's state, polling gently; fails after `limit`.
    static func waitFor(_ engine: Engine, limit: Duration = .seconds(45), _ condition: @Sendable (RunState) -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition(await engine.state) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestTimeout()
    }

    /// Collects every journal event the engine publishes until its stream ends.
    static func collectEvents(_ engine: Engine) -> Task<[RunEvent], Never> {
        Task {
            var events: [RunEvent] = []
            for await update in engine.updates {
                if case .event(let event) = update { events.append(event) }
            }
            return events
        }
    }

    /// The states each step passed through, in order, from a list of events.
    static func history(_ events: [RunEvent]) -> [String: [StepState]] {
        var history: [String: [StepState]] = [:]
        for event in events where event.kind == .step {
            if let step = event.step, let state = event.state { history[step, default: []].append(state) }
        }
        return history
    }

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "baton-test-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// A wait in a test that took far longer than it should.
struct TestTimeout: Error {}
