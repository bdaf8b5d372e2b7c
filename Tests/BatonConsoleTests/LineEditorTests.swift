import BatonTerminal
import Testing
@testable import BatonConsole

/// The console's text fields edit as a shell's line does: the cursor moves by character, the
/// Ctrl keys delete to either end or a word back, and no edit splits a character.
@Suite struct LineEditorTests {
    /// A line after typing `text` and pressing `keys`.
    private func edited(_ text: String, _ keys: [Key] = [], limit: Int = .max) -> LineEditor {
        var line = LineEditor(limit: limit)
        for character in text { line.apply(.character(character)) }
        for key in keys { line.apply(key) }
        return line
    }

    private func type(_ text: String) -> [Key] { text.map { .character($0) } }

    /// The keys a terminal sends for `text`: one per Unicode scalar, a combining mark or the
    /// second half of a flag on its own.
    private func typeScalars(_ text: String) -> [Key] { text.unicodeScalars.map { .character(Character($0)) } }

    // MARK: - Moving

    @Test func typedCharactersGoInAtTheCursor() {
        let line = edited("hllo", [.left, .left, .left] + type("e"))
        #expect(line.text == "hello")
        #expect(line.cursor == 2)
    }

    @Test func insertedTextGoesInAtTheCursorWithoutControlsAndUpToTheLimit() {
        var editor = LineEditor("ab", limit: 8)
        editor.apply(.left)
        editor.insert(contentsOf: "x\u{7}yz")
        #expect(editor.text == "axyzb" && editor.cursor == 4)
        editor.insert(contentsOf: "123456")
        #expect(editor.text == "axyz123b" && editor.cursor == 7, "cut at the limit")
        editor.insert(contentsOf: "more")
        #expect(editor.text == "axyz123b")
        var accents = LineEditor("e", limit: 2)
        accents.insert(contentsOf: "\u{301}\u{301}f")
        #expect(accents.text == "e\u{301}\u{301}f", "combining marks join the character before them")
    }

    @Test func leftAndRightStopAtTheEnds() {
        var line = edited("ab", [.left, .left, .left])
        #expect(line.cursor == 0)
        let taken = line.apply(.left)
        #expect(taken, "← at the start is still the field's key")
        #expect(line.cursor == 0)
        line.apply(.right)
        line.apply(.control("f"))
        line.apply(.right)
        #expect(line.cursor == 2)
        line.apply(.control("b"))
        #expect(line.cursor == 1)
    }

    @Test func homeEndAndTheirControlKeysGoToTheEnds() {
        for (start, end) in [(Key.home, Key.end), (.control("a"), .control("e"))] {
            var line = edited("deploy now", [start])
            #expect(line.cursor == 0, "\(start)")
            line.apply(.character(">"))
            #expect(line.text == ">deploy now")
            line.apply(end)
            #expect(line.cursor == 11, "\(end)")
        }
    }

    // MARK: - Deleting

    @Test func backspaceDeletesBeforeTheCursorAndDeleteUnderIt() {
        var line = edited("abcd", [.left, .left])
        line.apply(.backspace)
        #expect((line.text, line.cursor) == ("acd", 1))
        line.apply(.delete)
        #expect((line.text, line.cursor) == ("ad", 1))
        line.apply(.control("d"))
        #expect((line.text, line.cursor) == ("a", 1))
        line.apply(.delete)
        #expect((line.text, line.cursor) == ("a", 1), "Delete at the end deletes nothing")
        line.apply(.home)
        line.apply(.backspace)
        #expect((line.text, line.cursor) == ("a", 0), "Backspace at the start deletes nothing")
    }

    @Test func ctrlUDeletesToTheStartAndCtrlKToTheEnd() {
        var line = edited("hello world", [.left, .left, .left, .left, .left])
        line.apply(.control("u"))
        #expect((line.text, line.cursor) == ("world", 0))
        line.apply(.right)
        line.apply(.control("k"))
        #expect((line.text, line.cursor) == ("w", 1))
    }

    @Test func ctrlWDeletesTheSpacesBeforeTheCursorThenTheWord() {
        var line = edited("git commit  -m")
        line.apply(.control("w"))
        #expect((line.text, line.cursor) == ("git commit  ", 12))
        line.apply(.control("w"))
        #expect((line.text, line.cursor) == ("git ", 4), "the spaces, then the word before them")
        line.apply(.control("w"))
        #expect((line.text, line.cursor) == ("", 0))
        line.apply(.control("w"))
        #expect((line.text, line.cursor) == ("", 0))
    }

