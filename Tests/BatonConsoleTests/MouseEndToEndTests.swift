import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// The mouse, and pastes, on a real terminal: tmux runs `baton`, the test sends the bytes a
/// terminal sends for a click, a turn of the wheel or a paste, and reads what the console made
/// of them on the screen.
@Suite(.serialized, .timeLimit(.minutes(3))) struct MouseEndToEndTests {
    private static var binary: String { ConsoleEndToEndTests.binary }
    /// How long a wait for the screen may take on a machine busy with other builds.
    private static let patience: Duration = .seconds(45)

    private func requireTools() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build baton first: swift build (looked for \(Self.binary))")
        _ = try TmuxSession.tmux(["-V"])
    }

    private func scratch() -> String {
        let path = NSTemporaryDirectory() + "baton-mouse-e2e-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// build, then test (300 lines of log), then a gate: the run waits there with the console open.
    private func workflow(in folder: String) throws -> String {
        let file = folder + "/clicks.yaml"
        try """
            name: clicks
            steps:
              build:
                run: "true"
              test:
                needs: [build]
                run: "seq 1 300"
              ship:
                needs: [test]
                approval:
                  prompt: Ship it?
            """.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// `workflow(in:)`'s run under the console in tmux (120×36), and its screen once the gate
    /// waits; the caller kills the session.
    private func consoleAtTheGate(in folder: String) async throws -> (TmuxSession, String) {
        let file = try workflow(in: folder)
        let tmux = TmuxSession()
        try tmux.start("\(Self.binary) run \(file) --no-bell --state-dir \(folder)/state; echo EXIT=$?", width: 120, height: 36)
        let screen = try await tmux.waitFor("the gate", limit: Self.patience) { $0.contains("'ship' waits for approval") && $0.contains("Log: build") }
        return (tmux, screen)
    }

    /// Where `text` shows on the screen, from row `fromRow` on.
    private func cell(of text: String, in screen: String, fromRow: Int = 0) throws -> (x: Int, y: Int) {
        try #require(TmuxSession.cell(of: text, in: screen, fromRow: fromRow), "'\(text)' is not on the screen:\n\(screen)")
    }

    /// Waits for the program in the pane to exit, and returns its exit line. (tmux may scroll
    /// the last lines out of the visible screen as the pane dies, so this reads its history.)
    @discardableResult
    private func exitLine(_ tmux: TmuxSession) async throws -> String {
        try await tmux.waitFor("the program to exit", limit: Self.patience) { _ in ((try? tmux.captureHistory()) ?? "").contains("EXIT=") }
        return try tmux.captureHistory().split(separator: "\n").map(String.init).first { $0.hasPrefix("EXIT=") } ?? ""
    }

    @Test func clicksAndTheWheelReachTheConsoleAsTmuxSendsThem() async throws {
        try requireTools()
        let folder = scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (tmux, first) = try await consoleAtTheGate(in: folder)
        defer { tmux.kill() }
        var screen = first
        // Under tmux's own TERM, curses asks for the normal encoding, presses and releases only.
        #expect(try tmux.format("#{mouse_standard_flag}#{mouse_sgr_flag}#{mouse_button_flag}#{mouse_all_flag}") == "1000")

        // A click on a row of the steps table selects its step.
        let test = try cell(of: "test ", in: screen, fromRow: try cell(of: "─ Steps ", in: screen).y + 2)
        try tmux.click(x: test.x + 1, y: test.y)
        screen = try await tmux.waitFor("Log: test", limit: Self.patience)

        // The wheel over the log scrolls it back: it stops following.
        let log = try cell(of: "Log: test", in: screen)
        try tmux.wheel(-3, x: log.x, y: log.y + 10)
        screen = try await tmux.waitFor("Log: test (paused scroll", limit: Self.patience)
        #expect(screen.contains("Log: test (paused scroll"), "\(screen)")

        // A click on a node of the graph.
        let build = try cell(of: "build", in: screen, fromRow: 3)
        try tmux.click(x: build.x + 2, y: build.y)
        screen = try await tmux.waitFor("Log: build", limit: Self.patience)

        // A click on the footer's hint is its key: the help opens, and the wheel scrolls it.
        let help = try cell(of: "? help", in: screen)
        try tmux.click(x: help.x + 3, y: help.y)
        screen = try await tmux.waitFor("the help", limit: Self.patience) { $0.contains("Keys") && $0.contains("more: j/k") }
        let before = try #require(TmuxSession.cell(of: "Navigate", in: screen))
        try tmux.wheel(2, x: 60, y: 18)
        screen = try await tmux.waitFor("the help scrolled", limit: Self.patience) { TmuxSession.cell(of: "Navigate", in: $0)?.y != before.y }
        try tmux.send("Escape")
        try await tmux.waitFor("the help closed", limit: Self.patience) { !$0.contains("more: j/k") }

        // Sequences curses does not know (kitty's Ctrl-Enter, a function key past terminfo's,
        // an SGR report it did not ask for) do nothing: as keys, the last one's `3` would show
        // only running steps. The `t` after them is a key: the timeline shows.
        try tmux.type("\(TmuxSession.sgrMouseReport(0, x: 3, y: 3))\u{1B}[13;5u\u{1B}[200;3~t")
        screen = try await tmux.waitFor("Timeline — ", limit: Self.patience)
        #expect(!screen.contains("only running") && !screen.contains("comment:"), "\(screen)")
        try tmux.send("q")
        try await exitLine(tmux)
    }

    @Test func aPasteGoesWholeIntoTheApprovalsCommentAndIsNoKeysOutsideIt() async throws {
        try requireTools()
        let folder = scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (tmux, _) = try await consoleAtTheGate(in: folder)
        defer { tmux.kill() }
        // Outside a text field a paste does nothing: as keys, its `x` would ask to reject.
        try tmux.paste("xq\n")
        var screen = try await tmux.waitFor("pasted text goes into a text field", limit: Self.patience)
        #expect(!screen.contains("comment:"), "\(screen)")
        // In the approval's comment, a ticket copied over two lines is one line, and its line
        // breaks do not send the approval.
        try tmux.send("a")
        try await tmux.waitFor("comment:", limit: Self.patience)
        try tmux.paste("looks good\nINC-7\n")
        screen = try await tmux.waitFor("the paste in the comment", limit: Self.patience) { $0.contains("looks good INC-7") }
        #expect(screen.contains("Ship it?"), "the dialog is still open: \(screen)")
        try tmux.send("Enter")
        try await tmux.waitFor("SUCCEEDED", limit: Self.patience)
        try tmux.send("q")
        try await exitLine(tmux)
        let runs = try FileManager.default.contentsOfDirectory(atPath: folder + "/state/runs")
        let journal = try String(contentsOfFile: "\(folder)/state/runs/\(try #require(runs.first))/events.jsonl", encoding: .utf8)
        #expect(journal.contains("\"comment\":\"looks good INC-7\""), "\(journal)")
    }

    @Test func theSGREncodingWorksAndTheMouseCanBeLeftToTheTerminal() async throws {
        try requireTools()
        let folder = scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = try workflow(in: folder)

        // TERM=xterm-256color: curses asks for SGR reports, as most terminals send them.
        let sgr = TmuxSession()
        defer { sgr.kill() }
        try sgr.start("TERM=xterm-256color \(Self.binary) run \(file) --no-bell --state-dir \(folder)/state; echo EXIT=$?", width: 120, height: 36)
        let screen = try await sgr.waitFor("the gate", limit: Self.patience) { $0.contains("'ship' waits for approval") && $0.contains("Log: build") }
        #expect(try sgr.format("#{mouse_standard_flag}#{mouse_sgr_flag}") == "11")
        let ship = try cell(of: "ship ", in: screen, fromRow: try cell(of: "─ Steps ", in: screen).y + 2)
        try sgr.type(TmuxSession.sgrMouseReport(0, x: ship.x, y: ship.y) + TmuxSession.sgrMouseReport(0, x: ship.x, y: ship.y, release: true))
        try await sgr.waitFor("Log: ship", limit: Self.patience)
        try sgr.send("q")
        try await exitLine(sgr)

        // --no-mouse, and BATON_MOUSE=0, leave the mouse to the terminal.
        for (flag, environment) in [(" --no-mouse", [:]), ("", ["BATON_MOUSE": "0"])] {
            let plain = TmuxSession()
            defer { plain.kill() }
            try plain.start("\(Self.binary) resume \(folder)/state/runs/* --no-bell\(flag) --state-dir \(folder)/state; echo EXIT=$?",
                            width: 120, height: 36, environment: environment)
            try await plain.waitFor("the console", limit: Self.patience) { $0.contains("Graph") && $0.contains("Log: ") }
            #expect(try plain.format("#{mouse_any_flag}") == "0", "\(flag) \(environment)")
            try plain.send("q")
            try await exitLine(plain)
        }
    }

    @Test func topTakesClicksAndLeavesTheMouseOffForTheConsoleItOpens() async throws {
        try requireTools()
        let folder = scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let state = StateDirectory(path: folder + "/state")
        let workflow = "name: recorded\nsteps:\n  a:\n    run: \"true\"\n"
        let now = Date().timeIntervalSince1970
        for (id, name, age) in [("20260101-080000-aaaa", "older-run", 7200.0), ("20260101-090000-bbbb", "newer-run", 3600.0)] {
            try JournalBuilder(runID: id, workflow: name, startTime: now - age)
                .runStarted(steps: ["a"]).succeeded("a").finished(.succeeded)
                .write(to: state.runDirectory(id), workflowText: workflow)
        }
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("\(Self.binary) top --state-dir \(state.path); echo EXIT=$?", width: 120, height: 24)
        var screen = try await tmux.waitFor("the runs", limit: Self.patience) { $0.contains("older-run") && $0.contains("newer-run") }
        #expect(try tmux.format("#{mouse_standard_flag}") == "1")
        let output = folder + "/pane-output"
        try tmux.command("pipe-pane", "-o", "-t", tmux.name, "cat >> \(output)")

        // A double click on the older run (the second row) opens its replay.
        let older = try cell(of: "older-run", in: screen)
        let click = TmuxSession.normalMouseReport(0, x: older.x, y: older.y) + TmuxSession.normalMouseReport(3, x: older.x, y: older.y)
        try tmux.sendBytes(click + click)
        try await tmux.waitFor("the replay", limit: Self.patience) { $0.contains("REPLAY") && $0.contains("run 20260101-080000-aaaa") }
        // Top turned the mouse off before it gave the terminal to the replay.
        let mouseOffSequence = Data("\u{1B}[?1000l".utf8), childScreenSequence = Data("\u{1B}[?1049h".utf8)
        try await tmux.waitFor("the pane's output", limit: Self.patience) { _ in
            FileManager.default.contents(atPath: output).map { $0.range(of: mouseOffSequence) != nil && $0.range(of: childScreenSequence) != nil } ?? false
        }
        let written = try #require(FileManager.default.contents(atPath: output))
        let mouseOff = try #require(written.range(of: mouseOffSequence), "top never turned the mouse off")
        let childScreen = try #require(written.range(of: childScreenSequence), "the replay never took the screen")
        #expect(mouseOff.lowerBound < childScreen.lowerBound)

        // Back in top, the mouse is on again, and a click on a hint is its key.
        try tmux.send("q")
        screen = try await tmux.waitFor("top again", limit: Self.patience) { $0.contains("back from baton replay 20260101-080000-aaaa") }
        #expect(try tmux.format("#{mouse_standard_flag}") == "1")
        let help = try cell(of: "? help", in: screen)
        try tmux.click(x: help.x, y: help.y)
        try await tmux.waitFor("baton top — keys", limit: Self.patience)
        try tmux.send("Escape")
        try tmux.send("q")
        #expect(try await exitLine(tmux) == "EXIT=0")

        // top --no-mouse tells the console it opens to leave the mouse alone too.
        let plain = TmuxSession()
        defer { plain.kill() }
        try plain.start("\(Self.binary) top --no-mouse --state-dir \(state.path); echo EXIT=$?", width: 120, height: 24)
        try await plain.waitFor("newer-run", limit: Self.patience)
        #expect(try plain.format("#{mouse_any_flag}") == "0")
        try plain.send("Enter")
        try await plain.waitFor("the replay", limit: Self.patience) { $0.contains("REPLAY") }
        #expect(try plain.format("#{mouse_any_flag}") == "0")
        try plain.send("q")
        try await plain.waitFor("back from baton replay", limit: Self.patience)
        try plain.send("q")
        #expect(try await exitLine(plain) == "EXIT=0")
    }
}
