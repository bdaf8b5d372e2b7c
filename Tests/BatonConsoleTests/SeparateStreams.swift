import Foundation
import Testing

/// What the built `baton` printed on stdout and on stderr, kept apart, and its exit status:
/// for the tests of `--json`, whose stdout must carry the JSON document and nothing else.
struct SeparateStreams {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Runs `baton` with `arguments`, and `environment` added to the test's; stdout is
    /// captured as `ChildProcess` captures output, stderr goes to a file of its own through
    /// the shell.
    static func baton(_ arguments: [String], environment: [String: String] = [:]) async throws -> SeparateStreams {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        let errorPath = NSTemporaryDirectory() + "baton-stderr-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        let settings = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let command = ["/usr/bin/env"] + settings + [ConsoleEndToEndTests.binary] + arguments
        let result = try await ChildProcess.finish("/bin/sh", ["-c", "exec \"$@\" 2>'\(errorPath)'", "sh"] + command)
        let stderr = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        return SeparateStreams(status: result.status, stdout: result.output, stderr: stderr)
    }

    /// The stdout as one JSON document on one line, ended by a newline: anything else on
    /// stdout fails the test.
    func document() throws -> Any {
        #expect(stdout.hasSuffix("\n"), "stdout: \(stdout)")
        let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "stdout holds more than one line: \(stdout)")
        return try JSONSerialization.jsonObject(with: Data(stdout.utf8))
    }
}
