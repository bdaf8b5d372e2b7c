import Testing
import BatonEngine
import BatonTerminal
@testable import BatonConsole

@Suite struct GraphViewTests {
    static let theme = Theme.builtInDark
    static let cycle: [StepState] = [.succeeded, .running, .pending, .failed]

    /// Renders a workflow's graph into a fresh buffer; states cycle through ✔ ▶ · ✘ unless given.
    static func render(
        _ workflow: Workflow, width: Int, height: Int, states: [StepState]? = nil, selected: Int? = nil,
        scroll: (x: Int, y: Int) = (0, 0), unicode: Bool = true, compact: Bool = false, layout: GraphLayout? = nil
    ) -> Buffer {
        let layout = layout ?? GraphLayout(workflow: workflow)
        let states = states ?? workflow.steps.indices.map { cycle[$0 % cycle.count] }
        var buffer = Buffer(width: width, height: height)
        GraphView(layout: layout, workflow: workflow, states: states, selected: selected, scroll: scroll, theme: theme, unicode: unicode, compact: compact)
            .render(into: &buffer, area: buffer.area)
        return buffer
    }

    static let chain = graphWorkflow([("a", []), ("b", ["a"]), ("c", ["b"])])
    static let diamond = graphWorkflow([("a", []), ("b", ["a"]), ("c", ["a"]), ("d", ["b", "c"])])
    static let fan = graphWorkflow([("a", []), ("b", ["a"]), ("c", ["a"]), ("d", ["a"]), ("e", ["b", "c", "d"])])
    static let wide = graphWorkflow([("root", [])] + (1...8).map { ("dep\($0)", ["root"]) })
    static let deploy = graphWorkflow([
        ("plan", []), ("network", ["plan"]), ("database", ["plan"]), ("migrate", ["database"]), ("app", ["plan"]),
        ("load-balancer", ["network", "migrate", "app"]), ("smoke-test", ["load-balancer"]),
        ("approve-release", ["smoke-test"]), ("promote", ["approve-release"]),
    ])

    @Test func aChainIsOneLineOfArrows() {
        #expect(Self.render(Self.chain, width: 20, height: 2).lines == ["✔ a ─›▶ b ─›· c", ""])
    }

