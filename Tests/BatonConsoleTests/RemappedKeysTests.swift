import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// A config file's remapped key acts, and is shown, wherever the console reads its keymap:
/// the update, the footer and its clicks, the help overlay.
@Suite struct RemappedKeysTests {
    typealias S = ConsoleTestSupport

    private static let remapped = Keymap.standard.remapping([.retry: [.character("R")], .help: [.function(1)]])

    private func failedBuild() -> AppState {
        var state = S.state([S.step("build", .running, attempt: 1), S.step("build", .failed, exitCode: 2)])
        state.keymap = Self.remapped
        return state
    }

    @Test func theRemappedKeyActsAndTheOldOneNoLonger() {
        var state = failedBuild()
        _ = S.update(&state, .key(.character("r")))
        #expect(state.dialog == nil, "r no longer retries")
        #expect(state.status?.text.contains("r does nothing here; press F1 for the keys") == true, "\(state.status?.text ?? "")")
        _ = S.update(&state, .key(.character("R")))
        #expect(state.dialog?.title == "Retry 'build'?")
        #expect(S.update(&state, .key(.enter)) == [.command(.retry(step: "build"))])
        // Keys inside a dialog are not remappable: Enter and Esc still confirm and close.
        _ = S.update(&state, .key(.function(1)))
        #expect(state.dialog?.kind == .help)
        _ = S.update(&state, .key(.escape))
        #expect(state.dialog == nil)
    }

    @Test func theFooterAndTheHelpShowTheRemappedKey() throws {
        let state = failedBuild()
        let footer = S.screen(state).lines[ConsoleLayout(state).footer.y]
        #expect(footer.contains("R retry"), "\(footer)")
        #expect(footer.contains("F1 help"), "\(footer)")
        #expect(!footer.contains("r retry"), "\(footer)")
        let help = HelpText.lines(for: state, plan: S.context.plan)
        #expect(help.contains { $0.hasPrefix("  R ") && $0.contains("Retry the selected step") }, "\(help)")
        #expect(help.contains { $0.contains("Now, for 'build'") && $0.contains("R retries") })
        #expect(!HelpText.lines(keymap: Self.remapped).contains { $0.hasPrefix("  r ") })
    }

    @Test func aClickOnTheRemappedHintPressesIt() throws {
        var state = failedBuild()
        let layout = ConsoleLayout(state)
        _ = try MouseRoutingTests.click(on: "R retry", in: layout.footer, &state)
        #expect(state.dialog?.title == "Retry 'build'?")
    }

    @Test func titlesNameTheKeyInUse() {
        var state = S.state()
        state.keymap = Keymap.standard.remapping([.audit: [.character("y")], .notes: [.character("Y")]])
        _ = S.update(&state, .key(.character("y")), .key(.character("Y")))
        let screen = S.screen(state).lines.joined(separator: "\n")
        #expect(screen.contains("y shows the log") && !screen.contains("A shows the log"), "\(screen)")
        #expect(screen.contains("Notes — Y shows the details"), "\(screen)")
    }
}
