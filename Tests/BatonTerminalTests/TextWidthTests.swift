import Testing
@testable import BatonTerminal

@Suite struct TextWidthTests {
    @Test func asciiIsOneColumnPerCharacter() {
        #expect(TextWidth.of("hello") == 5)
        #expect(TextWidth.of("") == 0)
    }

    @Test func cjkAndHangulAreTwoColumns() {
        #expect(TextWidth.of("中") == 2)
        #expect(TextWidth.of("日本語") == 6)
        #expect(TextWidth.of("한국") == 4)
        #expect(TextWidth.of("ｶﾀｶﾅ") == 4, "half-width katakana stays narrow")
        #expect(TextWidth.of("ＡＢ") == 4, "full-width Latin is wide")
    }

    @Test func emojiAreTwoColumns() {
        #expect(TextWidth.of("✅") == 2)
        #expect(TextWidth.of("🚀") == 2)
        // A text-style symbol made an emoji by VS16 takes two columns; alone it takes one.
        #expect(TextWidth.of("❤") == 1)
        #expect(TextWidth.of("❤\u{FE0F}") == 2)
        // A family joined with ZWJ is one grapheme, shown as one wide cell.
        #expect(TextWidth.of("👨\u{200D}👩\u{200D}👧") == 2)
    }

    @Test func combiningMarksTakeNoColumns() {
        #expect(TextWidth.of("e\u{301}") == 1)
        #expect(TextWidth.of(Character("e\u{301}")) == 1)
        #expect(TextWidth.of(Unicode.Scalar(0x301)!) == 0)
        #expect(TextWidth.of("a\u{20DD}") == 1, "an enclosing mark joins its base")
        #expect(TextWidth.of("\u{200B}") == 0, "zero-width space")
    }

    @Test func controlCharactersTakeNoColumns() {
        #expect(TextWidth.of("\u{1B}") == 0)
        #expect(TextWidth.of("\t") == 0)
        #expect(TextWidth.of("\u{7F}") == 0)
        #expect(TextWidth.of("\u{85}") == 0)
        #expect(TextWidth.of("a\u{7}b") == 2)
    }

    @Test func truncationAndPaddingCountColumnsNotCharacters() {
        #expect(TextWidth.truncate("日本語テキスト", to: 7) == "日本語…")
        #expect(TextWidth.truncate("short", to: 10) == "short")
        #expect(TextWidth.truncate("abc", to: 0) == "")
        #expect(TextWidth.pad("中a", to: 5) == "中a  ")
        // A wide character that would cross the limit is left out, not split.
        #expect(TextWidth.pad("a中", to: 2) == "a ")
        #expect(TextWidth.prefix("中文", fitting: 3) == ("中", 2))
    }
}
