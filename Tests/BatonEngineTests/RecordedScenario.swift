import BatonEngine
import BatonTestSupport
import Foundation

/// A run of a small workflow recorded in-process, for the tests that read journals back:
/// how each job ends (`script`) and what the operator does meanwhile (`drive`).
///
/// The engine runs with a `ScriptedExecutor`, so nothing is started and every ending is the
/// script's; a run that settles needing an operator is ended as the headless runner ends it.
struct RecordedScenario: Sendable {
    var name: String
    var onFailure: String = "wait"
    /// Extra YAML for the steps after `fetch`, `build`, `test` and `ship` (a gate, say), and
    /// lines to add to `build` (its retry policy).
    var extraSteps: String = ""
    var buildExtra: String = ""
    var shipNeeds: [String] = ["build", "test"]
    /// Whether the engine finishes a complete run by itself (the console's engine does not).
    var closesWhenFinished = true
    var script: @Sendable (ScriptedExecutor.Job) -> ScriptedExecutor.Ending = { _ in .succeed([:]) }
    var drive: @Sendable (Engine, ScriptedExecutor) async throws -> Void = { _, _ in }
    /// Whether the run, once it ended, is resumed as `baton resume --rerun-interrupted` with
    /// no operator, so the journal goes on after a `run_reopened`.
    var resumedOnce = false
    /// The outputs a job publishes when a resume runs it (every resumed job succeeds): a step
    /// whose output a dynamic fan-out reads publishes it again.
    var resumedOutputs: [String: [String: String]] = [:]

    /// A recorded run: its workflow and the journal's lines, each without its newline.
    struct Recording: Sendable {
        var scenario: String
        var workflowText: String
        var workflow: Workflow
        var lines: [[UInt8]]
        var events: [RunEvent]
        var outcome: RunOutcome
        /// `RecordedScenario.resumedOutputs`.
        var resumedOutputs: [String: [String: String]] = [:]

        /// The executor a resume of the recording runs on: every job succeeds.
        func resumeExecutor() -> ScriptedExecutor {
            let outputs = resumedOutputs
            return ScriptedExecutor(script: { job in .succeed(job.purpose == .run ? outputs[job.stepID] ?? [:] : [:]) })
        }
    }

    /// The workflow file: `fetch` and `test` are idempotent, `build` and `ship` are not, and
    /// every step can be rolled back.
    var workflowText: String {
        """
        name: cut-\(name)
        concurrency: 2
        on_failure: \(onFailure)
        steps:
          fetch:
            run: fetch the sources
            rollback: forget the sources
            idempotent: true
          build:
            needs: [fetch]
            run: build it
            rollback: remove the build
        \(buildExtra)
          test:
            needs: [fetch]
            run: run the tests
            rollback: clean the test data
            idempotent: true
        \(extraSteps)
          ship:
            needs: [\(shipNeeds.joined(separator: ", "))]
            run: ship it
            rollback: unship it

        """
    }

    /// Records the run in `directory` and returns its journal.
    func record(in directory: RunDirectory) async throws -> Recording {
        let text = workflowText
        let workflow = try WorkflowLoader.load(yaml: text, file: "\(name).yaml")
        let executor = ScriptedExecutor(script: script)
        var configuration = EngineConfiguration(
            runID: "cut-\(name)-\(UUID().uuidString.prefix(8))", user: "tester", executor: executor, simulator: executor,
            runDirectory: directory, syncJournal: false, cancelGracePeriod: .milliseconds(100), environment: [:],
            closesWhenFinished: closesWhenFinished)
        configuration.directory = FixedUserDirectory([:])
        let engine = try Engine(workflow: workflow, workflowText: text, configuration: configuration)
        await engine.start()
        try await drive(engine, executor)
        var outcome = try await EngineTestSupport.endHeadless(engine)
        if resumedOnce {
            var again = configuration
            again.executor = ScriptedExecutor()
            again.rerunsInterruptedSteps = true
            let resumed = try Engine(workflow: workflow, resuming: try directory.readJournal().events, configuration: again)
            await resumed.start()
            outcome = try await EngineTestSupport.endHeadless(resumed)
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: directory.eventsPath))
        let lines = data.split(separator: 0x0A).map { [UInt8]($0) }
        return Recording(
            scenario: name, workflowText: text, workflow: workflow, lines: lines,
            events: try directory.readJournal().events, outcome: outcome, resumedOutputs: resumedOutputs)
    }
}
