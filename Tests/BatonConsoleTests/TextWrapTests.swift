import BatonTerminal
import Testing
@testable import BatonConsole

/// Rows break at spaces, keeping a word whole when it fits a row, and cut a word that does not.
@Suite struct TextWrapTests {
    @Test func aWordThatFitsARowIsCarriedWhole() {
        #expect(TextWrap.wrap("needs: approve-release", width: 21) == ["needs:", "approve-release"])
        #expect(TextWrap.wrap("the quick brown fox jumps", width: 10) == ["the quick", "brown fox", "jumps"])
    }

    @Test func aWordLongerThanARowIsCutWhereTheRowEnds() {
        #expect(TextWrap.wrap("x abcdefghijklmnopqrstuvwxyz", width: 10) == ["x abcdefgh", "ijklmnopqr", "stuvwxyz"])
        #expect(TextWrap.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
    }

    @Test func wideCharactersCountTwoColumns() {
        #expect(TextWrap.wrap("日本 語日本語", width: 6) == ["日本", "語日本", "語"])
        #expect(TextWrap.wrap("fits", width: 4) == ["fits"])
        #expect(TextWrap.wrap("anything", width: 0).isEmpty)
    }
}
