import Foundation
import Testing

/// Runs the real `baton` binary without a terminal and checks its exit statuses.
@Suite(.timeLimit(.minutes(2))) struct CommandLineTests {
    /// Runs baton and waits as a task does, so the other tests keep their threads meanwhile.
    private func baton(_ arguments: String...) async throws -> ChildProcess.Result {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        return try await ChildProcess.finish(ConsoleEndToEndTests.binary, arguments)
    }

    @Test(arguments: [
        ["run", "x.yaml", "--concurrency", "0"],
        ["run", "x.yaml", "--events", "xml"],
        ["graph", "x.yaml", "--format", "png"],
        ["runs", "--limit=-1"],
        ["runs", "--state", "no-such-state"],
        ["validate"],
        ["no-such-command"],
    ])
    func badArgumentsAreInvalidInput(arguments: [String]) async throws {
        let result = try await ChildProcess.finish(ConsoleEndToEndTests.binary, arguments)
        #expect(result.status == 2, "baton \(arguments.joined(separator: " ")) exited \(result.status): \(result.output)")
        #expect(result.output.contains("Error:"))
        #expect(result.output.contains("Usage:"))
    }

    @Test func validateReportsEveryProblemWithItsPlace() async throws {
        let path = NSTemporaryDirectory() + "baton-cli-\(UUID().uuidString.prefix(8)).yaml"
        defer { unlink(path) }
        try "name: bad\nsteps:\n  a:\n    needs: [ghost]\n    run: 'true'\n    timout: 5s\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await baton("validate", path)
        #expect(result.status == 2)
        #expect(result.output.contains("\(path):4:"), "the unknown need is placed: \(result.output)")
        #expect(result.output.contains("\(path):6:5"), "the unknown key is placed: \(result.output)")
        #expect(result.output.contains("did you mean 'timeout'"))
    }

    @Test func validateSummarisesParametersFanOutsFinallyStepsAndTheDeadline() async throws {
        let path = NSTemporaryDirectory() + "baton-cli-\(UUID().uuidString.prefix(8)).yaml"
        defer { unlink(path) }
        try """
            name: summary
            timeout: 45m
            params:
              target: {required: true}
              dry-run: {type: bool, default: "false"}
            steps:
              deploy:
                for_each: [a, b, c]
                run: "true"
              list:
                run: "true"
              restart:
                for_each: ${{ steps.list.outputs.hosts }}
                run: "true"
            finally:
              notify:
                run: "true"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await baton("validate", path)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains(
            "ok — 'summary': 6 steps in 2 layers, 'deploy' fans out to 3, 'restart' fans out over steps.list.outputs.hosts at run time, "
                + "1 finally step, parameters target (required), dry-run, deadline 45m, on_failure wait"),
            "\(result.output)")
    }

    @Test func validateGivesUpOnAPipeWhoseWriterStaysSilent() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        let directory = NSTemporaryDirectory() + "baton-cli-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pipe = directory + "/workflow.yaml"
        try #require(mkfifo(pipe, 0o600) == 0)
        // The writer holds the pipe open (read-write, so it need not wait for a reader) and
        // writes nothing.
        let writer = try ChildProcess.start("/bin/sh", ["-c", "exec 3<>\"$0\"; : > \"$1\"; exec sleep 60", pipe, directory + "/ready"])
        defer {
            kill(writer.pid, SIGKILL)
            _ = try? writer.wait(limit: .seconds(5))
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while !FileManager.default.fileExists(atPath: directory + "/ready") && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        try #require(FileManager.default.fileExists(atPath: directory + "/ready"), "the writer never opened the pipe")

        let started = ContinuousClock.now
        let result = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["validate", pipe], within: .seconds(30))
        let took = ContinuousClock.now - started
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("\(pipe):1:1: cannot read the file: gave up after waiting 5s for the pipe to end (nothing arrived)"), "\(result.output)")
        #expect(took >= .seconds(5) && took < .seconds(20), "took \(took)")
    }

    @Test func helpAndAValidFileSucceed() async throws {
        #expect(try await baton("--help").status == 0)
        let demo = ConsoleEndToEndTests.root + "/demo/three-tier-deploy.yaml"
        let result = try await baton("validate", demo)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("ok"))
    }
}
