import BatonTestSupport
import Foundation
import Testing

/// Sends Ctrl-C's SIGINT, SIGTERM and SIGHUP to a real headless `baton run` whose steps try
/// to outlive it, and counts the steps' processes before and after.
@Suite(.serialized, .timeLimit(.minutes(2))) struct HeadlessSignalTests {
    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func aSignalLeavesNoStepProcessAndExitsInterrupted(_ signal: Int32) async throws {
        let binary = ConsoleEndToEndTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build baton first: swift build")
        let directory = NSTemporaryDirectory() + "baton-signal-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let workflow = try StubbornWorkflow(in: directory)
        defer { ProcessTable.killAll(carrying: workflow.marker) }

        let baton = try ChildProcess.start(
            binary, ["run", workflow.path, "--headless", "--grace-period", "0.3", "--state-dir", directory + "/state"])
        var reaped = false
        defer {
            if !reaped {
                kill(baton.pid, SIGKILL)
                _ = try? baton.wait(limit: .seconds(10))
            }
        }
        let before = await ProcessTable.count(carrying: workflow.marker, within: .seconds(45)) { $0 >= workflow.processCount }
        try #require(before == workflow.processCount, "the steps never got all their processes going")

        kill(baton.pid, signal)
        let result = try await baton.exit(within: .seconds(45))
        reaped = true
        #expect(result.status == 130, "baton exits 'interrupted':\n\(result.output)")
        #expect(result.output.contains("received: cancelling running steps"))
        // Baton waits for the steps it stopped, so nothing should be left by the time it exits;
        // the short wait only lets the kernel finish delivering SIGKILLs.
        let after = await ProcessTable.count(carrying: workflow.marker, within: .seconds(5)) { $0 == 0 }
        #expect(after == 0, "\(after) of the \(before) step processes outlived baton")
    }
}
