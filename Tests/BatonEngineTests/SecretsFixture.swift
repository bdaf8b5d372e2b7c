import BatonTestSupport
import Foundation
@testable import BatonEngine

/// The leaky workflow of `Tests/Fixtures/secrets-everywhere.yaml` run in-process; its secrets
/// and the search for them are `SecretsLeakCheck`'s.
enum SecretsFixture {
    static let path = SecretsLeakCheck.path
    static let inTheFilePath = SecretsLeakCheck.inTheFilePath
    static let fileToken = SecretsLeakCheck.fileToken
    static let stepPass = SecretsLeakCheck.stepPass
    static let environment = SecretsLeakCheck.environment
    static let forbidden = SecretsLeakCheck.forbidden

    static func text() throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    static func leaks(in bytes: [UInt8]) -> [String] { SecretsLeakCheck.leaks(in: bytes) }
    static func leaks(in text: String) -> [String] { SecretsLeakCheck.leaks(in: text) }
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool { SecretsLeakCheck.contains(haystack, needle) }

    /// What one run of the fixture left behind.
    struct Run: Sendable {
        var directory: RunDirectory
        var workflow: Workflow
        var displayWorkflow: Workflow
        var updates: [EngineUpdate]
        var state: RunState
    }

    /// Runs the fixture with the shell executor, recorded in a fresh run directory: the gate is
    /// approved with a comment that names two secrets, the two failing steps fail, and
    /// `publish` is rolled back before the run is finished.
    static func run() async throws -> Run {
        let text = try text()
        let workflow = try WorkflowLoader.load(yaml: text, file: path)
        let directory = RunDirectory(path: EngineTestSupport.temporaryDirectory() + "/run")
        let configuration = EngineConfiguration(
            runID: "secrets-\(UUID().uuidString.prefix(8))", user: "tester", executor: ShellWithSecrets(), runDirectory: directory,
            syncJournal: false, cancelGracePeriod: .milliseconds(500),
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
        let engine = try Engine(workflow: workflow, workflowText: text, configuration: configuration)
        let collector = Task {
            var updates: [EngineUpdate] = []
            for await update in engine.updates { updates.append(update) }
            return updates
        }
        await engine.start()
        try await EngineTestSupport.waitFor(engine, limit: .seconds(20)) { $0.steps[2].state == .waiting }
        _ = await engine.approve("gate", by: "tester", comment: "ok to ship \(fileToken) and \(environment["SHELL_SECRET"] ?? "")")
        _ = try await EngineTestSupport.settle(engine)
        _ = await engine.rollback("publish", by: "tester")
        try await EngineTestSupport.waitFor(engine, limit: .seconds(20)) { $0.steps[1].state == .rolledBack }
        _ = await engine.finish(outcome: .failed, reason: "the test is done")
        _ = await engine.waitUntilFinished()
        let updates = await collector.value
        return Run(directory: directory, workflow: workflow, displayWorkflow: engine.displayWorkflow, updates: updates, state: await engine.state)
    }
}