    @Test func ctrlWKeepsWhatFollowsTheCursorAndTreatsPunctuationAsPartOfTheWord() {
        var line = edited("roll back:\u{3000}web-1 now", [.left, .left, .left, .left])
        #expect(line.cursor == 16, "after 'web-1'")
        line.apply(.control("w"))
        #expect((line.text, line.cursor) == ("roll back:\u{3000} now", 11))
        line.apply(.control("w"))
        #expect((line.text, line.cursor) == ("roll  now", 5), "an ideographic space is a space; 'back:' is one word")
        let midWord = edited("hello world", [.left, .left, .left, .control("w")])
        #expect((midWord.text, midWord.cursor) == ("hello rld", 6))
    }

    // MARK: - Keys it does not take

    @Test func otherKeysAreLeftToTheCaller() {
        var line = edited("ok")
        for key: Key in [.enter, .escape, .tab, .backTab, .up, .down, .pageUp, .pageDown, .insert, .function(1), .control("x"), .control("c")] {
            let taken = line.apply(key)
            #expect(!taken, "\(key)")
        }
        #expect((line.text, line.cursor) == ("ok", 2))
    }

    @Test func everyEditingKeyIsTaken() {
        for edit in LineEdit.allCases {
            for key in edit.keys {
                var line = edited("a b")
                let taken = line.apply(key)
                #expect(taken, "\(key)")
                #expect(LineEdit(key: key) == edit)
            }
        }
    }

    @Test func theHelpOverlayListsEveryEditingKey() {
        let help = HelpText.lines()
        for edit in LineEdit.allCases {
            #expect(help.contains { $0.contains(edit.keyNames) && $0.contains(edit.help) }, "\(edit)")
        }
    }

    @Test func controlCharactersAreNotInserted() {
        var line = edited("a")
        let taken = line.apply(.character("\u{7}"))
        #expect(taken, "the key is the field's, though it inserts nothing")
        line.apply(.character("\u{9B}"))
        #expect(line.text == "a")
    }

    @Test func theLimitDropsWhatIsTypedPastIt() {
        #expect(edited("abcd", limit: 3).text == "abc")
        #expect(LineEditor("abcdef", limit: 4) == edited("abcd", limit: 4), "the initial text is cut and the cursor at its end")
        // A combining mark joins the last character, so it fits under the limit.
        var full = edited("abe", limit: 3)
        for key in typeScalars("\u{301}x") { full.apply(key) }
        #expect(full.text == "abe\u{301}")
    }

    // MARK: - UTF-8

    @Test func multiByteCharactersMoveAndDeleteWhole() {
        var line = edited("naïve", [.left, .left, .left])
        #expect(line.cursor == 2)
        line.apply(.backspace)
        #expect((line.text, line.cursor) == ("nïve", 1))
        line.apply(.delete)
        #expect((line.text, line.cursor) == ("nve", 1))
    }

    @Test func wideCharactersAndEmojiAreOneCharacterEach() {
        var line = edited("日本語 👍🏽 👩‍👩‍👧 🇫🇷")
        #expect(line.text.count == 9)
        #expect(line.cursor == 9)
        line.apply(.backspace)
        #expect(line.text == "日本語 👍🏽 👩‍👩‍👧 ", "the flag goes whole")
        line.apply(.control("w"))
        #expect(line.text == "日本語 👍🏽 ", "the family goes whole")
        line.apply(.home)
        line.apply(.right)
        line.apply(.delete)
        #expect((line.text, line.cursor) == ("日語 👍🏽 ", 1))
        line.apply(.end)
        line.apply(.left)
        line.apply(.left)
        line.apply(.backspace)
        #expect((line.text, line.cursor) == ("日語👍🏽 ", 2), "the hand keeps its skin tone")
    }

    @Test func emojiTypedScalarByScalarJoinIntoOneCharacter() {
        var line = LineEditor()
        for key in typeScalars("👩‍👩‍👧👍🏽") { line.apply(key) }
        #expect(line.text == "👩‍👩‍👧👍🏽")
        #expect((line.text.count, line.cursor) == (2, 2))
        line.apply(.left)
        line.apply(.backspace)
        #expect((line.text, line.cursor) == ("👍🏽", 0))
    }

