import Foundation
import Testing

/// Runs the real `baton` binary without a terminal and checks its exit statuses.
@Suite(.timeLimit(.minutes(2))) struct CommandLineTests {
    private func baton(_ arguments: String...) throws -> ChildProcess.Result {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        return try ChildProcess.run(ConsoleEndToEndTests.binary, arguments)
    }

    @Test(arguments: [
        ["run", "x.yaml", "--concurrency", "0"],
        ["run", "x.yaml", "--events", "xml"],
        ["graph", "x.yaml", "--format", "png"],
        ["runs", "--limit", "0"],
        ["validate"],
        ["no-such-command"],
    ])
    func badArgumentsAreInvalidInput(arguments: [String]) throws {
        let result = try ChildProcess.run(ConsoleEndToEndTests.binary, arguments)
        #expect(result.status == 2, "baton \(arguments.joined(separator: " ")) exited \(result.status): \(result.output)")
        #expect(result.output.contains("Error:"))
        #expect(result.output.contains("Usage:"))
    }

    @Test func validateReportsEveryProblemWithItsPlace() throws {
        let path = NSTemporaryDirectory() + "baton-cli-\(UUID().uuidString.prefix(8)).yaml"
        defer { unlink(path) }
        try "name: bad\nsteps:\n  a:\n    needs: [ghost]\n    run: 'true'\n    timout: 5s\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try baton("validate", path)
        #expect(result.status == 2)
        #expect(result.output.contains("\(path):4:"), "the unknown need is placed: \(result.output)")
        #expect(result.output.contains("\(path):6:5"), "the unknown key is placed: \(result.output)")
        #expect(result.output.contains("did you mean 'timeout'"))
    }

    @Test func helpAndAValidFileSucceed() throws {
        #expect(try baton("--help").status == 0)
        let demo = ConsoleEndToEndTests.root + "/demo/three-tier-deploy.yaml"
        let result = try baton("validate", demo)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("ok"))
    }
}
