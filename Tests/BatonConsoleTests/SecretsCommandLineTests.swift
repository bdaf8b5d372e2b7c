import BatonEngine
import Foundation
import Testing

/// The real `baton` binary, run with the secrets in its environment as a person's shell would
/// give them, never prints a secret: not in `--events jsonl`, the plain headless lines, the
/// summary, `baton graph` in any format (with and without `--run`), `validate` or `runs`; and
/// it refuses to run a file that holds one, saying which without showing it.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct SecretsCommandLineTests {
    /// A state directory shared by the tests, with one recorded run of the leaky workflow.
    static let stateDirectory = NSTemporaryDirectory() + "baton-secrets-cli-\(UUID().uuidString.prefix(8))"

    /// The first recorded run: `baton run --headless --events jsonl` of the leaky workflow.
    static let recorded = Task { () throws -> (output: String, status: Int32, runID: String) in
        // Unattended: the run ends once its two steps have failed, rather than waiting for an operator.
        let result = try await baton(["run", LeakyWorkflow.path, "--headless", "--unattended", "--events", "jsonl", "--approve-all", "--logs", "--state-dir", stateDirectory])
        let runs = (try? FileManager.default.contentsOfDirectory(atPath: stateDirectory + "/runs")) ?? []
        return (result.output, result.status, runs.sorted().first ?? "")
    }

    /// Runs `baton` with the secrets in its environment, waiting on a thread of its own so that
    /// the tests running meanwhile keep their threads.
    static func baton(_ arguments: [String]) async throws -> ChildProcess.Result {
        let binary = ConsoleEndToEndTests.binary
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ChildProcess.Failure(description: "build baton first: swift build (looked for \(binary))")
        }
        let (program, withSecrets) = LeakyWorkflow.withSecrets(binary, arguments)
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { () throws(ChildProcess.Failure) -> ChildProcess.Result in
                    try ChildProcess.run(program, withSecrets, limit: .seconds(60))
                })
            }.start()
        }
    }

    @Test func eventsAsJSONLinesHoldNoSecretAndShowTheMasks() async throws {
        let (output, status, runID) = try await Self.recorded.value
        #expect(status == 1, "the run fails (two steps fail): \(output)")
        #expect(!runID.isEmpty)
        #expect(LeakyWorkflow.leaks(in: output).isEmpty, "\(LeakyWorkflow.leaks(in: output)) in:\n\(output)")
        let events = output.split(separator: "\n").filter { $0.hasPrefix("{") }.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
        #expect(events.count >= 12, "every journal event is a JSON line on stdout")
        #expect(events.first?["workflow"] as? String == "leaky")
        let published = events.first { $0["step"] as? String == "publish" && $0["state"] as? String == "succeeded" }
        #expect(published?["outputs"] as? [String: String] == ["token": "***", "shell": "before-***-after", "plain": "visible"])
        // The step output printed with --logs goes to stderr, masked.
        #expect(output.contains("file token ***, in a word x***y, written ***"))
        #expect(output.contains("fatal: ***"))
    }

    @Test func plainHeadlessOutputHoldsNoSecret() async throws {
        let result = try await Self.baton(["run", LeakyWorkflow.path, "--headless", "--unattended", "--approve-all", "--logs", "--state-dir", Self.stateDirectory])
        #expect(result.status == 1, "\(result.output)")
        #expect(LeakyWorkflow.leaks(in: result.output).isEmpty, "\(LeakyWorkflow.leaks(in: result.output)) in:\n\(result.output)")
        #expect(result.output.contains("of 'leaky'"), "the first line names the workflow")
        #expect(result.output.contains("split *** end"))
        #expect(result.output.contains("│ ! fatal: ***"), "the summary's log tail")
    }

    @Test(arguments: GraphFormat.allCases)
    func graphsHoldNoSecretWithOrWithoutARun(format: GraphFormat) async throws {
        let (_, _, runID) = try await Self.recorded.value
        let plain = try await Self.baton(["graph", LeakyWorkflow.inTheFilePath, "--format", format.rawValue])
        let coloured = try await Self.baton(["graph", LeakyWorkflow.inTheFilePath, "--format", format.rawValue, "--run", runID, "--state-dir", Self.stateDirectory])
        for result in [plain, coloured] {
            #expect(result.status == 0, "\(result.output)")
            #expect(LeakyWorkflow.leaks(in: result.output).isEmpty, "\(format): \(LeakyWorkflow.leaks(in: result.output))")
            #expect(result.output.contains("***"), "\(format): the masked name is drawn")
        }
        #expect(coloured.output.contains("failed"), "\(format): the run's states are drawn")
        let file = Self.stateDirectory + "/graph.\(format.rawValue)"
        let written = try await Self.baton(["graph", LeakyWorkflow.inTheFilePath, "--format", format.rawValue, "-o", file])
        #expect(written.status == 0)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(LeakyWorkflow.leaks(in: text).isEmpty && text.contains("***"), "\(format): the written file")
    }

    @Test func validateAndTheRunsListHoldNoSecret() async throws {
        _ = try await Self.recorded.value
        let validated = try await Self.baton(["validate", LeakyWorkflow.inTheFilePath])
        #expect(validated.status == 0)
        #expect(validated.output.contains("ok — 'leaky-***'"), "\(validated.output)")
        #expect(LeakyWorkflow.leaks(in: validated.output).isEmpty)
        let runs = try await Self.baton(["runs", "--state-dir", Self.stateDirectory])
        #expect(runs.status == 0)
        #expect(runs.output.contains("leaky"), "\(runs.output)")
        #expect(LeakyWorkflow.leaks(in: runs.output).isEmpty, "\(runs.output)")
    }

    @Test func aFileThatHoldsASecretIsRefusedBeforeAnythingIsStored() async throws {
        let state = Self.stateDirectory + "/refused"
        let result = try await Self.baton(["run", LeakyWorkflow.inTheFilePath, "--headless", "--state-dir", state])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("secrets-in-the-file.yaml:9:3: the file gives the secret 'FILE_TOKEN' a value"), "\(result.output)")
        #expect(result.output.contains("the file holds the value of the secret 'FILE_TOKEN'"))
        #expect(result.output.contains("the file holds the value of the secret 'STEP_PASS'"))
        #expect(LeakyWorkflow.leaks(in: result.output).isEmpty, "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: state + "/runs"), "nothing is stored")
    }
}
