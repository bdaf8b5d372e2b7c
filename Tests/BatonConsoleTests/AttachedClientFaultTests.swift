import BatonEngine
import Foundation
import Testing

/// Clients that fail the run's host, with real processes: a watcher stopped with SIGSTOP
/// does not hold the run up, and a console attached to a run whose Baton is killed says so
/// and leaves cleanly.
@Suite struct AttachedClientFaultTests {
    private func scratch() throws -> (directory: String, state: String) {
        let directory = NSTemporaryDirectory() + "baton-faults-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory + "/state", withIntermediateDirectories: true)
        return (directory, directory + "/state")
    }

    /// The id of the only run in `state`, once its host serves it.
    private func servedRun(in state: String) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(45)
        while ContinuousClock.now < deadline {
            if let run = try? FileManager.default.contentsOfDirectory(atPath: state + "/runs").first,
               FileManager.default.fileExists(atPath: "\(state)/runs/\(run)/\(RunHost.socketName)") {
                return run
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ChildProcess.Failure(description: "no run was served in \(state)")
    }

    @Test func aStoppedWatcherDoesNotHoldTheRunUp() async throws {
        let binary = ConsoleEndToEndTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build baton first: swift build")
        let (directory, state) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // 600 steps behind a gate: far more events than a stopped watcher's socket holds.
        var text = "name: busy\nconcurrency: 2\nsteps:\n  go:\n    approval: true\n"
        for index in 0..<600 { text += "  s\(index):\n    run: \"true\"\n    needs: [go]\n" }
        try text.write(toFile: directory + "/busy.yaml", atomically: true, encoding: .utf8)
        let baton = try ChildProcess.start(binary, ["run", directory + "/busy.yaml", "--headless", "--state-dir", state])
        let run = try await servedRun(in: state)
        // The run serves its socket before the gate is reached; an approval before that is refused.
        try await baton.waitForOutput(containing: "gate 'go' waits for an approver")
        let watcher = try ChildProcess.start(binary, ["watch", run, "--state-dir", state])
        // It prints the journal it was sent once it is connected: only then is it the host's
        // subscriber that stops reading.
        try await watcher.waitForOutput(containing: "waiting for an operator")
        kill(watcher.pid, SIGSTOP)
        let approved = try await ChildProcess.finish(binary, ["approve", run, "go", "--state-dir", state])
        #expect(approved.status == 0, "\(approved.output)")
        // The run ends by itself while the watcher sleeps: its host drops the watcher.
        let ran = try await baton.exit(within: .seconds(120))
        #expect(ran.status == 0, "\(ran.output)")
        kill(watcher.pid, SIGCONT)
        let watched = try await watcher.exit(within: .seconds(45))
        // Woken, it prints what its socket held and ends: with the run's outcome if all of it
        // had fitted, else saying its watch stopped, and how the run stands.
        let ending = ["baton: run \(run) succeeded", "the watch stopped: the run is not live: it succeeded"]
        #expect(ending.contains { watched.output.contains($0) }, "\(watched.output)")
        let events = try RunDirectory(path: "\(state)/runs/\(run)").readJournal().events
        #expect(events.last?.kind == .runFinished && events.last?.outcome == .succeeded)
    }

    @Test func aConsoleAttachedToARunWhoseBatonIsKilledSaysSoAndLeavesCleanly() async throws {
        let binary = ConsoleEndToEndTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build baton first: swift build")
        let (directory, state) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "name: held\nsteps:\n  build:\n    run: echo built\n  ship:\n    needs: [build]\n    approval: true\n"
            .write(toFile: directory + "/held.yaml", atomically: true, encoding: .utf8)
        let baton = try ChildProcess.start(binary, ["run", directory + "/held.yaml", "--headless", "--state-dir", state])
        let run = try await servedRun(in: state)
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("\(binary) attach \(run) --no-bell --state-dir \(state); echo attach-exited-$?; sleep 30")
        try await tmux.waitFor("'ship' waits for approval")
        kill(baton.pid, SIGKILL)
        _ = try await baton.exit(within: .seconds(15))
        try await tmux.waitFor("HOST GONE")
        try await tmux.waitFor("baton resume \(run) takes the run up")
        try tmux.send("q")
        try await tmux.waitFor("attach-exited-0")
    }
}
