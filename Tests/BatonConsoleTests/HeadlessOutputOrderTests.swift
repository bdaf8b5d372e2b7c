import Foundation
import Testing

/// With `--logs`, a step's output lines never print before the line saying it runs.
@Suite(.timeLimit(.minutes(2))) struct HeadlessOutputOrderTests {
    @Test func everyStepsLogLinesFollowItsRunningLine() async throws {
        let binary = ConsoleEndToEndTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build baton first: swift build")
        let directory = NSTemporaryDirectory() + "baton-order-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Quick steps that print at once, and flaky ones whose retries add Baton's own
        // "attempt 2 of 2" lines: every kind of line that could overtake its `running`.
        var text = "name: order\nconcurrency: 4\nsteps:\n"
        for index in 0..<40 {
            text += "  s\(index):\n"
            if index % 4 == 0 {
                text += "    retry: {attempts: 2, backoff: 1ms}\n"
                text += "    run: echo first-line; [ -e '\(directory)/s\(index)' ] || { touch '\(directory)/s\(index)'; exit 1; }\n"
            } else {
                text += "    run: echo first-line\n"
            }
            if index >= 4 { text += "    needs: [s\(index - 4)]\n" }
        }
        try text.write(toFile: directory + "/order.yaml", atomically: true, encoding: .utf8)
        let result = try await ChildProcess.finish(
            binary, ["run", directory + "/order.yaml", "--headless", "--logs", "--state-dir", directory + "/state"], within: .seconds(60))
        #expect(result.status == 0, "\(result.output)")

        var running: [String: Int] = [:]
        var checked = 0
        for (number, line) in result.output.split(separator: "\n").enumerated() {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count >= 3 else { continue }
            if words.count >= 4, words[3].hasPrefix("running") { running[String(words[2]), default: number] = number }
            if words[2] == "|" {
                let step = String(words[1])
                #expect(running[step] != nil, "line \(number + 1) is output of '\(step)' before it runs:\n\(result.output)")
                checked += 1
            }
        }
        #expect(checked >= 40, "expected every step's output in the listing:\n\(result.output)")
    }
}
