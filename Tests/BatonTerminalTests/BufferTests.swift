import Testing
@testable import BatonTerminal

@Suite struct BufferTests {
    @Test func writesAreClippedToTheBuffer() {
        var buffer = Buffer(width: 5, height: 2)
        let end = buffer.write("hello world", x: 2, y: 0)
        #expect(buffer.lines == ["  hel", ""])
        #expect(end == 5)
        buffer.write("zz", x: -1, y: 1)
        #expect(buffer.lines[1] == "z")
        buffer.write("out of range", x: 0, y: 7)
        #expect(buffer.lines == ["  hel", "z"])
    }

    @Test func wideCharactersTakeTwoCellsAndAreNeverSplit() {
        var buffer = Buffer(width: 5, height: 1)
        buffer.write("a日本", x: 0, y: 0)
        #expect(buffer.rowText(0) == "a日本")
        #expect(buffer[2, 0].isContinuation)
        // Overwriting the second half of a wide character blanks its first half.
        buffer.write("x", x: 2, y: 0)
        #expect(buffer.rowText(0) == "a x本")
        // A wide character that does not fit at the edge becomes a space.
        var edge = Buffer(width: 3, height: 1)
        edge.write("ab日", x: 0, y: 0)
        #expect(edge.rowText(0) == "ab ")
    }

    @Test func controlCharactersAreShownNotSent() {
        var buffer = Buffer(width: 12, height: 1)
        buffer.write("a\u{1B}[2Jb\u{7}c", x: 0, y: 0)
        #expect(buffer.rowText(0) == "a?[2Jb?c    ")
    }

    @Test func bidiControlsNeverReachACell() {
        // Zero-width, they would otherwise ride along in the previous cell's symbol.
        var buffer = Buffer(width: 12, height: 1)
        buffer.write("ab\u{202E}cd\u{2066}e\u{200F}", x: 0, y: 0)
        #expect(buffer.rowText(0) == "ab?cd?e?    ")
    }

    @Test func combiningMarksJoinThePreviousCell() {
        var buffer = Buffer(width: 4, height: 1)
        buffer.write("e\u{301}x", x: 0, y: 0)
        #expect(buffer[0, 0].symbol == "e\u{301}")
        #expect(buffer[1, 0].symbol == "x")
        #expect(TextWidth.of("e\u{301}x") == 2)
    }

    @Test func asciiTextIsAsWideAsItsGraphemesSay() {
        let samples = ["", "deploy-web", "a\tb", "line\r\nnext", "bell\u{7}", "del\u{7F}x", "  spaced  ", "~!@#$%^&*()_+{}|:<>?"]
        for text in samples {
            let graphemes = text.reduce(0) { $0 + TextWidth.of($1) }
            #expect(TextWidth.of(text) == graphemes, "\(text.debugDescription)")
        }
        #expect(TextWidth.of("deploy-web") == 10)
        #expect(TextWidth.of("line\r\nnext") == 8)
        #expect(TextWidth.of("ab日本") == 6)
    }

    @Test func changesListOnlyWhatDiffers() {
        var before = Buffer(width: 3, height: 2)
        before.write("abc", x: 0, y: 0)
        var after = before
        after.write("Z", x: 1, y: 1)
        let changes = after.changes(since: before)
        #expect(changes.count == 1)
        #expect(changes.first?.x == 1 && changes.first?.y == 1 && changes.first?.cell.symbol == "Z")
        #expect(after.changes(since: nil).count == 6)
    }

    @Test func truncateAndPadMeasureColumns() {
        #expect(TextWidth.truncate("deployment", to: 6) == "deplo…")
        #expect(TextWidth.truncate("日本語", to: 4) == "日…")
        #expect(TextWidth.pad("日本", to: 6) == "日本  ")
        #expect(TextWidth.pad("abcdef", to: 3) == "abc")
    }
}

@Suite struct BufferASCIITests {
    @Test func nonASCIISymbolsGetStandIns() {
        var buffer = Buffer(width: 8, height: 1)
        buffer.write("a—b…日", x: 0, y: 0)
        #expect(buffer.asciiOnly().rowText(0) == "a-b~??  ")
    }
}
