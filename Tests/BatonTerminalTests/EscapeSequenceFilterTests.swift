import Testing
@testable import BatonTerminal

/// Sequences curses hands over undecoded are dropped whole; Esc and Alt chords are kept.
@Suite struct EscapeSequenceFilterTests {
    /// The keys curses returns for `text`, one per byte, as it does for a sequence it does not know.
    static func keys(_ text: String) -> [Key] {
        text.unicodeScalars.compactMap { Key(code: $0.value) }
    }

    @Test(arguments: [
        "\u{1B}[200;3~",       // a function key past the terminfo entry's
        "\u{1B}[13;5u",        // Ctrl-Enter in the kitty keyboard protocol
        "\u{1B}[27;5;13~",     // the same under xterm's modifyOtherKeys
        "\u{1B}[<0;3;16M",     // an SGR mouse report curses did not ask for
        "\u{1B}[?1;2c",        // a device attributes reply
        "\u{1B}OP",            // F1 as SS3
    ])
    func anUnknownSequenceIsDroppedWhole(sequence: String) {
        var filter = EscapeSequenceFilter()
        #expect(filter.filter(Self.keys(sequence)).isEmpty)
        // What comes after it is kept, and the filter is back to plain keys.
        #expect(filter.filter(Self.keys(sequence + "j")) == [.character("j")])
        #expect(filter.filter(Self.keys("1")) == [.character("1")])
    }

    @Test func aSequenceSplitAcrossTwoReadsIsStillDroppedWhole() {
        var filter = EscapeSequenceFilter()
        #expect(filter.filter(Self.keys("k\u{1B}[20")) == [.character("k")])
        #expect(filter.filter(Self.keys("0;3~j")) == [.character("j")])
        #expect(filter.filter(Self.keys("\u{1B}")) == [.escape], "an Esc alone at a batch's end is Esc")
        #expect(filter.filter(Self.keys("[")) == [.character("[")], "and what comes later is a key of its own")
    }

    @Test func escAndAltChordsAreKept() {
        var filter = EscapeSequenceFilter()
        #expect(filter.filter([.escape]) == [.escape])
        #expect(filter.filter([.escape, .escape]) == [.escape, .escape])
        #expect(filter.filter(Self.keys("\u{1B}x")) == [.escape, .character("x")])
        #expect(filter.filter([.escape, .up]) == [.escape, .up])
        #expect(filter.filter(Self.keys("a[b]O")) == Self.keys("a[b]O"), "[ and O without an Esc are keys")
    }

    @Test func aKeyCursesDecodedEndsACutSequenceAndIsKept() {
        var filter = EscapeSequenceFilter()
        #expect(filter.filter(Self.keys("\u{1B}[1;") + [.down, .character("q")]) == [.down, .character("q")])
        #expect(filter.filter(Self.keys("\u{1B}O") + [.pageDown]) == [.pageDown])
        #expect(filter.filter(Self.keys("\u{1B}[1\u{7}x")) == [.control("g"), .character("x")], "a control byte is no part of a sequence")
    }
}
