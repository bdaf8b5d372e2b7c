import BatonEngine
import Foundation
import Testing

/// Resuming a run whose workflow file held a secret: the stored copy has only `***`, so the
/// value must come from the environment, and a resume without it is refused.
@Suite(.timeLimit(.minutes(2))) struct ResumeSecretsTests {
    @Test func aSecretWrittenInTheFileComesFromTheEnvironmentOnResume() async throws {
        let binary = ConsoleEndToEndTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build baton first: swift build")
        let directory = NSTemporaryDirectory() + "baton-resume-secret-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let state = directory + "/state"
        try """
            secrets: [TOKEN]
            env:
              TOKEN: s3cret-in-the-file
            steps:
              use:
                run: "until [ -e '\(directory)/go' ]; do sleep 0.02; done; printf %s \\"$TOKEN\\" > '\(directory)/seen'"
            """.write(toFile: directory + "/wf.yaml", atomically: true, encoding: .utf8)

        // Interrupt the run while the step waits, so it can be resumed.
        let first = try ChildProcess.start("/usr/bin/env", ["-u", "TOKEN", binary, "run", directory + "/wf.yaml", "--headless", "--state-dir", state])
        var runDirectory: RunDirectory?
        let deadline = ContinuousClock.now + .seconds(30)
        while runDirectory == nil, ContinuousClock.now < deadline {
            if let id = (try? FileManager.default.contentsOfDirectory(atPath: state + "/runs"))?.first {
                let candidate = RunDirectory(path: "\(state)/runs/\(id)")
                if let events = try? candidate.readJournal().events, (try? JournalReader.fold(events))?["use"]?.state == .running {
                    runDirectory = candidate
                }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let run = try #require(runDirectory, "the step never started")
        kill(first.pid, SIGINT)
        #expect(try await first.exit(within: .seconds(20)).status == 130)
        let stored = try String(contentsOfFile: run.workflowPath, encoding: .utf8)
        #expect(!stored.contains("s3cret-in-the-file"))
        _ = FileManager.default.createFile(atPath: directory + "/go", contents: nil)

        let refused = try await ChildProcess.finish("/usr/bin/env", ["-u", "TOKEN", binary, "resume", run.runID, "--headless", "--rerun-interrupted", "--state-dir", state])
        #expect(refused.status == 2)
        #expect(refused.output.contains("wrote the secret TOKEN in the file"), "\(refused.output)")
        #expect(refused.output.contains("set TOKEN in the environment"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/seen"), "a refused resume runs nothing")

        let resumed = try await ChildProcess.finish(
            "/usr/bin/env", ["TOKEN=s3cret-from-the-environment", binary, "resume", run.runID, "--headless", "--rerun-interrupted", "--state-dir", state],
            within: .seconds(30))
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(try String(contentsOfFile: directory + "/seen", encoding: .utf8) == "s3cret-from-the-environment",
                "the step got the secret, not the *** kept on disk")
        #expect(!resumed.output.contains("s3cret-from-the-environment"))
    }
}
