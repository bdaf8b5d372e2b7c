import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// `Z` zooms the focused pane to the whole screen and back; ←/→ scroll the steps table and a
/// log that does not wrap sideways; `v` asks for the pager, whose text escapes what a step wrote.
@Suite struct ZoomAndSidewaysTests {
    typealias S = ConsoleTestSupport

    @Test func zTheFocusedPaneFillsTheScreenAndTabMovesTheZoom() {
        var state = S.state(width: 100, height: 30)
        state.focus = .steps
        _ = S.update(&state, .key(.character("Z")))
        #expect(state.zoomed)
        let layout = ConsoleLayout(state)
        #expect(layout.steps == Rect(x: 0, y: 2, width: 100, height: 26))
        #expect(layout.graph.area == 0 && layout.logs.area == 0 && layout.details.area == 0)
        let screen = S.screen(state).lines
        #expect(screen[2].hasPrefix("┌─ Steps") && screen[27].hasPrefix("└"), "\(screen)")
        #expect(!screen.joined().contains("Graph"))
        _ = S.update(&state, .key(.tab))
        #expect(ConsoleLayout(state).logs.width == 100, "the zoom follows the focus")
        _ = S.update(&state, .key(.character("Z")))
        #expect(!state.zoomed && ConsoleLayout(state).graph.area > 0)
        // Every size down to the smallest draws without a crash, zoomed on each pane.
        for pane in Pane.allCases {
            for (width, height) in [(60, 16), (61, 17), (200, 60)] {
                var small = S.state(width: width, height: height)
                small.focus = pane
                small.zoomed = true
                #expect(S.screen(small).lines.count == height)
            }
        }
    }

    @Test func arrowsScrollTheTableAndAnUnwrappedLogSideways() {
        var state = S.state(width: 100, height: 30, [S.step("build", .running, attempt: 1)])
        state.focus = .steps
        let before = S.screen(state).lines
        _ = S.update(&state, .key(.right))
        #expect(state.panes.steps.column == 8)
        let after = S.screen(state).lines
        let row = try! #require(before.firstIndex { $0.contains("│build ") })
        #expect(after[row].contains("│ld ") || after[row].contains("│  ") , "the table moved 8 columns: \(after[row])")
        #expect(after.contains { $0.contains("Steps — → column 9") })
        _ = S.update(&state, .key(.left), .key(.left))
        #expect(state.panes.steps.column == 0)

        state.focus = .logs
        let chunk = OutputChunk(stepID: "build", stream: .stdout, bytes: Array(("0123456789" + String(repeating: "abcdefghij", count: 30) + "\n").utf8))
        _ = S.update(&state, .engine(.output(chunk)))
        _ = S.update(&state, .key(.right), .key(.right))
        #expect(state.panes.log.scroll.column == 16)
        let log = S.screen(state).lines.joined(separator: "\n")
        #expect(log.contains("…ghijabcdef"), "the line from its 17th column, marked as cut: \(log)")
        #expect(log.contains("→ column 17"))
        _ = S.update(&state, .key(.character("w")))
        _ = S.update(&state, .key(.right))
        #expect(state.panes.log.scroll.column == 16, "wrapped, the arrows do not scroll sideways")
    }

    @Test func thePagersTextMarksTheStreamsAndKeepsOnlyColourEscapes() {
        let lines = [
            OutputLine(stepID: "a", stream: .baton, text: "attempt 1 of 1"),
            OutputLine(stepID: "a", stream: .stdout, text: "\u{1B}[1;32mok\u{1B}[0m and \u{1B}]0;title\u{07}"),
            OutputLine(stepID: "a", stream: .stderr, text: "bad \u{1B}[2J"),
        ]
        let text = LogPager.text(of: lines)
        #expect(text == "» attempt 1 of 1\n  \u{1B}[1;32mok\u{1B}[0m and \\e]0;title\\a\n! bad \\e[2J\n", "\(text.debugDescription)")
        var state = S.state()
        #expect(S.update(&state, .key(.character("v"))) == [.page(stepID: "build")])
    }
}
