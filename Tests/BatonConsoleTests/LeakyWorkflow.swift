import BatonEngine
import BatonTestSupport
import Foundation

/// The leaky workflow of `Tests/Fixtures/secrets-everywhere.yaml` for the console and command
/// line; its secrets and the search for them are `SecretsLeakCheck`'s.
enum LeakyWorkflow {
    static let path = SecretsLeakCheck.path
    /// The same secrets written in the file, which Baton refuses to run.
    static let inTheFilePath = SecretsLeakCheck.inTheFilePath
    /// The secrets Baton finds in its environment: every secret of the workflow.
    static let environment = SecretsLeakCheck.environment
    static let forbidden = SecretsLeakCheck.forbidden

    static func leaks(in text: String) -> [String] { SecretsLeakCheck.leaks(in: text) }
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool { SecretsLeakCheck.contains(haystack, needle) }

    /// `env NAME=value … program arguments`, to start a child with the secrets in its environment.
    static func withSecrets(_ program: String, _ arguments: [String]) -> (String, [String]) {
        ("/usr/bin/env", environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + [program] + arguments)
    }

    /// What an in-process run of the fixture published, and the engine's two views of the workflow.
    struct Run: Sendable {
        var workflow: Workflow
        var displayWorkflow: Workflow
        var updates: [EngineUpdate]
    }

    /// Runs the fixture with the shell executor: the gate is approved with a comment that names
    /// two secrets, the two failing steps fail, and the run is finished.
    static func run() async throws -> Run {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let workflow = try WorkflowLoader.load(yaml: text, file: path)
        let directory = RunDirectory(path: NSTemporaryDirectory() + "baton-leaky-\(UUID().uuidString.prefix(8))/run")
        let configuration = EngineConfiguration(
            runID: "leaky-\(UUID().uuidString.prefix(8))", user: "tester", executor: ShellWithSecrets(), runDirectory: directory,
            syncJournal: false, cancelGracePeriod: .milliseconds(500),
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
        let engine = try Engine(workflow: workflow, workflowText: text, configuration: configuration)
        let collector = Task {
            var updates: [EngineUpdate] = []
            for await update in engine.updates { updates.append(update) }
            return updates
        }
        await engine.start()
        let deadline = ContinuousClock.now + .seconds(45)
        while await engine.state.steps[2].state != .waiting, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        _ = await engine.approve("gate", by: "tester", comment: "ok to ship Zq9FileTok3nXw and Sh3llSecretVv8")
        _ = await engine.waitUntilSettled()
        _ = await engine.finish(outcome: .failed, reason: "the test is done")
        _ = await engine.waitUntilFinished()
        let updates = await collector.value
        try? FileManager.default.removeItem(atPath: (directory.path as NSString).deletingLastPathComponent)
        return Run(workflow: workflow, displayWorkflow: engine.displayWorkflow, updates: updates)
    }

}
