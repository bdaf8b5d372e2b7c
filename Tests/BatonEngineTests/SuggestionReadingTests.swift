@testable import BatonEngine
import Testing

/// `Suggestion.suggested(in:)` reads back the word of the hint `Suggestion.hint` writes.
@Suite struct SuggestionReadingTests {
    @Test func theHintsWordIsReadBackWhereverItStands() {
        let hint = Suggestion.hint(for: "neds", among: ["needs", "run"])
        #expect(Suggestion.suggested(in: "unknown key 'neds' in step 'a'" + hint) == "needs")
        #expect(Suggestion.suggested(in: "unknown key 'x'\(hint) (keys are: needs, run)") == "needs")
        // A word with a quote in it is read whole.
        #expect(Suggestion.suggested(in: "unknown 'it'" + Suggestion.hint(for: "it'z", among: ["it's"])) == "it's")
    }

    @Test func aMessageWithoutAHintSuggestsNothing() {
        #expect(Suggestion.suggested(in: "step 'b' needs 'x', which is not a step in this workflow") == nil)
        #expect(Suggestion.suggested(in: "; did you mean '") == nil)
        #expect(Suggestion.suggested(in: "a message; did you mean ''?") == nil)
    }
}
