import BatonEngine
import BatonTestSupport
import BatonTerminal
import Foundation
import Testing
@testable import BatonConsole

/// Hostile step output drawn by the whole console into a `TestBackend`: it shows escaped,
/// nothing a terminal would act on reaches a cell, and the layout does not move.
@Suite struct HostileOutputRenderTests {
    typealias S = ConsoleTestSupport

    /// One line of each hostile kind, with what the log pane must show for it.
    static let kinds: [(name: String, line: OutputLine, shown: String)] = [
        ("CSI colour", text("csi \u{1B}[31mred\u{1B}[0m"), #"csi \e[31mred\e[0m"#),
        ("CSI cursor movement", text("move \u{1B}[2J\u{1B}[H\u{1B}[5;10Hx"), #"move \e[2J\e[H\e[5;10Hx"#),
        ("OSC 0 window title", text("title \u{1B}]0;pwned\u{07}"), #"title \e]0;pwned\a"#),
        ("OSC 52 clipboard", text("clip \u{1B}]52;c;cHduZWQ=\u{07}"), #"clip \e]52;c;cHduZWQ=\a"#),
        ("DCS", text("dcs \u{1B}P1$r0m\u{1B}\\"), #"dcs \eP1$r0m\e\"#),
        ("alternate screen", text("alt \u{1B}[?1049h\u{1B}[?1049l"), #"alt \e[?1049h\e[?1049l"#),
        ("C1 CSI U+009B", text("c1 \u{9B}31m"), #"c1 \u{9B}31m"#),
        ("raw 8-bit CSI byte", bytes(Array("raw9b ".utf8) + [0x9B] + Array("31m".utf8)), #"raw9b \x9B31m"#),
        ("NUL", text("nul a\u{0}b"), #"nul a\0b"#),
        ("BEL, backspace, CR", text("bel \u{07} bs \u{08} cr \r end"), #"bel \a bs \b cr \r end"#),
        ("invalid UTF-8", bytes(Array("bad ".utf8) + [0xFF, 0xFE, 0x20, 0xC3, 0x28]), #"bad \xFF\xFE \xC3("#),
        ("bidi override", text("bidi \u{202E}txt\u{202C}"), #"bidi \u{202E}txt\u{202C}"#),
        ("tab and wide text", text("tab\t日本語"), "tab     日本語"),
    ]

    static func text(_ text: String) -> OutputLine { OutputLine(stepID: "build", stream: .stdout, text: text) }

    static func bytes(_ raw: [UInt8]) -> OutputLine {
        OutputLine(stepID: "build", stream: .stdout, text: String(decoding: raw, as: UTF8.self), raw: raw)
    }

    /// The console with `lines` streamed into the selected step's log, drawn into a backend.
    func draw(_ lines: [OutputLine], width: Int = 140, height: Int = 40, configure: (inout AppState) -> Void = { _ in }) -> (TestBackend, AppState) {
        var state = S.state(width: width, height: height, [S.step("build", .running, attempt: 1)])
        state.focus = .logs
        configure(&state)
        for line in lines { _ = S.update(&state, .engine(.output(OutputChunk(line: line)))) }
        let backend = TestBackend(width: width, height: height)
        backend.draw(S.screen(state))
        return (backend, state)
    }

    /// Whether a cell holds anything that must not reach a terminal.
    static func isUnsafe(_ cell: Cell) -> Bool {
        cell.symbol.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x00..<0x20, 0x7F..<0xA0, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
            default: return false
            }
        }
    }

    @Test func everyKindShowsEscapedInTheLogPane() {
        let (backend, _) = draw(Self.kinds.map(\.line))
        for y in 0..<backend.height {
            for x in 0..<backend.width {
                #expect(!Self.isUnsafe(backend.screen[x, y]), "cell (\(x), \(y)) holds \(backend.screen[x, y].symbol.debugDescription)")
            }
        }
        var shownSafely = 0
        for kind in Self.kinds {
            let found = backend.lines.contains { $0.contains(kind.shown) }
            #expect(found, "\(kind.name) is not shown as \(kind.shown):\n\(backend.text)")
            if found { shownSafely += 1 }
        }
        #expect(shownSafely == Self.kinds.count)
    }

    @Test func hostileOutputLeavesTheLayoutAsItWas() {
        let (hostile, state) = draw(Self.kinds.map(\.line))
        let (plain, _) = draw(Self.kinds.indices.map { Self.text("plain line \($0)") })
        let logs = ConsoleLayout(state).logs
        let inside = logs.inset(by: 1)
        // Everything outside the log pane's inside is the same cell for cell: the frame, the
        // title, the other panes, the header, the status and the footer.
        for y in 0..<hostile.height {
            for x in 0..<hostile.width where !inside.contains(x: x, y: y) {
                #expect(hostile.screen[x, y] == plain.screen[x, y], "cell (\(x), \(y)) changed: \(hostile.screen[x, y].symbol) for \(plain.screen[x, y].symbol)")
            }
        }
        // And the frame is where the layout puts it.
        #expect(hostile.screen[logs.x, logs.y].symbol == "┌")
        #expect(hostile.screen[logs.maxX - 1, logs.maxY - 1].symbol == "┘")
        for y in (logs.y + 1)..<(logs.maxY - 1) {
            #expect(hostile.screen[logs.x, y].symbol == "│" && hostile.screen[logs.maxX - 1, y].symbol == "│", "row \(y) lost its border")
        }
    }

    @Test func searchMatchesWhatTheLogPaneShows() throws {
        let (backend, state) = draw(Self.kinds.map(\.line)) { state in
            state.panes.log.query = #"\e]52;"#
        }
        // Matched while streaming in, and again from scratch.
        #expect(state.panes.log.matches == [3])
        var again = state
        ConsoleUpdate.recomputeMatches(&again)
        #expect(again.panes.log.matches == [3])
        var bytes = state
        bytes.panes.log.query = #"\xFF\xFE"#
        ConsoleUpdate.recomputeMatches(&bytes)
        #expect(bytes.panes.log.matches == [10])
        // The highlight lands on the visible escape.
        // (The pane's title quotes the query too: look for the line itself.)
        let row = try #require(backend.lines.firstIndex { $0.contains(#"clip \e]52;"#) })
        let line = backend.lines[row]
        let column = line.distance(from: line.startIndex, to: try #require(line.range(of: #"\e]52;"#)).lowerBound)
        #expect(backend.screen[column, row].style == Theme.builtInDark.style(.searchCurrent))
    }

    @Test func anEnormousLineIsCutAndDrawsQuickly() throws {
        let huge = Self.text("start " + String(repeating: "\u{1B}[7mx", count: (1 << 20) / 5) + " end")
        // Guards against runaway work, in processor time (a busy machine stretches wall time):
        // linear work on 1 MiB takes milliseconds.
        var state = S.state(width: 140, height: 40, [S.step("build", .running, attempt: 1)])
        state.panes.log.wrap = true
        let ingest = ThreadCPUTime.measure { _ = S.update(&state, .engine(.output(OutputChunk(line: huge)))) }
        let shown = try #require(state.logs["build"]?.lines.last?.text)
        #expect(shown.hasPrefix(#"start \e[7mx\e[7mx"#))
        #expect(shown.utf8.count < VisibleText.displayLimit + 40)
        #expect(shown.hasSuffix(" more bytes)"))
        // Wrapped, the pane shows the end of the line in follow mode: the marker is visible.
        let backend = TestBackend(width: 140, height: 40)
        let frame = ThreadCPUTime.measure { backend.draw(S.screen(state)) }
        #expect(backend.lines.contains { $0.contains("more bytes)") }, "\(backend.text)")
        #expect(ingest < .seconds(2), "taking in a 1 MiB line took \(ingest)")
        #expect(frame < .seconds(2), "a frame with a 1 MiB line took \(frame)")
        print("a 1 MiB line: taken in in \(ingest), a wrapped frame drawn in \(frame)")
        // A screenful of them, not wrapped: each row is cut to the pane's width.
        state.panes.log.wrap = false
        for _ in 0..<40 { _ = S.update(&state, .engine(.output(OutputChunk(line: huge)))) }
        let full = ThreadCPUTime.measure { backend.draw(S.screen(state)) }
        #expect(full < .seconds(2), "a frame full of 1 MiB lines took \(full)")
        print("a frame full of 1 MiB lines drawn in \(full)")
    }

    @Test func outputsAndReasonsInTheDetailsPaneAreEscaped() throws {
        var finished = S.step("build", .failed, exitCode: 1, reason: "exited with code 0, but its output file line 2 is not key=value: '\u{1B}]0;x\u{07}'")
        finished.outputs = ["title": "\u{1B}]0;pwned\u{07}", "multi": "one\ntwo\rthree", "bidi": "\u{202E}gnp.exe"]
        let state = S.state(width: 140, height: 40, [S.step("build", .running, attempt: 1), finished])
        let buffer = S.screen(state)
        let details = ConsoleLayout(state).details
        let text = buffer.lines.map { line in
            String(line.dropFirst(details.x).prefix(details.width))
        }.joined(separator: "\n")
        #expect(text.contains(#"title=\e]0;pwned\a"#), "\(text)")
        // A value of several lines shows each on its own row; any other control stays escaped.
        let rows = text.split(separator: "\n")
        let multi = try #require(rows.firstIndex { $0.contains("│         multi=one ") }, "\(text)")
        #expect(rows[multi + 1].contains(#"│           two\rthree "#), "\(text)")
        #expect(text.contains(#"bidi=\u{202E}gnp.exe"#), "\(text)")
        #expect(text.contains(#"'\e]0;x\a'"#), "\(text)")
        for y in 0..<buffer.height {
            for x in 0..<buffer.width { #expect(!Self.isUnsafe(buffer[x, y])) }
        }
    }
}
