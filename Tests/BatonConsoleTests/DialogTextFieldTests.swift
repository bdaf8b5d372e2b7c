import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// The approval dialog's fields and the log search prompt edit as a shell line does, keep
/// every key they take from the console behind them, and keep what is typed through a resize.
@Suite struct DialogTextFieldTests {
    private typealias S = ConsoleTestSupport

    /// A run whose gate waits, with the decision dialog open on it.
    private func approving() -> AppState {
        var state = S.gateWaiting()
        _ = S.update(&state, .key(.character("a")))
        return state
    }

    private func press(_ keys: [Key], _ state: inout AppState) -> [ConsoleEffect] {
        keys.flatMap { S.update(&state, .key($0)) }
    }

    private func type(_ text: String) -> [Key] { text.map { .character($0) } }

    /// What the console shows behind a field: it must not move while the field takes keys.
    private struct Behind: Hashable {
        var selected, tableTop, detailsScroll: Int
        var focus: Pane
        var graphMode: GraphMode
        var showsTimeline, showsNotes, showsAudit, zoomed: Bool
        var tableSort: StepSort
        var tableFilter: StepState?
        var expandedGroups: Set<String>
        var follow, wrap: Bool
        var query: String

        init(_ state: AppState) {
            (selected, tableTop, detailsScroll) = (state.selected, state.panes.steps.top, state.panes.details.top)
            focus = state.focus
            (showsTimeline, showsNotes, showsAudit, zoomed) = (state.showsTimeline, state.showsNotes, state.showsAudit, state.zoomed)
            graphMode = state.graphMode
            (tableSort, tableFilter, expandedGroups) = (state.tableSort, state.tableFilter, state.expandedGroups)
            (follow, wrap, query) = (state.panes.log.scroll.follows, state.panes.log.wrap, state.panes.log.query)
        }
    }

    /// The field after `label` on `screen`: its row's text, where the field starts, and the
    /// columns of the field (up to the dialog's border) drawn reversed.
    private func field(after label: String, in screen: Buffer) -> (row: String, start: Int, cursor: [Int])? {
        let symbols = label.map(String.init)
        for y in 0..<screen.height {
            for x in 0..<max(0, screen.width - symbols.count) where symbols.indices.allSatisfy({ screen[x + $0, y].symbol == symbols[$0] }) {
                let start = x + symbols.count
                let end = (start..<screen.width).first { screen[$0, y].symbol == "│" } ?? screen.width
                return (screen.lines[y], start, (start..<end).filter { screen[$0, y].style.attributes.contains(.reverse) })
            }
        }
        return nil
    }

    // MARK: - The decision dialog

    @Test func theCommentIsEditedInTheMiddleAndSentWhole() {
        var state = approving()
        _ = press(type("ship it") + [.home] + type("please ") + [.end, .control("w")] + type("now"), &state)
        #expect(state.dialog?.comment.text == "please ship now")
        _ = press([.control("a"), .control("k")] + type("日本 ok 👍🏽") + [.left, .left, .left, .left, .backspace], &state)
        #expect(state.dialog?.comment.text == "日本ok 👍🏽")
        #expect(state.dialog?.comment.cursor == 2)
        let effects = press([.enter], &state)
        #expect(effects == [.command(.approve(step: "gate", comment: "日本ok 👍🏽"))])
    }

    @Test func keysTheCommentTakesDoNotActOnTheConsole() throws {
        var state = approving()
        let behind = Behind(state)
        let status = state.status
        let keys: [Key] = type("hjklgGq?/tiAemSFpcrsuUCxnN!{}[] ") + [.home, .end, .left, .right, .delete, .control("a"), .control("e"), .control("u")]
        #expect(press(keys, &state).isEmpty, "no command, no quit")
        let dialog = try #require(state.dialog)
        #expect(dialog.kind == .decision(step: "gate", approve: true), "no other dialog opened")
        #expect(Behind(state) == behind)
        #expect(state.status == status, "no 'does nothing here' either")
        _ = press(type("lgtm"), &state)
        #expect(press([.enter], &state) == [.command(.approve(step: "gate", comment: "lgtm"))], "Ctrl-U cleared what the keys typed")
    }

    @Test func anInputFieldEditsLikeTheComment() throws {
        var gate = ApprovalGate(prompt: "Which version?")
        gate.inputs = [WorkflowParameter(name: "version", defaultValue: "2.0.1")]
        let workflow = Workflow(name: "release", steps: [Step(id: "choose", approval: gate)])
        let context = ConsoleContext(workflow: workflow)
        var state = AppState(workflow: workflow, user: "alice", width: 120, height: 36, now: 1_000_100)
        var started = RunEvent(seq: 1, time: 1_000_000, kind: .runStarted)
        started.runID = "run-1"
        started.steps = workflow.stepIDs
        try state.run.apply(started)
        var waiting = RunEvent.step("choose", .waiting, reason: "waiting for approval by any operator")
        waiting.seq = 2
        waiting.time = 1_000_010
        try state.run.apply(waiting)
        var effects: [ConsoleEffect] = []
        for key: Key in [.character("a"), .left, .left, .control("w"), .character("3"), .tab] + type("ok") {
            effects += ConsoleUpdate.update(&state, .key(key), context: context)
        }
        #expect(state.dialog?.fields.first?.value == "3.1", "Ctrl-W took '2.0' before the cursor")
        #expect(state.dialog?.comment.text == "ok")
        effects += ConsoleUpdate.update(&state, .key(.enter), context: context)
        #expect(effects == [.command(.approve(step: "choose", comment: "ok", values: ["version": "3.1"]))])
    }

