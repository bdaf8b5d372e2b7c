import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// Pasted text goes whole into the text field that has the typing, as one line, and is never
/// keys: a pasted line break does not send a dialog, and a paste outside a field does nothing.
@Suite struct PasteTests {
    typealias S = ConsoleTestSupport

    @Test func aPasteGoesIntoAConfirmDialogsCommentAsOneLineAndEnterStillSends() {
        var state = S.state([S.step("build", .running, attempt: 1), S.step("build", .failed, exitCode: 2)])
        _ = S.update(&state, .key(.character("r")))
        _ = S.update(&state, .key(.character("'")))
        // A ticket copied with its line break, a second line, a tab: none of it acts as Enter,
        // and each break or tab is one space.
        #expect(S.update(&state, .paste("INC-42:\tcache cold\r\nsee runbook\n")).isEmpty)
        #expect(state.dialog?.comment.text == "'INC-42: cache cold see runbook")
        #expect(S.update(&state, .key(.enter)) == [.command(OperatorCommand(.retry, step: "build", comment: "'INC-42: cache cold see runbook"))])
    }

    @Test func aPasteGoesIntoTheFocusedFieldOfAGateDialogUpToItsLimit() {
        var state = S.gateWaiting()
        _ = S.update(&state, .key(.character("a")))
        #expect(state.dialog?.isCommentFocused == true)
        _ = S.update(&state, .paste(String(repeating: "y", count: 10_000)))
        let comment = state.dialog?.comment
        #expect(comment.map { $0.text.count == $0.limit } == true, "cut at the field's limit")
        #expect(S.update(&state, .key(.escape)).isEmpty && state.dialog == nil)
    }

    @Test func aPasteNarrowsTheFinderOnceAndFillsTheSearchPrompt() {
        var state = S.state()
        _ = S.update(&state, .key(.character(":")), .paste("db\n"))
        #expect(state.finder?.query == "db")
        #expect(state.tableNarrowing?.query == "db")
        _ = S.update(&state, .key(.escape))
        state.focus = .logs
        _ = S.update(&state, .key(.character("/")), .paste("error: disk\tfull"))
        #expect(state.panes.log.typing?.text == "error: disk full")
    }

    @Test func aPasteOutsideATextFieldIsNoKeys() {
        var state = S.state([S.step("build", .running, attempt: 1), S.step("build", .failed, exitCode: 2)])
        let before = state
        // As keys, this would retry (r), skip (s) and quit (q).
        #expect(S.update(&state, .paste("rsq\n")).isEmpty)
        #expect(state.dialog == nil && state.selected == before.selected && state.focus == before.focus && !state.quitting)
        #expect(state.status?.text.contains("pasted text goes into a text field") == true, "\(String(describing: state.status))")
        // Over the help or the quit question it does nothing either.
        _ = S.update(&state, .key(.character("?")), .paste("q"))
        #expect(state.dialog?.title == "Keys")
    }

    @Test func aPastedLineLosesTheBreaksThatEndItAndTabsBecomeSpaces() {
        #expect(ConsoleUpdate.pastedLine("a\tb\r\nc\n\n") == "a b c")
        #expect(ConsoleUpdate.pastedLine("\n") == "")
        #expect(ConsoleUpdate.pastedLine("ünï\u{301}code") == "ünï\u{301}code")
    }
}
