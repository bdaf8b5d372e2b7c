import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// Clicks and the wheel in the console, through `update` alone: each click is made where the
/// view drew what it aims at, so the tests hold the view and the update to one geometry.
@Suite struct MouseRoutingTests {
    typealias S = ConsoleTestSupport
    typealias F = FanOutGroupsTests

    // MARK: - Helpers

    /// The first screen cell, top to bottom, where `text` is drawn inside `rect`.
    static func cell(of text: String, in buffer: Buffer, within rect: Rect) -> (x: Int, y: Int)? {
        let wanted = text.map(String.init)
        guard wanted.count <= rect.width else { return nil }
        for y in rect.y..<rect.maxY {
            for x in rect.x...(rect.maxX - wanted.count) where wanted.indices.allSatisfy({ buffer[x + $0, y].symbol == wanted[$0] }) {
                return (x, y)
            }
        }
        return nil
    }

    /// A left click (press and release) at a cell.
    static func click(_ at: (x: Int, y: Int), _ state: inout AppState, context: ConsoleContext = S.context) -> [ConsoleEffect] {
        ConsoleUpdate.update(&state, .mouse(MouseEvent(.press, x: at.x, y: at.y)), context: context)
            + ConsoleUpdate.update(&state, .mouse(MouseEvent(.release, x: at.x, y: at.y)), context: context)
    }

    /// Clicks where `text` is drawn inside `rect`; fails the test when it is not drawn there.
    static func click(
        on text: String, in rect: Rect, _ state: inout AppState, context: ConsoleContext = S.context,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> [ConsoleEffect] {
        let screen = ConsoleView.render(state, context: context, theme: .builtInDark, unicode: true)
        let at = try #require(cell(of: text, in: screen, within: rect), "'\(text)' is not drawn in \(rect):\n\(screen.lines.joined(separator: "\n"))",
                              sourceLocation: sourceLocation)
        return click(at, &state, context: context)
    }

    /// Turns the wheel at a cell: down for positive notches, up for negative.
    static func wheel(_ notches: Int, at: (x: Int, y: Int), _ state: inout AppState, context: ConsoleContext = S.context, shift: Bool = false) {
        let event = MouseEvent(notches > 0 ? .wheelDown : .wheelUp, x: at.x, y: at.y, modifiers: shift ? .shift : [])
        for _ in 0..<abs(notches) { _ = ConsoleUpdate.update(&state, .mouse(event), context: context) }
    }

    /// The middle of a pane's inside.
    static func middle(of rect: Rect) -> (x: Int, y: Int) {
        (rect.x + rect.width / 2, rect.y + rect.height / 2)
    }

    /// root, then 40 steps that need it: a graph and a table taller than their panes.
    static let tall = Workflow(name: "tall", steps: [Step(id: "root", run: "true")]
        + (1...40).map { Step(id: "leaf-\($0)", run: "true", needs: ["root"]) })
    static let tallContext = ConsoleContext(workflow: tall)

    static func tallState(events: [RunEvent] = []) -> AppState {
        var state = AppState(workflow: tall, user: "alice", width: 120, height: 36, now: 1_000_100)
        state.graphNaturalSize = tallContext.shownGraph(state).size
        var started = RunEvent(seq: 1, time: 1_000_000, kind: .runStarted)
        started.runID = "run-1"
        started.steps = tall.stepIDs
        _ = ConsoleUpdate.update(&state, .engine(.event(started)), context: tallContext)
        for var event in events {
            event.seq = state.run.lastSeq + 1
            event.time = 1_000_010
            _ = ConsoleUpdate.update(&state, .engine(.event(event)), context: tallContext)
        }
        return state
    }

    // MARK: - Clicks on steps