    @Test func aCombiningMarkTypedAfterItsLetterJoinsIt() {
        // A terminal sends a combining mark as a key of its own, after the letter.
        var line = edited("cafe", [.character("\u{301}")])
        #expect((line.text, line.cursor) == ("caf\u{E9}", 4))
        #expect(line.text.unicodeScalars.count == 5, "the letter and its mark, as typed")
        line.apply(.backspace)
        #expect((line.text, line.cursor) == ("caf", 3), "Backspace takes the letter with its mark")
        var middle = edited("ex", [.left, .character("\u{301}")])
        #expect((middle.text, middle.cursor) == ("\u{E9}x", 1))
        middle.apply(.right)
        #expect(middle.cursor == 2)
    }

    @Test func theCursorNeverStandsInsideACharacterTwoHalvesMake() {
        // The two halves of a flag typed one after the other make one character.
        var flag = LineEditor()
        for key in typeScalars("🇫🇷") { flag.apply(key) }
        #expect((flag.text, flag.text.count, flag.cursor) == ("🇫🇷", 1, 1))
        // Deleting what stood between two halves joins them: the cursor goes after the flag.
        var joined = edited("🇫x🇷", [.left])
        #expect(joined.cursor == 2)
        joined.apply(.backspace)
        #expect((joined.text, joined.cursor) == ("🇫🇷", 1))
    }

    // MARK: - What a field shows

    @Test func aShortLineShowsWholeWithTheCursorAfterIt() {
        let window = edited("abc").window(width: 10)
        #expect(window == LineEditor.Window(text: "abc", cursorColumn: 3, cursorWidth: 1))
        let atStart = edited("abc", [.home]).window(width: 10)
        #expect(atStart == LineEditor.Window(text: "abc", cursorColumn: 0, cursorWidth: 1))
    }

    @Test func aLongLineScrollsSoTheCursorStaysInView() {
        let line = edited("abcdefghij")
        // The end: the last characters, and a cell for the cursor after them.
        #expect(line.window(width: 5) == LineEditor.Window(text: "ghij", cursorColumn: 4, cursorWidth: 1))
        // The start: the first characters.
        var home = line
        home.apply(.home)
        #expect(home.window(width: 5) == LineEditor.Window(text: "abcde", cursorColumn: 0, cursorWidth: 1))
        // The middle: a quarter of the field of what follows the cursor stays in view.
        var middle = edited("abcdefghijklmnopqrst", [.home] + Array(repeating: .right, count: 10))
        #expect(middle.window(width: 8) == LineEditor.Window(text: "fghijklm", cursorColumn: 5, cursorWidth: 1))
        middle.apply(.left)
        #expect(middle.window(width: 8).cursorColumn == 5, "moving back in a scrolled line scrolls it back")
        #expect(middle.window(width: 8).text == "efghijkl")
    }

    @Test func wideCharactersScrollWholeAndTheCursorCoversTwoColumns() {
        let line = edited("日本語テキスト")
        #expect(line.window(width: 6) == LineEditor.Window(text: "スト", cursorColumn: 4, cursorWidth: 1))
        let onWide = edited("日本語", [.home, .right])
        #expect(onWide.window(width: 10) == LineEditor.Window(text: "日本語", cursorColumn: 2, cursorWidth: 2))
        // A wide character that would cross the field's edge is left out, never cut.
        let cut = edited("a日本", [.home])
        #expect(cut.window(width: 4) == LineEditor.Window(text: "a日", cursorColumn: 0, cursorWidth: 1))
        #expect(onWide.window(width: 1) == LineEditor.Window(text: "", cursorColumn: 0, cursorWidth: 1), "no room: the cursor's cell only")
        #expect(onWide.window(width: 0).cursorWidth == 0)
    }

    @Test func theWindowAlwaysFitsAndShowsTheCursor() {
        // Every key, many times over, on lines of every kind of character: the cursor stays on
        // a character boundary and the window within its width.
        let keys: [Key] = LineEdit.allCases.flatMap(\.keys) + type("a 日👍🏽\u{301}é")
        var seed: UInt64 = 42
        for width in [1, 2, 3, 5, 8, 13] {
            var line = LineEditor(limit: 40)
            for _ in 0..<400 {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                line.apply(keys[Int(seed >> 33) % keys.count])
                #expect((0...line.text.count).contains(line.cursor))
                let window = line.window(width: width)
                #expect(TextWidth.of(window.text) <= width)
                #expect(window.cursorColumn >= 0 && window.cursorColumn + window.cursorWidth <= width)
                #expect(window.cursorWidth >= 1)
                #expect(window.text.isEmpty || line.text.contains(window.text))
                #expect(window.cursorColumn <= TextWidth.of(window.text))
            }
        }
    }
}
