import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// `baton top` as a person sees it, in tmux: the recorded runs, a run that starts while it
/// watches, a gate that waits on the person at the screen, its console attached and left, a
/// replay opened and left, and a terminal resized down to nothing and back.
@Suite(.serialized, .timeLimit(.minutes(3))) struct TopEndToEndTests {
    private static var binary: String { ConsoleEndToEndTests.binary }

    private func requireTools() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build baton first: swift build (looked for \(Self.binary))")
        _ = try TmuxSession.tmux(["-V"])
    }

    /// A scratch folder holding a state directory with a finished, a failed and a dead run.
    private func recordedState() throws -> (folder: String, state: StateDirectory) {
        let folder = NSTemporaryDirectory() + "baton-top-e2e-\(UUID().uuidString.prefix(8))"
        let state = StateDirectory(path: folder + "/state")
        let workflow = "name: recorded\nsteps:\n  a:\n    run: \"true\"\n  b:\n    run: \"true\"\n"
        let now = Date().timeIntervalSince1970
        try JournalBuilder(runID: "20260101-080000-aaaa", workflow: "nightly-backup", startTime: now - 7200)
            .runStarted(steps: ["a", "b"]).succeeded("a").succeeded("b").finished(.succeeded)
            .write(to: state.runDirectory("20260101-080000-aaaa"), workflowText: workflow)
        try JournalBuilder(runID: "20260101-090000-bbbb", workflow: "db-migrate", startTime: now - 3600)
            .runStarted(steps: ["a", "b"]).succeeded("a").step("b", .running).step("b", .failed, exitCode: 1).finished(.failed)
            .write(to: state.runDirectory("20260101-090000-bbbb"), workflowText: workflow)
        try JournalBuilder(runID: "20260101-100000-cccc", workflow: "crashed-rollout", startTime: now - 1800)
            .runStarted(steps: ["a", "b"]).step("a", .running)
            .write(to: state.runDirectory("20260101-100000-cccc"), workflowText: workflow)
        return (folder, state)
    }

    /// Waits for `baton top` to exit and checks that it exited 0. (tmux may scroll the last
    /// lines out of the visible screen as the pane dies, so this reads the pane's history.)
    private func quits(_ tmux: TmuxSession) async throws {
        try await tmux.waitFor("baton top to exit") { _ in ((try? tmux.captureHistory()) ?? "").contains("EXIT=") }
        let history = try tmux.captureHistory()
        #expect(history.contains("EXIT=0"), "\(history)")
    }

    /// The screen's row that holds `text`.
    private func row(_ screen: String, _ text: String) -> String? {
        screen.split(separator: "\n").map(String.init).first { $0.contains(text) }
    }

    @Test func topShowsTheRecordedRunsAndARunThatStartsWhileItWatches() async throws {
        try requireTools()
        let (folder, state) = try recordedState()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("\(Self.binary) top --state-dir \(state.path); echo EXIT=$?", width: 160, height: 24)

        var screen = try await tmux.waitFor("the recorded runs") { $0.contains("nightly-backup") && $0.contains("db-migrate") && $0.contains("crashed-rollout") }
        #expect(screen.contains("baton top · 3 runs · 0 live"), "\(screen)")
        #expect(row(screen, "crashed-rollout")?.contains("○ 20260101-100000-cccc") == true, "\(screen)")
        #expect(row(screen, "crashed-rollout")?.contains("stopped unexpectedly") == true, "\(screen)")
        #expect(row(screen, "db-migrate")?.contains("failed") == true, "\(screen)")
        #expect(row(screen, "nightly-backup")?.contains("██████████ 2/2") == true, "\(screen)")

        // A headless run into the same state directory: its row appears, finished.
        let file = folder + "/fresh.yaml"
        try "name: fresh-deploy\nsteps:\n  build:\n    run: \"true\"\n  ship:\n    run: \"true\"\n    needs: [build]\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let headless = try await ChildProcess.finish(Self.binary, ["run", file, "--headless", "--state-dir", state.path], within: .seconds(30))
        #expect(headless.status == 0, "\(headless.output)")
        screen = try await tmux.waitFor("the new run") { self.row($0, "fresh-deploy")?.contains("succeeded") == true }
        #expect(screen.contains("baton top · 4 runs"), "\(screen)")
        // The newest ended run comes first among those nobody serves.
        let lines = screen.split(separator: "\n").map(String.init)
        let fresh = try #require(lines.firstIndex { $0.contains("fresh-deploy") })
        let crashed = try #require(lines.firstIndex { $0.contains("crashed-rollout") })
        #expect(fresh < crashed, "\(screen)")

        // A live run in a console, with a gate this user may approve: it comes first, marked.
        let me = OperatorIdentity.current
        let gated = folder + "/gated.yaml"
        try "name: gated-release\nsteps:\n  build:\n    run: \"true\"\n  ship:\n    needs: [build]\n    approval:\n      approvers: [\(me)]\n"
            .write(toFile: gated, atomically: true, encoding: .utf8)
        let console = TmuxSession()
        defer { console.kill() }
        try console.start("\(Self.binary) run \(gated) --no-bell --state-dir \(state.path)")
        screen = try await tmux.waitFor("the gate waiting on me") { $0.contains("approval of 'ship': you may decide") }
        let first = try #require(screen.split(separator: "\n").dropFirst(2).first.map(String.init))
        #expect(first.hasPrefix("! ") && first.contains("gated-release"), "\(screen)")
        #expect(screen.contains("1 live") && screen.contains("1 waits on you (\(me))"), "\(screen)")

        let runID = try #require(first.split(separator: " ").dropFirst().first.map(String.init))

        // Enter on it: its console, through baton attach on this terminal; q comes back.
        try tmux.send("Enter")
        screen = try await tmux.waitFor("the attached console") { $0.contains("ATTACHED") && $0.contains("run \(runID)") }
        try tmux.send("q")
        screen = try await tmux.waitFor("top again") { $0.contains("back from baton attach \(runID)") }
        #expect(screen.contains("1 waits on you"), "\(screen)")

        // Approved from another terminal: the run finishes, and no longer waits on anyone.
        let approved = try await ChildProcess.finish(Self.binary, ["approve", runID, "ship", "--state-dir", state.path])
        #expect(approved.status == 0, "\(approved.output)")
        screen = try await tmux.waitFor("the gated run to succeed") { self.row($0, "gated-release")?.contains("succeeded") == true }
        #expect(!screen.contains("waits on you"), "\(screen)")
        // Its console keeps it open: still live.
        #expect(row(screen, "gated-release")?.hasPrefix("● ") == true, "\(screen)")
        console.kill()
        screen = try await tmux.waitFor("the console's end") { self.row($0, "gated-release")?.hasPrefix("● ") == false }
        #expect(screen.contains("0 live"), "\(screen)")

        try tmux.send("q")
        try await quits(tmux)
    }

    @Test func enterOpensAFinishedRunsReplayAndLeavingItComesBack() async throws {
        try requireTools()
        let (folder, state) = try recordedState()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("\(Self.binary) top --state-dir \(state.path); echo EXIT=$?", width: 120, height: 30)
        try await tmux.waitFor("nightly-backup")
        // The newest ended first: the crashed run, the failed one, the finished one.
        try tmux.send("j")
        try tmux.send("Enter")
        var screen = try await tmux.waitFor("the replay") { $0.contains("REPLAY") && $0.contains("run 20260101-090000-bbbb") }
        #expect(screen.contains("FAILED"), "\(screen)")
        try tmux.send("q")
        screen = try await tmux.waitFor("top again") { $0.contains("back from baton replay 20260101-090000-bbbb") }
        #expect(screen.contains("baton top · 3 runs"), "\(screen)")

        // Too small, then back.
        try tmux.resize(width: 20, height: 4)
        try await tmux.waitFor("terminal too small")
        try tmux.resize(width: 1, height: 1)
        try tmux.resize(width: 100, height: 20)
        screen = try await tmux.waitFor("the list again") { $0.contains("nightly-backup") && !$0.contains("too small") }
        try tmux.send("?")
        try await tmux.waitFor("baton top — keys")
        try tmux.send("Escape")
        try tmux.send("q")
        try await quits(tmux)
    }
}
