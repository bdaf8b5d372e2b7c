import Testing
@testable import BatonTerminal

/// Sequences curses hands over undecoded are dropped whole; Esc and Alt chords are kept; a
/// bracketed paste is one event.
@Suite struct EscapeSequenceFilterTests {
    /// The keys curses returns for `text`, one per byte, as it does for a sequence it does not know.
    static func keys(_ text: String) -> [Key] {
        text.unicodeScalars.compactMap { Key(code: $0.value) }
    }

    /// The events of keys passed through.
    static func events(_ keys: [Key]) -> [InputEvent] {
        keys.map(InputEvent.key)
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
        #expect(filter.filter(Self.keys(sequence + "j")) == [.key(.character("j"))])
        #expect(filter.filter(Self.keys("1")) == [.key(.character("1"))])
    }

    @Test func aSequenceSplitAcrossTwoReadsIsStillDroppedWhole() {
        var filter = EscapeSequenceFilter()
        #expect(filter.filter(Self.keys("k\u{1B}[20")) == [.key(.character("k"))])
        #expect(filter.filter(Self.keys("0;3~j")) == [.key(.character("j"))])
        #expect(filter.filter(Self.keys("\u{1B}")) == [.key(.escape)], "an Esc alone at a batch's end is Esc")
        #expect(filter.filter(Self.keys("[")) == [.key(.character("["))], "and what comes later is a key of its own")
    }

    @Test func escAndAltChordsAreKept() {
        var filter = EscapeSequenceFilter()
        #expect(filter.filter([.escape]) == [.key(.escape)])
        #expect(filter.filter([.escape, .escape]) == Self.events([.escape, .escape]))
        #expect(filter.filter(Self.keys("\u{1B}x")) == Self.events([.escape, .character("x")]))
        #expect(filter.filter([.escape, .up]) == Self.events([.escape, .up]))
        #expect(filter.filter(Self.keys("a[b]O")) == Self.events(Self.keys("a[b]O")), "[ and O without an Esc are keys")
    }

    @Test func aKeyCursesDecodedEndsACutSequenceAndIsKept() {
        var filter = EscapeSequenceFilter()
        #expect(filter.filter(Self.keys("\u{1B}[1;") + [.down, .character("q")]) == Self.events([.down, .character("q")]))
        #expect(filter.filter(Self.keys("\u{1B}O") + [.pageDown]) == Self.events([.pageDown]))
        #expect(filter.filter(Self.keys("\u{1B}[1\u{7}x")) == Self.events([.control("g"), .character("x")]), "a control byte is no part of a sequence")
    }

    @Test func aBracketedPasteIsOneEventAndNoneOfItIsKeys() {
        var filter = EscapeSequenceFilter()
        #expect(filter.filter(Self.keys("j\u{1B}[200~INC-42: the canary\rfailed\tq\u{1B}[201~k"))
            == [.key(.character("j")), .paste("INC-42: the canary\nfailed\tq"), .key(.character("k"))])
        // Split anywhere across reads, the closing bracket included, it is still one paste
        // (an Esc alone at a batch's end is the Esc key: curses waited for more after it).
        let whole = Self.keys("\u{1B}[200~a \u{1B}[201 b\u{1B}[201~")
        for cut in 2..<whole.count {
            var split = EscapeSequenceFilter()
            let events = split.filter(Array(whole[..<cut])) + split.filter(Array(whole[cut...]))
            #expect(events == [.paste("a \u{1B}[201 b")], "cut at \(cut)")
        }
        // An empty paste, and one past the limit, which keeps its first characters.
        #expect(filter.filter(Self.keys("\u{1B}[200~\u{1B}[201~")) == [.paste("")])
        let long = String(repeating: "x", count: EscapeSequenceFilter.pasteLimit + 10)
        #expect(filter.filter(Self.keys("\u{1B}[200~" + long + "\u{1B}[201~q"))
            == [.paste(String(repeating: "x", count: EscapeSequenceFilter.pasteLimit)), .key(.character("q"))])
    }
}
