import Foundation
import Testing

/// The headless summary shows the end of a failed step's log without reading the whole log.
@Suite(.timeLimit(.minutes(2)))
struct HeadlessSummaryTests {
    @Test func theSummaryReadsOnlyTheTailOfAHugeLog() async throws {
        let binary = ConsoleEndToEndTests.binary
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ChildProcess.Failure(description: "build baton first: swift build (looked for \(binary))")
        }
        let work = NSTemporaryDirectory() + "baton-summary-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let state = work + "/state"
        // The step makes its own log 300 MB long (sparse, so nothing is really written), then
        // prints its last words and fails: the summary shows them.
        let workflow = """
            name: summary-tail
            steps:
              big:
                run: |
                  for logs in '\(state)'/runs/*/logs; do truncate -s 300000000 "$logs/big.log"; done
                  echo 'last words'
                  exit 3
            """
        try workflow.write(toFile: work + "/wf.yaml", atomically: true, encoding: .utf8)
        // GNU time forks Baton itself: the peak RSS of a child that posix_spawn (vfork)
        // starts from the test process would count the test process's own peak too.
        let time = "/usr/bin/time"
        guard FileManager.default.isExecutableFile(atPath: time) else {
            throw ChildProcess.Failure(description: "this test needs GNU time: apt-get install time")
        }
        // Unattended: the failed step ends the run instead of waiting for an operator.
        let result = try await ChildProcess.finish(
            time, ["-f", "peak-rss-kb %M", binary, "run", work + "/wf.yaml", "--headless", "--unattended", "--state-dir", state], within: .seconds(60))
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("│   last words"), "the summary shows the log's last line:\n\(result.output)")
        // Reading the whole log would take more than 300 MB.
        let peak = result.output.split(separator: "\n").last { $0.hasPrefix("peak-rss-kb ") }.flatMap { Int($0.dropFirst("peak-rss-kb ".count)) }
        #expect(peak.map { $0 < 150_000 } == true, "peak RSS \(peak.map(String.init) ?? "?") KiB")
    }
}
