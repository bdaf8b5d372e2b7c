import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// One pane model: each slot shows one `PaneKind`, its key switches it to the slot's other
/// kind, and the view draws whichever a slot shows, framed and titled.
@Suite struct PaneKindTests {
    typealias S = ConsoleTestSupport

    @Test func everyKindHasASlotAndAlternativesStayInTheirSlot() {
        for kind in PaneKind.allCases {
            if let other = kind.alternative {
                #expect(other.slot == kind.slot && other.alternative == kind, "\(kind)")
            }
        }
        #expect(Set(Pane.allCases.map(PaneKind.standard(in:))) == [.graph, .steps, .log, .details])
        #expect(Set(PaneKind.allCases.map(\.slot)) == Set(Pane.allCases))
    }

    @Test(arguments: [(Character("t"), PaneKind.timeline, "Timeline — "), ("A", .audit, "Audit — "), ("i", .notes, "Notes — ")])
    func aKeySwitchesItsSlotAndTheViewDrawsIt(key: Character, kind: PaneKind, title: String) {
        var state = S.state()
        #expect(!state.shows(kind) && state.content(of: kind.slot) == PaneKind.standard(in: kind.slot))
        _ = S.update(&state, .key(.character(key)))
        #expect(state.shows(kind))
        let frame = ConsoleLayout(state).rect(of: kind.slot)
        let top = S.screen(state).lines[frame.y]
        #expect(String(top.dropFirst(frame.x)).hasPrefix("┌─ " + title), "\(top)")
        _ = S.update(&state, .key(.character(key)))
        #expect(state.content(of: kind.slot) == PaneKind.standard(in: kind.slot))
    }

    @Test func listPagesAreTheRowsUnderTheHeadingInsideTheFrame() {
        let layout = ConsoleLayout(S.state(width: 100, height: 30))
        for pane in Pane.allCases {
            #expect(layout.inner(pane) == layout.rect(of: pane).inset(by: 1))
            #expect(layout.listRows(pane) == layout.rect(of: pane).height - 3)
        }
    }

    @Test func everyKindHasAPaneTypeWhoseKeysAreInTheKeymap() {
        for kind in PaneKind.allCases {
            let pane = kind.pane
            #expect(pane.kind == kind, "\(kind)")
            #expect(!pane.keys.isEmpty && Set(pane.keys).count == pane.keys.count, "\(kind)")
            for action in pane.keys {
                #expect(Keymap.standard.binding(for: action) != nil, "\(kind): \(action) has no key")
            }
            if let alternative = kind.alternative {
                let shared = Set(pane.keys).intersection(alternative.pane.keys).filter { !$0.isMovement }
                #expect(!shared.isEmpty, "the key that switches \(kind) and \(alternative) acts in both")
            }
        }
        #expect(Set(PaneKind.allCases.map { $0.pane.name }).count == PaneKind.allCases.count)
    }

    @Test(arguments: [(PaneKind.graph, "Graph — 5 steps"), (.timeline, "Timeline — "), (.steps, "Steps"), (.log, "Log: build"),
                      (.audit, "Audit — "), (.details, "Details"), (.notes, "Notes — ")])
    func eachKindDrawsItsSlotThroughItsType(kind: PaneKind, title: String) {
        var state = S.state([S.step("build", .running, attempt: 1)])
        state.show(kind)
        let rect = ConsoleLayout(state).rect(of: kind.slot)
        let screen = S.screen(state)
        #expect(String(screen.lines[rect.y].dropFirst(rect.x)).hasPrefix("┌─ " + title), "\(screen.lines[rect.y])")
        // What the view draws in the slot is what the kind's type draws there.
        var alone = Buffer(width: state.width, height: state.height)
        let drawing = PaneDrawing(state: state, context: S.context, states: state.workflow.steps.indices.map(state.stepState),
                                  grouping: S.context.grouping(state), theme: .builtInDark, unicode: true, rect: rect, focused: state.focus == kind.slot)
        kind.pane.render(drawing, into: &alone)
        for y in rect.y..<rect.maxY {
            for x in rect.x..<rect.maxX where screen[x, y].symbol != alone[x, y].symbol {
                Issue.record("\(kind) differs at \(x),\(y)")
                return
            }
        }
    }

    @Test func theMovementKeysMoveThePaneThatHasTheFocus() {
        var state = S.state(height: 16, [S.step("build", .running, attempt: 1)])
        let bytes = Array((1...200).map { "line \($0)\n" }.joined().utf8)
        _ = S.update(&state, .engine(.output(OutputChunk(stepID: "build", stream: .stdout, bytes: bytes))))

        var graph = state
        _ = S.update(&graph, .key(.character("l")))
        #expect(graph.selected != 0, "the graph goes to a step that needs build")
        var steps = state
        steps.focus = .steps
        _ = S.update(&steps, .key(.character("j")), .key(.right))
        #expect(steps.selected == 1 && steps.panes.steps.column == ListScroll.sidewaysStep)
        var timeline = state
        timeline.show(.timeline)
        _ = S.update(&timeline, .key(.character("j")))
        #expect(timeline.selected == 1)
        var log = state
        log.focus = .logs
        _ = S.update(&log, .key(.character("k")))
        #expect(!log.panes.log.scroll.follows && log.panes.log.scroll.top == 200 - S.context.logRows(log) - 1)
        #expect(log.selected == 0 && log.panes.steps == state.panes.steps, "only the focused pane moves")

        for kind in [PaneKind.details, .notes] {
            var shown = state
            shown.show(kind)
            shown.focus = .details
            _ = S.update(&shown, .key(.character("j")))
            let scroll = kind == .details ? shown.panes.details : shown.panes.notes
            #expect(scroll.top == 1, "\(kind)")
            _ = S.update(&shown, .key(.character("G")))
            let inner = ConsoleLayout(shown).inner(.details)
            let lines = kind == .details ? DetailsView(state: shown, plan: S.context.plan, theme: .builtInDark).lines()
                : NotesView(state: shown, plan: S.context.plan, theme: .builtInDark).lines()
            let last = ListScroll.lastTop(count: TextWrap.rowCount(lines, width: inner.width), visible: inner.height)
            #expect((kind == .details ? shown.panes.details : shown.panes.notes).top == last && last > 1, "\(kind): G reaches the last row")
            // ← is no key of these panes: nothing moves.
            let before = shown.panes
            _ = S.update(&shown, .key(.left))
            #expect(shown.panes == before && shown.selected == 0, "\(kind)")
        }
    }

    @Test func theHelpSaysWhichKeysActInWhichPane() {
        let lines = HelpText.lines()
        for kind in PaneKind.allCases {
            let pane = kind.pane
            let line = lines.first { $0.hasPrefix("  \(pane.name) ") }
            #expect(line != nil, "\(kind)")
            for action in pane.keys where !action.isMovement {
                let binding = Keymap.standard.binding(for: action)!
                #expect(line?.contains("\(binding.keys[0].name) \(binding.label)") == true, "\(kind): \(action)")
            }
        }
        #expect(lines.contains { $0.hasPrefix("  Details ") && !$0.contains("Left") })
        #expect(lines.contains { $0.hasPrefix("  Audit ") && $0.contains("w wrap") })
    }
}