    @Test func aClickOnAGraphNodeSelectsItsStepAndFocusesTheGraph() throws {
        var state = S.state()
        state.focus = .steps
        let graph = PaneFrame.inner(of: ConsoleLayout(state).graph)
        #expect(try Self.click(on: "db", in: graph, &state).isEmpty)
        #expect(state.selectedStep?.id == "db")
        #expect(state.focus == .graph)
        // Its glyph is part of the node too.
        #expect(try Self.click(on: "· ship", in: graph, &state).isEmpty)
        #expect(state.selectedStep?.id == "ship")

        // An empty spot of the pane focuses it and keeps the selection; its border does nothing.
        state.focus = .logs
        _ = Self.click((graph.maxX - 1, graph.maxY - 1), &state)
        #expect(state.focus == .graph && state.selectedStep?.id == "ship")
        state.focus = .logs
        _ = Self.click((graph.x - 1, graph.y), &state)
        #expect(state.focus == .logs)
    }

    @Test func aClickAnywhereOnACompactGraphRowSelectsItsStep() throws {
        var state = S.state()
        state.graphMode = .compact
        let graph = PaneFrame.inner(of: ConsoleLayout(state).graph)
        let screen = S.screen(state)
        let ship = try #require(Self.cell(of: "ship", in: screen, within: graph))
        _ = Self.click((graph.maxX - 2, ship.y), &state)
        #expect(state.selectedStep?.id == "ship")
        #expect(state.focus == .graph)
    }

    @Test func aClickOnATableRowSelectsItsStepAndFocusesTheTable() throws {
        var state = S.state()
        let table = PaneFrame.inner(of: ConsoleLayout(state).steps)
        _ = try Self.click(on: "gate", in: table, &state)
        #expect(state.selectedStep?.id == "gate")
        #expect(state.focus == .steps)
        // The column titles select nothing.
        _ = Self.click((table.x + 1, table.y), &state)
        #expect(state.selectedStep?.id == "gate")
    }

    @Test func aClickOnATimelineRowSelectsItsStep() throws {
        var state = F.state(F.events)
        state.show(.timeline, true)
        state.focus = .details
        let timeline = PaneFrame.inner(of: ConsoleLayout(state).graph)
        _ = try Self.click(on: "verify", in: timeline, &state, context: F.context)
        #expect(state.selectedStep?.id == "verify")
        #expect(state.focus == .graph)
        // A collapsed group's row selects the group, as the keys do.
        _ = try Self.click(on: "▸ smoke", in: timeline, &state, context: F.context)
        #expect(state.selectedStep?.id == "smoke[eu]")
        #expect(state.selectedGroup == "smoke")
    }

    @Test func aClickOnACollapsedGroupSelectsTheGroupAndKeepsTheInstanceItStandsFor() throws {
        var state = F.state(F.events)
        let layout = ConsoleLayout(state)
        let graph = PaneFrame.inner(of: layout.graph)
        _ = try Self.click(on: "deploy", in: graph, &state, context: F.context)
        #expect(state.selectedGroup == "deploy")
        #expect(state.selectedStep?.id == "deploy[web1]", "the first instance, as the arrow keys select it")

        // With another instance selected (the failed one, by `!`), the group's node and its
        // header keep it.
        state.selected = try #require(F.workflow.position(of: "deploy[web3]"))
        _ = try Self.click(on: "deploy", in: graph, &state, context: F.context)
        #expect(state.selectedStep?.id == "deploy[web3]")
        _ = try Self.click(on: "▸ deploy", in: PaneFrame.inner(of: layout.steps), &state, context: F.context)
        #expect(state.selectedStep?.id == "deploy[web3]")
        #expect(state.focus == .steps)

        // Expanded, the header is no step: the click focuses the table and selects nothing new.
        state.expandedGroups = ["deploy"]
        _ = try Self.click(on: "▾ deploy", in: PaneFrame.inner(of: layout.steps), &state, context: F.context)
        #expect(state.selectedStep?.id == "deploy[web3]")
        _ = try Self.click(on: "deploy[web2]", in: PaneFrame.inner(of: layout.steps), &state, context: F.context)
        #expect(state.selectedStep?.id == "deploy[web2]")
        #expect(state.selectedGroup == nil)
    }