    @Test func theCursorIsDrawnWhereItStands() throws {
        var state = approving()
        _ = press(type("abcdef") + [.left, .left], &state)
        let screen = S.screen(state)
        let (row, start, cursor) = try #require(field(after: "comment: ", in: screen))
        #expect(row.contains("comment: abcdef"))
        #expect(cursor == [start + 4], "the cursor is the reversed 'e'")
        _ = press([.end], &state)
        #expect(try #require(field(after: "comment: ", in: S.screen(state))).cursor == [start + 6], "at the end, the cell after the text")
    }

    @Test func aLongCommentScrollsSoTheCursorStaysInView() throws {
        var state = approving()
        let long = (1...40).map { "w\($0)" }.joined(separator: " ")
        _ = press(type(long), &state)
        let end = try #require(field(after: "comment: ", in: S.screen(state)))
        #expect(end.row.contains("w40"), "the end of the comment is shown")
        #expect(!end.row.contains("comment: w1 "), "its start scrolled off")
        #expect(end.cursor.count == 1)
        _ = press([.home], &state)
        let start = try #require(field(after: "comment: ", in: S.screen(state)))
        #expect(start.row.contains("comment: w1 w2 w3"))
        #expect(!start.row.contains("w40"))
    }

    @Test func whatIsTypedSurvivesAResize() throws {
        var state = approving()
        _ = press(type("roll out 日本 to web-1 and web-2 after the smoke tests pass") + [.home] + Array(repeating: .right, count: 12), &state)
        let comment = try #require(state.dialog?.comment)
        #expect(comment.cursor == 12)
        for (width, height) in [(80, 24), (60, 16), (200, 50), (120, 36)] {
            _ = S.update(&state, .resize(width: width, height: height))
            #expect(state.dialog?.comment == comment, "\(width)×\(height)")
            let screen = S.screen(state)
            let (row, _, cursor) = try #require(field(after: "comment: ", in: screen), "\(width)×\(height)")
            // The reversed cell is the character under the cursor, 't' of "to".
            let y = try #require(screen.lines.firstIndex(of: row))
            #expect(cursor.count == 1 && screen[cursor[0], y].symbol == "t", "\(width)×\(height)")
            #expect(row.contains("日本 to"), "\(width)×\(height): the text around the cursor is shown")
        }
        _ = press(type("X") + [.enter], &state)
        #expect(state.dialog == nil)
    }

    // MARK: - The search prompt

    @Test func theSearchPromptEditsAndSearches() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        for text in ["compiling", "warning: unused", "linking"] {
            _ = S.update(&state, .engine(.output(OutputChunk(line: OutputLine(stepID: "build", stream: .stdout, text: text)))))
        }
        _ = press([.character("/")] + type("wrning x") + [.control("w"), .backspace, .home, .right] + type("a"), &state)
        #expect(state.panes.log.typing?.text == "warning")
        #expect(state.panes.log.typing?.cursor == 2)
        _ = press([.enter], &state)
        #expect(state.panes.log.typing == nil)
        #expect(state.panes.log.query == "warning")
        #expect(state.panes.log.matches == [1])
    }

    @Test func keysTheSearchPromptTakesDoNotActOnTheConsole() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        _ = press([.character("/")], &state)
        let behind = Behind(state)
        #expect(press(type("qhjklgG?aAtmwfnN") + [.home, .end, .left, .right], &state).isEmpty)
        #expect(state.dialog == nil, "neither the quit question nor the help")
        #expect(Behind(state) == behind)
        #expect(state.panes.log.typing?.text == "qhjklgG?aAtmwfnN")
        _ = press([.control("c")], &state)
        #expect(state.panes.log.typing == nil, "Ctrl-C drops the line, as Esc does")
        #expect(state.panes.log.query == "")
    }

    @Test func theSearchPromptShowsItsCursor() {
        var prompt = LineEditor("needle")
        prompt.apply(.home)
        prompt.apply(.right)
        let theme = Theme.builtInDark
        var buffer = Buffer(width: 60, height: 1)
        FooterView(theme: theme, searchPrompt: prompt).render(into: &buffer, area: buffer.area)
        #expect(buffer.lines[0] == "/needle  Enter search · Esc cancel")
        #expect((0..<60).filter { buffer[$0, 0].style.attributes.contains(.reverse) } == [2], "the cursor is on 'e'")
        // Narrow, a long query scrolls and the hint gives way.
        var narrow = Buffer(width: 12, height: 1)
        FooterView(theme: theme, searchPrompt: LineEditor("find the needle")).render(into: &narrow, area: narrow.area)
        #expect(narrow.lines[0] == "/the needle")
        #expect(narrow[11, 0].style.attributes.contains(.reverse), "the cursor's cell after the query")
    }
}
