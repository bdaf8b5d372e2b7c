import Foundation
import Testing

/// Runs the real `baton` binary in tmux and operates it as a person would.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ConsoleEndToEndTests {
    /// The package's root folder, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The built binary: `$BATON_BINARY`, else `.build/debug/baton`.
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["BATON_BINARY"], !path.isEmpty { return path }
        return root + "/.build/debug/baton"
    }

    private func scratch() -> String {
        let path = NSTemporaryDirectory() + "baton-e2e-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func requireTools() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "build baton first: swift build (looked for \(Self.binary))")
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary))
        _ = try TmuxSession.tmux(["-V"])
    }

    /// The engine starts before the console is made; when the terminal cannot take a console
    /// after all, the headless runner takes the running engine over and shows every event
    /// from the start.
    @Test func aTerminalThatCannotTakeTheConsoleRunsTheRunHeadless() async throws {
        try requireTools()
        let state = scratch()
        let file = state + "/two.yaml"
        try "name: two\nsteps:\n  first:\n    run: echo one\n  second:\n    run: echo two\n    needs: [first]\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("TERM=no-such-terminal \(Self.binary) run \(file) --state-dir \(state); echo EXIT=$?")
        let screen = try await tmux.waitFor("EXIT=0")
        #expect(screen.contains("running headless"))
        let lines = screen.split(separator: "\n")
        #expect(lines.contains { $0.contains("▶ first") && $0.contains("running") }, "the headless runner shows what happened before it took over")
        #expect(lines.contains { $0.contains("✔ second") && $0.contains("succeeded") })
    }

    @Test func anOperatorRunsTheDemoFromStartToFinish() async throws {
        try requireTools()
        let state = scratch()
        let tmux = TmuxSession()
        defer { tmux.kill() }
        // The shell says how baton exited: tmux itself may mark the pane dead before it knows.
        try tmux.start("\(Self.binary) demo --speed 4 --no-bell --state-dir \(state); echo EXIT=$?", environment: ["BATON_DEMO_DIR": Self.root + "/demo"])

        // 1. The console opens on the demo.
        try await tmux.waitFor("three-tier-deploy")
        try await tmux.waitFor("Graph")

        // 2. Move the selection: to the steps table, then down one row.
        try tmux.send("Tab")
        try tmux.send("g")
        try tmux.send("j")
        try await tmux.waitFor("network — Network")

        // 3. Pause, saying why, then resume.
        try tmux.send("p")
        try await tmux.waitFor("Pause the run?")
        try tmux.type("checking the db")
        try tmux.send("Enter")
        try await tmux.waitFor("PAUSED")
        try tmux.send("p")
        try await tmux.waitFor("Resume the run?")
        try tmux.send("Enter")
        try await tmux.waitFor("no PAUSED banner") { !$0.contains("PAUSED") }

        // 4. The injected failure: the smoke test fails; jump to it and retry it.
        try await tmux.waitFor("'smoke-test' failed", limit: .seconds(40))
        try tmux.send("!")
        try await tmux.waitFor("smoke-test — Smoke")
        try tmux.send("r")
        try await tmux.waitFor("Retry 'smoke-test'?")
        try tmux.type("flaky network")
        try tmux.send("Enter")

        // 5. The gate opens; approve it with a comment.
        try await tmux.waitFor("'approve-release' waits for approval", limit: .seconds(40))
        try tmux.send("a")
        try await tmux.waitFor("Approve 'approve-release'")
        try tmux.type("looks good")
        try tmux.send("Enter")
        try await tmux.waitFor("approved by")

        // 6. Everything is done; roll back 'load-balancer', which first rolls back what follows it.
        try await tmux.waitFor("SUCCEEDED", limit: .seconds(40))
        try tmux.send("g")
        for _ in 0..<5 { try tmux.send("j") }
        try await tmux.waitFor("load-balancer — Load")
        try tmux.send("u")
        // Wait for the whole dialog: a capture can land while a frame is half drawn.
        let dialog = try await tmux.waitFor("the whole rollback dialog") { screen in
            screen.contains("Roll back 'load-balancer'?") && screen.contains("Enter rolls back")
        }
        #expect(dialog.contains("↶ promote"))
        #expect(dialog.contains("↶ smoke-test"))
        try tmux.send("Enter")
        try await tmux.waitFor("↺ 4 rolled_back", limit: .seconds(30))
        // Rolling back a finished run reopens it, on the record, and ends it rolled back.
        try await tmux.waitFor(" ROLLED BACK ", limit: .seconds(30))

        // 7. Resize: the panes reflow, a tiny terminal gets a message, and it comes back.
        try tmux.resize(width: 80, height: 24)
        try await tmux.waitFor("80-column layout") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.contains { $0.contains("Graph") } && lines.allSatisfy { $0.count <= 80 }
        }
        try tmux.resize(width: 40, height: 10)
        try await tmux.waitFor("terminal too small (need 60×16)")
        try tmux.resize(width: 120, height: 40)
        try await tmux.waitFor("Details")

        // 8. Quit: the run has ended rolled back, so quitting is an ordinary quit: no question.
        try tmux.send("q")
        // tmux may see the exit before it has drawn the last bytes, so wait for both.
        // (tmux may scroll the closing lines out of the visible screen, so the test reads the
        // pane's history.)
        try await tmux.waitFor("the program to exit and say how the run ended") { _ in
            let history = (try? tmux.captureHistory()) ?? ""
            return history.contains("rolled back — journal:") && history.contains("EXIT=")
        }
        let after = try tmux.captureHistory()
        #expect(!after.contains("Quit while the run is active?"), "no question after a finished rollback:\n\(after)")
        #expect(!after.contains("Graph"), "the console's screen is gone after quitting:\n\(after)")
        #expect(after.contains("EXIT=0"), "a run rolled back as asked exits 0:\n\(after)")

        let runs = try FileManager.default.contentsOfDirectory(atPath: state + "/runs")
        #expect(runs.count == 1)
        let journal = try String(contentsOfFile: "\(state)/runs/\(runs[0])/events.jsonl", encoding: .utf8)
        #expect(journal.contains("\"command\":\"approve\""))
        #expect(journal.contains("\"comment\":\"looks good\""))
        #expect(journal.contains("\"command\":\"retry\""))
        #expect(journal.contains("\"comment\":\"flaky network\""), "the retry's comment is on the record")
        #expect(journal.contains("\"command\":\"rollback\""))
        #expect(journal.contains("\"command\":\"pause\""))
        #expect(journal.contains("\"kind\":\"run_reopened\""), "the rollback after the end reopened the run on the record")
        #expect(journal.contains("\"outcome\":\"rolled_back\""))
        #expect(!journal.contains("\"outcome\":\"interrupted\""))
    }

    @Test func aTrainerReplaysARecordedRunStepByStep() async throws {
        try requireTools()
        let state = scratch()
        let recorded = try await ChildProcess.finish(
            Self.binary, ["run", Self.root + "/demo/data-pipeline.yaml", "--headless", "--simulate", "--speed", "0", "--state-dir", state],
            within: .seconds(60))
        #expect(recorded.status == 0)
        let runs = try FileManager.default.contentsOfDirectory(atPath: state + "/runs")
        let run = try #require(runs.first)
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("\(Self.binary) replay \(run) --speed 0 --state-dir \(state)")

        // Speed 0 opens at the end of the recording.
        try await tmux.waitFor("REPLAY END")
        try await tmux.waitFor("REPLAY — read-only")
        // Back to the start: nothing has happened yet.
        try tmux.send("{")
        try await tmux.waitFor("event 0/")
        try await tmux.waitFor("before the run started")
        // Two events forward: the run started and its first step is running.
        try tmux.send("]")
        try tmux.send("]")
        let screen = try await tmux.waitFor("event 2/")
        #expect(screen.contains("'plan' running"))
        #expect(screen.contains("▶ 1 running"))
        // The timeline shows the bar of the running step; operator keys are refused.
        try tmux.send("t")
        try await tmux.waitFor("Timeline")
        try tmux.send("r")
        try await tmux.waitFor("read-only")
        try tmux.send("}")
        try await tmux.waitFor("the skipped partition at the end") { $0.contains("⤼ 2 skipped") && $0.contains("REPLAY END") }
        try tmux.send("q")
        try await tmux.waitFor("the replay to exit") { _ in (try? tmux.isDead()) == true }
    }

    @Test func quittingStopsEveryStepProcess() async throws {
        try requireTools()
        let directory = scratch()
        let file = try writePidRecordingWorkflow(in: directory, steps: [("one", "sleep 300"), ("two", "sleep 300 & sleep 300")])
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("\(Self.binary) run \(file) --grace-period 1 --state-dir \(directory)/state")
        try await tmux.waitFor("▶ 2 running")
        var groups: [pid_t] = []
        for step in ["one", "two"] { groups.append(try await recordedGroup(of: step, in: directory)) }
        try tmux.send("q")
        try await tmux.waitFor("Quit while the run is active?")
        try tmux.send("Enter")
        try await tmux.waitFor("the program to exit") { _ in (try? tmux.isDead()) == true }
        for group in groups {
            let deadline = ContinuousClock.now + .seconds(15)
            while ContinuousClock.now < deadline && !liveMembers(ofGroup: group).isEmpty {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(liveMembers(ofGroup: group).isEmpty, "process group \(group) still has live processes")
        }
    }

    @Test func losingTheTerminalStopsTheRunAndExits() async throws {
        try requireTools()
        let directory = scratch()
        let file = try writePidRecordingWorkflow(in: directory, steps: [("long", "sleep 300")])
        let tmux = TmuxSession()
        defer { tmux.kill() }
        let state = directory + "/state"
        try tmux.start("\(Self.binary) run \(file) --grace-period 1 --state-dir \(state)")
        try await tmux.waitFor("▶ 1 running")
        let group = try await recordedGroup(of: "long", in: directory)
        // The terminal goes away under the console, as when its window is closed.
        tmux.kill()
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline && (batonIsRunning(stateDirectory: state) || !liveMembers(ofGroup: group).isEmpty) {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(!batonIsRunning(stateDirectory: state), "baton must exit once its terminal is gone, not spin")
        #expect(liveMembers(ofGroup: group).isEmpty, "the step's processes are stopped")
        let runs = try FileManager.default.contentsOfDirectory(atPath: state + "/runs")
        let journal = try String(contentsOfFile: "\(state)/runs/\(runs[0])/events.jsonl", encoding: .utf8)
        #expect(journal.contains("\"outcome\":\"interrupted\""), "the run is recorded as interrupted, so it can be resumed")
    }

    /// Writes a workflow whose steps record their shell's pid (their process group) in
    /// `<directory>/<step>.pid`, then run `command`; returns the file's path.
    private func writePidRecordingWorkflow(in directory: String, steps: [(id: String, command: String)]) throws -> String {
        var text = "name: pids\nsteps:\n"
        for step in steps {
            text += "  \(step.id):\n    run: echo $$ > '\(directory)/\(step.id).pid'; \(step.command)\n"
        }
        let path = directory + "/pids.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The process group a step of `writePidRecordingWorkflow` recorded.
    /// The process group step `step` recorded. A step shows as running once its start is
    /// durable, which can be before its shell has written the file, so this waits for it.
    private func recordedGroup(of step: String, in directory: String) async throws -> pid_t {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let text = (try? String(contentsOfFile: "\(directory)/\(step).pid", encoding: .utf8)) ?? ""
            if let group = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) { return group }
            guard ContinuousClock.now < deadline else {
                Issue.record("step '\(step)' wrote no pid to \(directory)/\(step).pid within 10 s")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Whether a baton process recording into `stateDirectory` is alive, from /proc.
    private func batonIsRunning(stateDirectory: String) -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.contains { entry in
            guard pid_t(entry) != nil, let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")"), stat[stat.index(after: close)...].split(separator: " ").first != "Z" else { return false }
            let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return words.first?.hasSuffix("/baton") == true && words.contains(stateDirectory)
        }
    }

    /// The pids of every live (non-zombie) process in a group, read from /proc.
    private func liveMembers(ofGroup group: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, pid_t(fields[2]) == group, fields[0] != "Z" else { return nil }
            return pid
        }
    }
}
