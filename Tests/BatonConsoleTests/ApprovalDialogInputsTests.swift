import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// The approval dialog asks for a gate's `approval.inputs` above the comment: Tab moves
/// between them, a value that does not fit keeps the dialog open and says why, and Enter sends
/// the values with the approval.
@Suite struct ApprovalDialogInputsTests {
    static let workflow: Workflow = {
        var gate = ApprovalGate(prompt: "Which version?")
        gate.inputs = [
            WorkflowParameter(name: "version", required: true),
            WorkflowParameter(name: "channel", kind: .choice(["stable", "beta"]), defaultValue: "stable"),
        ]
        return Workflow(name: "release", steps: [Step(id: "choose", approval: gate)])
    }()
    static let context = ConsoleContext(workflow: workflow)

    private func waitingState() -> AppState {
        var state = AppState(workflow: Self.workflow, user: "alice", width: 120, height: 36, now: 1_000_100)
        var started = RunEvent(seq: 1, time: 1_000_000, kind: .runStarted)
        started.runID = "run-1"
        started.steps = Self.workflow.stepIDs
        try! state.run.apply(started)
        var waiting = RunEvent.step("choose", .waiting, reason: "waiting for approval by any operator")
        waiting.seq = 2
        waiting.time = 1_000_010
        try! state.run.apply(waiting)
        return state
    }

    private func press(_ keys: [Key], _ state: inout AppState) -> [ConsoleEffect] {
        keys.flatMap { ConsoleUpdate.update(&state, .key($0), context: Self.context) }
    }

    private func type(_ text: String) -> [Key] { text.map { .character($0) } }

    @Test func theFieldsAreFilledCheckedAndSentWithTheApproval() throws {
        var state = waitingState()
        _ = press([.character("a")], &state)
        #expect(state.dialog?.fields.map(\.value) == ["", "stable"], "a default fills its field")
        let rendered = ConsoleView.render(state, context: Self.context, theme: .builtInDark, unicode: true)
        let screen = rendered.lines
        let versionRow = try #require(screen.firstIndex { $0.contains("version *:") })
        let afterLabel = try #require((0..<rendered.width).first { rendered[$0, versionRow].symbol == ":" && rendered[$0 - 1, versionRow].symbol == "*" }) + 2
        #expect(rendered[afterLabel, versionRow].style.attributes.contains(.reverse), "the required field has the cursor")
        #expect(screen[versionRow + 1].contains("channel"))
        #expect(!(0..<rendered.width).contains { rendered[$0, versionRow + 1].style.attributes.contains(.reverse) }, "only the focused field shows a cursor")
        #expect(screen.contains { $0.contains("channel (stable|beta): stable") })

        #expect(press([.enter], &state).isEmpty, "nothing is sent while a required value is missing")
        #expect(state.dialog?.problem == "version: a value is required")
        _ = press(type("2.0") + [.tab, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace] + type("nightly") + [.enter], &state)
        #expect(state.dialog?.problem == "channel: 'nightly' is not one of 'stable', 'beta'")
        #expect(state.dialog?.focus == 1, "the dialog shows the field that does not fit")
        var keys: [Key] = Array(repeating: .backspace, count: 7)
        keys += type("beta") + [.tab] + type("ship it") + [.enter]
        let effects = press(keys, &state)
        #expect(state.dialog == nil)
        #expect(effects == [.command(.approve(step: "choose", comment: "ship it", values: ["version": "2.0", "channel": "beta"]))])
    }

    @Test func aRejectionAsksForNoValues() {
        var state = waitingState()
        _ = press([.character("x")], &state)
        #expect(state.dialog?.fields.isEmpty == true)
        let effects = press(type("no") + [.enter], &state)
        #expect(effects == [.command(.reject(step: "choose", comment: "no"))])
    }
}