    @Test func clicksInAReplaySelectAndItsFooterPlays() throws {
        var state = S.state()
        state.replay = ReplayState(events: [], logs: [:], speed: 1, playing: false)
        let layout = ConsoleLayout(state)
        _ = try Self.click(on: "test", in: PaneFrame.inner(of: layout.steps), &state)
        #expect(state.selectedStep?.id == "test")
        _ = try Self.click(on: "t timeline", in: layout.footer, &state)
        #expect(state.showsTimeline)
        // An operator key's hint is not in a replay's footer, and its keys stay refused.
        #expect(Self.cell(of: "retry", in: S.screen(state), within: layout.footer) == nil)
    }

    // MARK: - The footer

    @Test func aClickOnAFooterHintRunsItsAction() throws {
        var state = S.state([S.step("build", .running, attempt: 1)])
        let footer = ConsoleLayout(state).footer
        #expect(try Self.click(on: "p pause", in: footer, &state).isEmpty)
        #expect(state.dialog?.title == "Pause the run?", "the click asks as the key does")
        state.dialog = nil
        _ = try Self.click(on: "Tab pane", in: footer, &state)
        #expect(state.focus == .steps)
        _ = try Self.click(on: "? help", in: footer, &state)
        #expect(state.dialog?.kind == .help)
        // The gap between two hints is part of the first; past the last one, nothing.
        state.dialog = nil
        let screen = S.screen(state)
        let quit = try #require(Self.cell(of: "q quit", in: screen, within: footer))
        #expect(Self.click((quit.x + 8, quit.y), &state).isEmpty)
        #expect(state.dialog == nil)
    }

    @Test func theFooterHintsAndTheirPlacesAreThoseTheViewDraws() {
        let hints = [FooterHint(.character("a"), label: "approve"), FooterHint(.tab, label: "pane"), FooterHint(.character("?"), label: "help"),
                     FooterHint(.character("q"), label: "quit")]
        let area = Rect(x: 0, y: 0, width: 28, height: 1)
        var buffer = Buffer(width: 28, height: 1)
        FooterView(theme: .builtInDark, searchPrompt: nil, offered: hints).render(into: &buffer, area: area)
        #expect(buffer.lines == ["a approve  ? help  q quit"])
        let placed = FooterView.placements(of: hints, in: area)
        #expect(placed.map(\.hint.label) == ["approve", "help", "quit"], "help and quit keep their room; the others fill what is left")
        #expect(placed.map(\.rect.x) == [0, 11, 19])
        #expect(FooterView.hint(atX: 12, y: 0, of: hints, in: area)?.key == .character("?"))
        #expect(FooterView.hint(atX: 18, y: 0, of: hints, in: area)?.key == .character("?"), "the blanks after a hint are its own")
    }

    // MARK: - The wheel

    @Test func theWheelScrollsTheGraphUnderThePointerAndLeavesFocusAndSelection() {
        var state = Self.tallState()
        state.focus = .steps
        let graph = ConsoleLayout(state).graph
        Self.wheel(2, at: Self.middle(of: graph), &state, context: Self.tallContext)
        #expect(state.panes.graph.y == 2 * ConsoleUpdate.wheelRows)
        #expect(state.focus == .steps && state.selected == 0)
        // Up past the top stops at the top, so the next notch down answers at once.
        Self.wheel(-5, at: Self.middle(of: graph), &state, context: Self.tallContext)
        #expect(state.panes.graph.y == 0)
        Self.wheel(100, at: Self.middle(of: graph), &state, context: Self.tallContext)
        let bottom = state.panes.graph.y
        #expect(bottom > 0 && bottom == Self.tallContext.graph.height - (graph.height - 2))
        Self.wheel(-1, at: Self.middle(of: graph), &state, context: Self.tallContext)
        #expect(state.panes.graph.y == bottom - ConsoleUpdate.wheelRows)

        // The compact list scrolls by its rows.
        state.graphMode = .compact
        state.panes.graph = GraphScroll()
        Self.wheel(1, at: Self.middle(of: graph), &state, context: Self.tallContext)
        #expect(state.panes.graph.y == ConsoleUpdate.wheelRows)
    }

