import BatonTestSupport
import Foundation
import Testing

/// `notify:` with the built `baton`: a headless run tells its end before it exits, and says on
/// stderr that a command failed, with the run's exit status unchanged.
@Suite(.timeLimit(.minutes(2)))
struct NotificationCommandLineTests {
    @Test func aHeadlessRunTellsItsEndBeforeExitingAndReportsAFailedNotifier() async throws {
        let work = NSTemporaryDirectory() + "baton-notify-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let received = work + "/received.jsonl"
        // The first notifier is slow, as a webhook may be: Baton waits for it before exiting.
        let workflow = """
            name: told
            notify:
              - run: sleep 0.3; cat >> '\(received)'
                events: run_finished
              - run: cat > /dev/null; echo 'webhook said no' >&2; exit 5
            steps:
              build: {run: "true"}
            """
        try workflow.write(toFile: work + "/wf.yaml", atomically: true, encoding: .utf8)
        let result = try await SeparateStreams.baton(["run", work + "/wf.yaml", "--headless", "--state-dir", work + "/state"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let lines = try String(contentsOfFile: received, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(document["event"] as? String == "run_finished")
        #expect(document["outcome"] as? String == "succeeded")
        let runID = try #require(document["run_id"] as? String)
        #expect(document["hint"] as? String == "baton replay \(runID)")
        let log = "\(work)/state/runs/\(runID)/notifications.log"
        #expect(result.stderr.contains("baton: notification notify[2] on run_finished failed: exited 5; see \(log)"), "\(result.stderr)")
        let logged = try String(contentsOfFile: log, encoding: .utf8)
        #expect(logged.contains("run_finished → notify[2] exited 5\n  | webhook said no\n"), "\(logged)")
        #expect(logged.contains("run_finished → notify[1] exited 0\n"), "\(logged)")
    }
}
