import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// `baton runs`, run as a real process, gives a run's duration as wall time from its start to
/// its end, or for a run whose process died, to the last thing it recorded.
@Suite(.timeLimit(.minutes(2))) struct RunsListingTests {
    /// The DURATION cell of each run `baton runs` lists, by run id.
    private func durations(stateDir: String) async throws -> [String: String] {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        let result = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["runs", "--state-dir", stateDir])
        #expect(result.status == 0, "\(result.output)")
        let lines = result.output.split(separator: "\n").map(String.init)
        let header = try #require(lines.first)
        let column = try #require(header.range(of: "DURATION")).lowerBound
        var durations: [String: String] = [:]
        for line in lines.dropFirst() {
            let id = String(line.prefix { $0 != " " })
            let cell = line[line.index(line.startIndex, offsetBy: header.distance(from: header.startIndex, to: column))...]
            durations[id] = String(cell.prefix { $0 != " " })
        }
        return durations
    }

    @Test func aRunWhoseProcessDiedLastedUntilItsLastEventOrOutput() async throws {
        let stateDir = NSTemporaryDirectory() + "baton-runs-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: stateDir) }
        let state = StateDirectory(path: stateDir)

        // Killed 2 s in: its last event, a pause, is 2 s after its start.
        var killed = JournalBuilder(runID: "20270115-080000-aaaa").runStarted(steps: ["a", "b", "c", "d"])
        for id in ["a", "b", "c"] { killed = killed.succeeded(id) }
        try killed.step("d", .running).paused().write(to: state.runDirectory("20270115-080000-aaaa"), workflowText: "name: built\n")

        // Killed while its step printed: the journal's last event is its `running`, a quarter
        // second in, but the step's log was written until 5 s in.
        let quiet = JournalBuilder(runID: "20270115-080100-bbbb", startTime: 1_800_000_060).runStarted(steps: ["a"]).step("a", .running)
        let directory = state.runDirectory("20270115-080100-bbbb")
        try quiet.write(to: directory, workflowText: "name: built\n")
        let logs = try StepLogStore(directory: directory.logsPath) { _ in }
        for second in 1...5 {
            logs.write(OutputChunk(stepID: "a", stream: .stdout, bytes: Array("tick\n".utf8), time: Date(timeIntervalSince1970: 1_800_000_060 + Double(second))))
        }
        logs.closeAll()

        // Finished: from its start to `run_finished`.
        let finished = JournalBuilder(runID: "20270115-080200-cccc", startTime: 1_800_000_120).runStarted(steps: ["a"]).succeeded("a").paused().finished(.succeeded)
        try finished.write(to: state.runDirectory("20270115-080200-cccc"), workflowText: "name: built\n")

        let listed = try await durations(stateDir: stateDir)
        #expect(listed["20270115-080000-aaaa"] == "2.0s", "\(listed)")
        #expect(listed["20270115-080100-bbbb"] == "5.0s", "\(listed)")
        #expect(listed["20270115-080200-cccc"] == "1.0s", "\(listed)")
    }
}