    @Test func aClickAfterScrollingLandsOnWhatIsDrawnThere() throws {
        var state = Self.tallState()
        let layout = ConsoleLayout(state)
        Self.wheel(3, at: Self.middle(of: layout.graph), &state, context: Self.tallContext)
        Self.wheel(4, at: Self.middle(of: layout.steps), &state, context: Self.tallContext)
        #expect(state.panes.steps.top == 4 * ConsoleUpdate.wheelRows)
        let screen = ConsoleView.render(state, context: Self.tallContext, theme: .builtInDark, unicode: true)
        let table = PaneFrame.inner(of: layout.steps)
        let firstRow = screen.rowText(table.y + 1).dropFirst(table.x)
        let id = try #require(firstRow.split(separator: " ").first.map(String.init))
        _ = Self.click((table.x + 1, table.y + 1), &state, context: Self.tallContext)
        #expect(state.selectedStep?.id == id)

        let graph = PaneFrame.inner(of: layout.graph)
        let top = try #require((graph.y..<graph.maxY).lazy.compactMap { y in
            Self.cell(of: "leaf-", in: screen, within: Rect(x: graph.x, y: y, width: graph.width, height: 1))
        }.first)
        let label = screen.rowText(top.y).dropFirst(top.x).prefix { $0 != " " }
        _ = Self.click(top, &state, context: Self.tallContext)
        #expect(state.selectedStep?.id == String(label))
    }

    @Test func theWheelScrollsTheTimelineAndTheTable() {
        var state = Self.tallState(events: [.step("root", .running, attempt: 1)])
        state.show(.timeline, true)
        let layout = ConsoleLayout(state)
        Self.wheel(1, at: Self.middle(of: layout.graph), &state, context: Self.tallContext)
        #expect(state.panes.timeline.top == ConsoleUpdate.wheelRows)
        Self.wheel(100, at: Self.middle(of: layout.graph), &state, context: Self.tallContext)
        #expect(state.panes.timeline.top == 41 - TimelineView.visibleRows(height: layout.graph.height - 2))
        Self.wheel(1, at: Self.middle(of: layout.steps), &state, context: Self.tallContext)
        #expect(state.panes.steps.top == ConsoleUpdate.wheelRows)
        Self.wheel(-9, at: Self.middle(of: layout.steps), &state, context: Self.tallContext)
        #expect(state.panes.steps.top == 0)
        #expect(state.focus == .graph && state.selected == 0)
    }

    @Test func theWheelScrollsTheLogAndFollowsAgainAtItsEnd() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        let bytes = Array((1...200).map { "line \($0)\n" }.joined().utf8)
        _ = S.update(&state, .engine(.output(OutputChunk(stepID: "build", stream: .stdout, bytes: bytes))))
        let logs = ConsoleLayout(state).logs
        let rows = S.context.logRows(state)
        Self.wheel(-2, at: Self.middle(of: logs), &state)
        #expect(!state.panes.log.scroll.follows)
        #expect(state.panes.log.scroll.top == 200 - rows - 2 * ConsoleUpdate.wheelRows)
        #expect(state.focus == .graph, "the focus stays where it was")
        Self.wheel(2, at: Self.middle(of: logs), &state)
        #expect(state.panes.log.scroll.follows)
    }

    @Test func theWheelScrollsTheAuditTrailTheDetailsAndTheHelp() throws {
        var events: [RunEvent] = []
        for number in 1...60 { events.append(.command("pause", user: "u\(number)", accepted: false, reason: "no")) }
        var state = S.state(events)
        state.show(.audit, true)
        let layout = ConsoleLayout(state)
        Self.wheel(-1, at: Self.middle(of: layout.logs), &state)
        let newest = state.run.audit.count - (layout.logs.height - 3)
        #expect(!state.panes.audit.follows && state.panes.audit.top == newest - ConsoleUpdate.wheelRows)

        state.show(.notes, true)
        Self.wheel(1, at: Self.middle(of: layout.details), &state)
        #expect(state.panes.notes.top == ConsoleUpdate.wheelRows)
        // Never further than the last row can go, so turning back answers at once.
        Self.wheel(1000, at: Self.middle(of: layout.details), &state)
        let furthest = state.panes.notes.top
        Self.wheel(-1, at: Self.middle(of: layout.details), &state)
        #expect(state.panes.notes.top == max(0, furthest - ConsoleUpdate.wheelRows))
        #expect(state.focus == .graph)

        _ = S.update(&state, .key(.character("?")))
        Self.wheel(2, at: (0, 0), &state)
        #expect(state.dialog?.scroll == 2 * ConsoleUpdate.wheelRows)
        Self.wheel(-9, at: (0, 0), &state)
        #expect(state.dialog?.scroll == 0)
    }

    // MARK: - What the mouse leaves alone

    @Test func whileADialogIsOpenAClickOutsideItDoesNothing() throws {
        var state = S.state([S.step("build", .running, attempt: 1)])
        _ = S.update(&state, .key(.character("q")))
        let dialog = try #require(state.dialog)
        let layout = ConsoleLayout(state)
        #expect(Self.click((layout.steps.x + 2, layout.steps.maxY - 2), &state).isEmpty)
        #expect(try Self.click(on: "q quit", in: layout.footer, &state).isEmpty)
        Self.wheel(3, at: Self.middle(of: layout.steps), &state)
        #expect(state.dialog == dialog)
        #expect(state.selected == 0 && state.panes.steps.top == 0)
    }

    @Test func aClickOnAnApprovalFieldGivesItTheTyping() throws {
        let context = ApprovalDialogInputsTests.context
        var state = AppState(workflow: ApprovalDialogInputsTests.workflow, user: "alice", width: 120, height: 36, now: 1_000_100)
        var started = RunEvent(seq: 1, time: 1_000_000, kind: .runStarted)
        started.steps = ApprovalDialogInputsTests.workflow.stepIDs
        var waiting = RunEvent.step("choose", .waiting)
        waiting.seq = 2
        _ = ConsoleUpdate.update(&state, .engine(.event(started)), context: context)
        _ = ConsoleUpdate.update(&state, .engine(.event(waiting)), context: context)
        _ = ConsoleUpdate.update(&state, .key(.character("a")), context: context)
        #expect(state.dialog?.focus == 0)
        let screen = Rect(x: 0, y: 0, width: state.width, height: state.height)
        _ = try Self.click(on: "comment:", in: screen, &state, context: context)
        #expect(state.dialog?.focus == 2)
        _ = try Self.click(on: "stable", in: screen, &state, context: context)
        #expect(state.dialog?.focus == 1)
        _ = try Self.click(on: "Which version?", in: screen, &state, context: context)
        #expect(state.dialog?.focus == 1, "the dialog's text is no field")
        // Typed keys now go to the field clicked.
        _ = ConsoleUpdate.update(&state, .key(.backspace), context: context)
        #expect(state.dialog?.fields.map(\.value) == ["", "stabl"])
    }

    @Test func otherButtonsTheSearchPromptAndATooSmallTerminalIgnoreClicks() throws {
        var state = S.state()
        let table = PaneFrame.inner(of: ConsoleLayout(state).steps)
        let screen = S.screen(state)
        let gate = try #require(Self.cell(of: "gate", in: screen, within: table))
        for button in [2, 3] {
            _ = S.update(&state, .mouse(MouseEvent(.press, button: button, x: gate.x, y: gate.y)))
        }
        _ = S.update(&state, .mouse(MouseEvent(.release, x: gate.x, y: gate.y)))
        #expect(state.selected == 0 && state.focus == .graph)

        state.panes.log.typing = LineEditor("err")
        _ = Self.click(gate, &state)
        #expect(state.selected == 0 && state.panes.log.typing?.text == "err")

        state.panes.log.typing = nil
        var small = state
        small.width = 50
        _ = Self.click(gate, &small)
        #expect(small.selected == 0)
    }
}