    @Test func aDiamondSplitsAndJoins() {
        #expect(Self.render(Self.diamond, width: 20, height: 3).lines == [
            "✔ a ─┬›▶ b ─┬›✘ d",
            "     └›· c ─┘",
            "",
        ])
    }

    @Test func aFanOutAndFanInDrawAsTrunksWithBranches() {
        #expect(Self.render(Self.fan, width: 20, height: 3).lines == [
            "     ┌›▶ b ─┐",
            "✔ a ─┼›· c ─┼›✔ e",
            "     └›✘ d ─┘",
        ])
    }

    @Test func aLongEdgeRunsBelowTheLayerItSkips() {
        let skip = graphWorkflow([("a", []), ("b", ["a"]), ("c", ["a", "b"])])
        #expect(Self.render(skip, width: 20, height: 2).lines == [
            "✔ a ─┬›▶ b ─┬›· c",
            "     └──────┘",
        ])
    }

    @Test func longEdgesIntoOneStepShareALane() {
        let report = graphWorkflow([
            ("a", []), ("b", ["a"]), ("c", ["b"]), ("d", ["c"]), ("x", ["a"]), ("y", ["x"]), ("report", ["a", "b", "c", "d", "x", "y"]),
        ])
        let layout = GraphLayout(workflow: report)
        // Five long edges into `report`, one lane of three slots (not nine).
        #expect(layout.slotRow.count - layout.stepCount == 3)
        #expect(Self.render(report, width: 40, height: 3, states: Array(repeating: .succeeded, count: 7), layout: layout).lines == [
            "     ┌›✔ b ─┬─›✔ c ──┬›✔ d ─┐",
            "✔ a ─┼›✔ x ─│┬›✔ y ─┐│      ├›✔ report",
            "     └──────┴┴──────┴┴──────┘",
        ])
    }

    @Test func theDeployWorkflowReadsLeftToRight() {
        let lines = Self.render(Self.deploy, width: 100, height: 3, states: Array(repeating: .pending, count: 9)).lines
        #expect(lines == [
            "        ┌›· network ──────────────┐",
            "· plan ─┼›· database ─›· migrate ─┼›· load-balancer ─›· smoke-test ─›· approve-release ─›· promote",
            "        └›· app ──────────────────┘",
        ])
    }

    @Test func aWideLayerScrollsToTheSelectedStepAtTheBottom() {
        let layout = GraphLayout(workflow: Self.wide)
        let scroll = layout.scrollOffset(revealing: 8, viewport: (30, 5), current: (0, 0))
        let buffer = Self.render(Self.wide, width: 30, height: 5, states: Array(repeating: .succeeded, count: 9), selected: 8, scroll: scroll, layout: layout)
        #expect(buffer.lines == [
            "✔ root ─┼›✔ dep4      ▲ 3 more",
            "        ├›✔ dep5",
            "        ├›✔ dep6",
            "        ├›✔ dep7",
            "        └›✔ dep8",
        ])
        // The selected node and the edge into it stand out; the other branches do not.
        #expect(buffer[12, 4].style == Self.theme.style(.selection))
        #expect(buffer[8, 4].style == Self.theme.style(.edgeHighlighted))
        #expect(buffer[9, 4].style == Self.theme.style(.edgeHighlighted))
        #expect(buffer[7, 0].style == Self.theme.style(.edgeHighlighted))
        #expect(buffer[8, 0].style == Self.theme.style(.edgeHighlighted))
        #expect(buffer[9, 1].style == Self.theme.style(.edge))
        #expect(buffer[23, 0].style == Self.theme.style(.muted))
    }

    @Test func theSelectionAndItsEdgesAreHighlighted() {
        let buffer = Self.render(Self.diamond, width: 20, height: 2, selected: 1)
        let selection = Self.theme.style(.selection)
        // b's label and the space before it take the selection style; its glyph keeps the state colour.
        #expect(buffer[9, 0].symbol == "b" && buffer[9, 0].style == selection)
        #expect(buffer[8, 0].style == selection)
        #expect(buffer[7, 0].style.background == selection.background)
        #expect(buffer[7, 0].style.foreground == Self.theme.style(for: .running).foreground)
        // a→b and b→d are highlighted; a→c, c→d and the unselected labels are not.
        let lit = Self.theme.style(.edgeHighlighted), plain = Self.theme.style(.edge)
        #expect([4, 5, 6].map { buffer[$0, 0].style } == [lit, lit, lit])
        #expect([11, 12, 13].map { buffer[$0, 0].style } == [lit, lit, lit])
        #expect(buffer[6, 1].style == plain)
        #expect(buffer[11, 1].style == plain)
        #expect(buffer[2, 0].style == Self.theme.style(.text))
        #expect(buffer[0, 0].style == Self.theme.style(for: .succeeded))
        // Without a selection nothing is highlighted.
        let none = Self.render(Self.diamond, width: 20, height: 2)
        #expect(none[5, 0].style == plain && none[9, 0].style == Self.theme.style(.text))
    }

    @Test func crossingEdgesHopOverTracksInsteadOfJoiningThem() {
        // b → c, e and a → c, d: a's line to d crosses nothing, but the grid case below does.
        let crossing = graphWorkflow([("a", []), ("b", []), ("c", ["a", "b"]), ("d", ["a"]), ("e", ["b"]), ("f", ["c", "d", "e"])])
        #expect(Self.render(crossing, width: 20, height: 3, states: Array(repeating: .succeeded, count: 6)).lines == [
            "✔ a ──┬›✔ d ─┐",
            "✔ b ─┬┴›✔ c ─┼›✔ f",
            "     └─›✔ e ─┘",
        ])
        // A straight edge that passes a foreign track leaves the track unbroken ("──│›"): a hop,
        // not a junction.
        let hop = graphWorkflow([("a", []), ("b", []), ("c", []), ("x", ["a"]), ("y", ["b"]), ("z", ["c"]), ("w", ["a", "c"])])
        #expect(Self.render(hop, width: 20, height: 4, states: Array(repeating: .succeeded, count: 7)).lines == [
            "✔ a ──┬›✔ x",
            "✔ b ──│›✔ y",
            "✔ c ─┬┴›✔ w",
            "     └─›✔ z",
        ])
    }

    @Test func asciiModeUsesOnlyAscii() {
        let buffer = Self.render(Self.fan, width: 20, height: 3, unicode: false)
        #expect(buffer.lines == [
            "     +>> b -+",
            "v a -+>. c -+>v e",
            "     +>x d -+",
        ])
        // A succeeded step's glyph is never the corner of an edge or a box.
        #expect(Theme.asciiGlyphs[.succeeded] != "+")
        let long = Self.render(graphWorkflow([("a-very-long-step-name-indeed", [])]), width: 40, height: 1, unicode: false, layout: GraphLayout(workflow: graphWorkflow([("a-very-long-step-name-indeed", [])])).withLabelLimit(10))
        #expect(long.lines == ["v a-very-lo~"])
        let scrolled = Self.render(layeredWorkflow(layers: 10, width: 3), width: 30, height: 3, scroll: (40, 0), unicode: false)
        #expect(scrolled.lines.joined().allSatisfy { $0.isASCII })
    }

    @Test func indicatorsCountTheStepsOffScreen() {
        let chain = graphWorkflow((0..<10).map { ("s\($0)", $0 == 0 ? [] : ["s\($0 - 1)"]) })
        let layout = GraphLayout(workflow: chain)
        let x = layout.nodeRect(4).x - 2
        let lines = Self.render(chain, width: 20, height: 1, states: Array(repeating: .succeeded, count: 10), scroll: (x, 0), layout: layout).lines
        #expect(lines == ["◀ 4 s4 ─›✔ s5 ─› 3 ▶"])
        // The scroll is clamped to the drawing.
        let clamped = Self.render(chain, width: 20, height: 1, states: Array(repeating: .succeeded, count: 10), scroll: (999, 9), layout: layout).lines
        #expect(clamped == ["◀ 7 s7 ─›✔ s8 ─›✔ s9"])
        // On a taller pane they go under the drawing, not over it.
        let tall = Self.render(chain, width: 20, height: 4, states: Array(repeating: .succeeded, count: 10), scroll: (x, 0), layout: layout).lines
        #expect(tall == ["─›✔ s4 ─›✔ s5 ─›✔ s6", "◀ 4              3 ▶", "", ""])
    }

    @Test func aScrolledWindowMatchesTheSameCellsOfTheWholeDrawing() {
        let workflow = layeredWorkflow(layers: 8, width: 6)
        let layout = GraphLayout(workflow: workflow)
        let whole = Self.render(workflow, width: layout.size.width, height: layout.size.height, selected: 20, layout: layout)
        for (x, y) in [(0, 0), (13, 2), (37, 1), (layout.size.width - 25, 3)] {
            let window = Self.render(workflow, width: 25, height: 3, selected: 20, scroll: (x, y), layout: layout)
            for row in 0..<3 {
                for column in 0..<25 where window[column, row].style != Self.theme.style(.muted) {
                    #expect(window[column, row] == whole[x + column, y + row], "at \(x + column),\(y + row)")
                }
            }
        }
    }

    @Test func compactModeListsStepsWithWhatTheyNeed() {
        let buffer = Self.render(Self.deploy, width: 40, height: 9, states: Array(repeating: .pending, count: 9), selected: 5, compact: true)
        #expect(buffer.lines == [
            "1 · plan",
            "2 · network         ← plan",
            "  · database        ← plan",
            "  · app             ← plan",
            "3 · migrate         ← database",
            "4 · load-balancer   ← network, +2",
            "5 · smoke-test      ← load-balancer",
            "6 · approve-release ← smoke-test",
            "7 · promote         ← approve-release",
        ])
        let selection = Self.theme.style(.selection), lit = Self.theme.style(.edgeHighlighted)
        #expect(buffer[4, 5].style == selection)
        #expect(buffer[39, 5].style == selection)
        #expect(buffer[0, 5].style == Self.theme.style(.muted))
        // Its needs and its dependent are highlighted; unrelated steps are not.
        #expect(buffer[4, 1].style == lit && buffer[4, 4].style == lit && buffer[4, 6].style == lit)
        #expect(buffer[4, 2].style == Self.theme.style(.text))
    }

    @Test func compactModeFitsNarrowPanesAndScrolls() {
        let layout = GraphLayout(workflow: Self.deploy)
        let scroll = layout.scrollOffset(revealing: 8, viewport: (24, 4), current: (0, 0), compact: true)
        #expect(scroll == (0, 5))
        let buffer = Self.render(Self.deploy, width: 24, height: 4, states: Array(repeating: .succeeded, count: 9), selected: 8, scroll: scroll, compact: true)
        #expect(buffer.lines == [
            "4 ✔ load-bala…  ▲ 5 more",
            "5 ✔ smoke-test ← load-b…",
            "6 ✔ approve-r… ← smoke-…",
            "7 ✔ promote    ← approv…",
        ])
        #expect(GraphView.fitList(["network", "migrate", "app"], width: 16, unicode: true) == "network, +2")
        #expect(GraphView.fitList(["network", "migrate", "app"], width: 9, unicode: true) == "netw…, +2")
        #expect(GraphView.fitList(["network", "migrate", "app"], width: 5, unicode: true) == "+3")
        #expect(GraphView.fitList(["network", "migrate", "app"], width: 21, unicode: true) == "network, migrate, app")
    }

    @Test func aThousandStepsRenderAtAnySize() {
        let workflow = layeredWorkflow(layers: 50, width: 20)
        let layout = GraphLayout(workflow: workflow)
        let selected = 517
        for compact in [false, true] {
            let scroll = layout.scrollOffset(revealing: selected, viewport: (80, 24), current: (0, 0), compact: compact)
            let big = Self.render(workflow, width: 80, height: 24, selected: selected, scroll: scroll, compact: compact, layout: layout)
            #expect(big.lines.filter { !$0.isEmpty }.count >= 20)
            let label = workflow.steps[selected].id
            #expect(big.lines.contains { $0.contains(label) })
            let tiny = Self.render(workflow, width: 1, height: 1, selected: selected, scroll: scroll, compact: compact, layout: layout)
            #expect(tiny.lines.count == 1)
            var empty = Buffer(width: 5, height: 5)
            GraphView(layout: layout, workflow: workflow, states: [], selected: nil, scroll: (-4, -4), theme: Self.theme, unicode: true, compact: compact)
                .render(into: &empty, area: Rect(x: 2, y: 2, width: 0, height: 3))
            #expect(empty.lines.allSatisfy { $0.isEmpty })
        }
    }

    @Test func aLayoutForAnotherWorkflowIsNotDrawn() {
        let buffer = Self.render(Self.chain, width: 20, height: 1, layout: GraphLayout(workflow: Self.fan))
        #expect(buffer.lines == ["graph out of date"])
    }

    /// A small deterministic generator, so a failure reproduces.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(max(1, bound)))
        }
    }

    @Test func randomGraphsDrawEveryEdgeAsALineClearOfNodes() {
        var random = Generator(state: 7)
        let lineSymbols = Set("─│┌┐└┘├┤┬┴┼›".map(String.init))
        for trial in 0..<40 {
            let count = 2 + random.next(40)
            let spec: [(String, [String])] = (0..<count).map { index in
                let needs = index == 0 ? [] : (0..<random.next(4)).map { _ in "s\(max(0, index - 1 - random.next(10)))" }
                return ("s\(index)", needs)
            }
            let workflow = graphWorkflow(spec)
            let layout = GraphLayout(workflow: workflow)
            let buffer = Self.render(workflow, width: layout.size.width, height: layout.size.height, layout: layout)
            var nodeCells = Set<Int>()
            for step in 0..<count {
                let rect = layout.nodeRect(step)
                for x in rect.x..<rect.maxX { nodeCells.insert(rect.y * layout.size.width + x) }
            }
            for step in 0..<count {
                for need in layout.needs[step] {
                    guard let path = layout.edgeSegments(from: need, to: step) else {
                        Issue.record("trial \(trial): no path \(need)→\(step)")
                        continue
                    }
                    let cells = path.flatMap(\.cells)
                    #expect(cells.allSatisfy { !nodeCells.contains($0.y * layout.size.width + $0.x) }, "trial \(trial): \(need)→\(step) crosses a node")
                    #expect(cells.allSatisfy { lineSymbols.contains(buffer[$0.x, $0.y].symbol) }, "trial \(trial): \(need)→\(step) has a gap")
                    #expect(cells.last.map { buffer[$0.x, $0.y].symbol } == "›")
                }
            }
        }
    }
}
