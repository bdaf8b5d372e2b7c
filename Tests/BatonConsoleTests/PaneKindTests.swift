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
}
