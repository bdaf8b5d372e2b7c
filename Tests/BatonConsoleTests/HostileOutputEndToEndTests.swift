import BatonEngine
import Foundation
import Testing
@testable import BatonConsole

/// A real step prints every kind of hostile output; the real `baton` shows it in tmux and
/// headless, and neither the terminal nor the layout is touched.
@Suite(.serialized, .timeLimit(.minutes(3))) struct HostileOutputEndToEndTests {
    /// What the step prints (octal escapes for `printf`), and what must be seen for it.
    static let kinds: [(name: String, printf: String, shown: String)] = [
        ("CSI colour", #"csi \033[31mred\033[0m"#, #"csi \e[31mred\e[0m"#),
        ("CSI cursor movement and clear", #"move \033[2J\033[H\033[5;10Hx"#, #"move \e[2J\e[H\e[5;10Hx"#),
        ("OSC 0 window title", #"title \033]0;pwned-title\007"#, #"title \e]0;pwned-title\a"#),
        ("OSC 2 title, ST-terminated", #"title2 \033]2;pwned-title2\033\\"#, #"title2 \e]2;pwned-title2\e\"#),
        ("OSC 52 clipboard", #"clip \033]52;c;cHduZWQ=\007"#, #"clip \e]52;c;cHduZWQ=\a"#),
        ("DCS", #"dcs \033P1$r0m\033\\"#, #"dcs \eP1$r0m\e\"#),
        ("alternate screen off", #"alt \033[?1049h\033[?1049l"#, #"alt \e[?1049h\e[?1049l"#),
        ("C1 CSI U+009B", #"c1 \302\23331m"#, #"c1 \u{9B}31m"#),
        ("raw 8-bit CSI byte", #"raw9b \23331m"#, #"raw9b \x9B31m"#),
        ("NUL", #"nul a\000b"#, #"nul a\0b"#),
        ("BEL, backspace, CR", #"bel \007 bs \010 cr \r end"#, #"bel \a bs \b cr \r end"#),
        ("invalid UTF-8", #"bad \377\376 \303("#, #"bad \xFF\xFE \xC3("#),
        ("bidi override", #"bidi \342\200\256txt\342\200\254"#, #"bidi \u{202E}txt\u{202C}"#),
        ("DEL and other C0", #"del \177 ctl \001"#, #"del \x7F ctl \x01"#),
    ]

    /// Outputs the step writes to `$BATON_OUTPUT`, and what the details pane must show.
    static let outputs: [(name: String, printf: String, shown: String)] = [
        ("output with a title", #"title=\033]0;out-pwned\007"#, #"title=\e]0;out-pwned\a"#),
        ("output with a clipboard", #"clip=\033]52;c;eA==\007"#, #"clip=\e]52;c;eA=="#),
    ]

    private func scratch() -> String {
        let path = NSTemporaryDirectory() + "baton-hostile-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes the hostile script and a workflow running it after a calm step; returns the
    /// workflow's path. `delay` seconds pass before the step prints.
    private func writeWorkflow(in directory: String, delay: Int) throws -> String {
        var script = "sleep \(delay)\n"
        for kind in Self.kinds { script += "printf '\(kind.printf)\\n'\n" }
        for output in Self.outputs { script += "printf '\(output.printf)\\n' >> \"$BATON_OUTPUT\"\n" }
        script += "printf 'hostile done\\n'\n"
        try script.write(toFile: directory + "/hostile.sh", atomically: true, encoding: .utf8)
        let workflow = """
            name: hostile-output
            steps:
              calm:
                run: echo all quiet
              hostile:
                needs: [calm]
                run: sh '\(directory)/hostile.sh'

            """
        let path = directory + "/hostile.yaml"
        try workflow.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theConsoleShowsEveryKindEscapedAndKeepsTheTerminal() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary))
        let directory = scratch()
        let file = try writeWorkflow(in: directory, delay: 1)
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("\(ConsoleEndToEndTests.binary) run \(file) --no-bell --state-dir \(directory)/state")
        // Let applications set tmux's clipboard, so a leaked OSC 52 would leave a buffer.
        try tmux.command("set-option", "-s", "set-clipboard", "on")
        let title = try tmux.format("#{pane_title}")
        try await tmux.waitFor("Graph")
        #expect(try tmux.format("#{alternate_on}") == "1", "curses is on the alternate screen")

        // The run finishes; select the hostile step in the steps table.
        try await tmux.waitFor("SUCCEEDED", limit: .seconds(30))
        try tmux.send("Tab")
        try tmux.send("g")
        try tmux.send("j")
        let screen = try await tmux.waitFor("the hostile step's log") { screen in
            screen.contains("Log: hostile") && screen.contains("hostile done")
        }
        // Its outputs are at the end of the details pane: focus it and scroll down.
        try tmux.send("Enter")
        try tmux.send("PageDown")
        let details = try await tmux.waitFor("outputs:")

        // Nothing reached the terminal: its title, clipboard and screen mode are Baton's.
        let after = try tmux.format("#{pane_title}")
        #expect(after == title, "the window title changed from \(title) to \(after)")
        #expect(!after.contains("pwned"))
        #expect(try tmux.format("#{alternate_on}") == "1", "the step switched the alternate screen off")
        #expect(try tmux.command("list-buffers").isEmpty, "the step set the clipboard")

        // Every kind is shown, visibly escaped.
        var shownSafely = 0
        for kind in Self.kinds + Self.outputs {
            let found = (Self.kinds.contains { $0.name == kind.name } ? screen : details).contains(kind.shown)
            #expect(found, "\(kind.name) is not shown as \(kind.shown):\n\(screen)\n\(details)")
            if found { shownSafely += 1 }
        }
        print("hostile kinds shown safely in tmux: \(shownSafely) of \(Self.kinds.count + Self.outputs.count)")
        #expect(shownSafely == Self.kinds.count + Self.outputs.count)

        // The layout is where ConsoleLayout puts it for this workflow and size.
        let workflow = try WorkflowLoader.load(contentsOf: file)
        var state = AppState(workflow: workflow, user: "tester", width: 120, height: 40, now: 0)
        state.graphNaturalSize = ConsoleContext(workflow: workflow).graph.size
        let layout = ConsoleLayout(state)
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map { Array(String($0)) }
        #expect(rows.count >= 40)
        #expect(rows.prefix(40).allSatisfy { $0.count <= 120 }, "a row is wider than the terminal:\n\(screen)")
        #expect(String(rows[0]).contains("Baton  hostile-output"), "the header is still on the first row")
        func cell(_ x: Int, _ y: Int) -> Character? { rows.indices.contains(y) && rows[y].indices.contains(x) ? rows[y][x] : nil }
        for rect in [layout.logs, layout.steps, layout.details] {
            #expect(cell(rect.x, rect.y) == "┌" && cell(rect.maxX - 1, rect.y) == "┐", "the top of \(rect) moved:\n\(screen)")
            #expect(cell(rect.x, rect.maxY - 1) == "└" && cell(rect.maxX - 1, rect.maxY - 1) == "┘", "the bottom of \(rect) moved:\n\(screen)")
            for y in (rect.y + 1)..<(rect.maxY - 1) {
                #expect(cell(rect.x, y) == "│" && cell(rect.maxX - 1, y) == "│", "row \(y) of \(rect) lost its border:\n\(screen)")
            }
        }

        // Quit; the log on disk kept the raw bytes.
        try tmux.send("q")
        try await tmux.waitFor("the program to exit") { _ in (try? tmux.isDead()) == true }
        #expect(try tmux.format("#{pane_title}") == title)
        let runs = try FileManager.default.contentsOfDirectory(atPath: directory + "/state/runs")
        let log = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/state/runs/\(runs[0])/logs/hostile.log"))
        #expect(log.range(of: Data("title \u{1B}]0;pwned-title\u{07}\n".utf8)) != nil)
        #expect(log.range(of: Data("bad ".utf8) + Data([0xFF, 0xFE, 0x20, 0xC3, 0x28, 0x0A])) != nil)
    }

    @Test func headlessOutputIsEscapedAndJSONLinesStayExact() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        let directory = scratch()
        let file = try writeWorkflow(in: directory, delay: 0)

        let plain = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["run", file, "--headless", "--logs", "--state-dir", directory + "/plain"], within: .seconds(60))
        #expect(plain.status == 0, "\(plain.output)")
        #expect(!plain.output.isEmpty, "the output is valid UTF-8")
        #expect(!plain.output.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F..<0xA0).contains($0.value) || (0x202A...0x202E).contains($0.value) },
                "a control character reached the terminal:\n\(plain.output.debugDescription)")
        for kind in Self.kinds {
            #expect(plain.output.contains(kind.shown), "\(kind.name) is not shown as \(kind.shown):\n\(plain.output)")
        }

        // With --events jsonl, stdout is journal events: JSON-escaped, and decoded exactly.
        let jsonl = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["run", file, "--headless", "--events", "jsonl", "--state-dir", directory + "/jsonl"], within: .seconds(60))
        #expect(jsonl.status == 0, "\(jsonl.output)")
        let events = jsonl.output.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(!events.isEmpty)
        #expect(!jsonl.output.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "JSON lines escape control characters")
        let outputs = events.compactMap { line -> [String: String]? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return object["outputs"] as? [String: String]
        }
        #expect(outputs.contains { $0["title"] == "\u{1B}]0;out-pwned\u{07}" && $0["clip"] == "\u{1B}]52;c;eA==\u{07}" }, "\(events)")
    }
}
