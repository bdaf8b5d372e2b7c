import Testing
import BatonEngine
import BatonTerminal
@testable import BatonConsole

/// Builds a workflow from (id, needs) pairs.
func graphWorkflow(_ spec: [(String, [String])], name: String = "graph") -> Workflow {
    Workflow(name: name, steps: spec.map { Step(id: $0.0, run: "true", needs: $0.1) })
}

/// `layers` layers of `width` steps; each step after the first layer needs two steps of the previous one.
func layeredWorkflow(layers: Int, width: Int) -> Workflow {
    var spec: [(String, [String])] = []
    for layer in 0..<layers {
        for index in 0..<width {
            let needs = layer == 0 ? [] : ["s\(layer - 1)-\(index)", "s\(layer - 1)-\((index * 7 + 3) % width)"]
            spec.append(("s\(layer)-\(index)", needs))
        }
    }
    return graphWorkflow(spec, name: "layered")
}

@Suite struct GraphLayoutTests {
    static let chain = graphWorkflow([("a", []), ("b", ["a"]), ("c", ["b"])])
    static let fan = graphWorkflow([("a", []), ("b", ["a"]), ("c", ["a"]), ("d", ["a"]), ("e", ["b", "c", "d"])])
    static let skip = graphWorkflow([("a", []), ("b", ["a"]), ("c", ["a", "b"])])

    @Test func aChainIsOneRowOfColumnsLeftToRight() {
        let layout = GraphLayout(workflow: Self.chain)
        #expect(layout.columnCount == 3)
        #expect(layout.nodeRect(0) == Rect(x: 0, y: 0, width: 3, height: 1))
        #expect(layout.nodeRect(1) == Rect(x: 6, y: 0, width: 3, height: 1))
        #expect(layout.nodeRect(2) == Rect(x: 12, y: 0, width: 3, height: 1))
        #expect(layout.size.width == 15 && layout.size.height == 1)
        #expect(layout.edgeSegments(from: 0, to: 1) == [GraphSegment(x0: 4, y0: 0, x1: 5, y1: 0)])
        #expect(layout.edgeSegments(from: 0, to: 2) == nil)
    }

    @Test func columnsAreAsWideAsTheirLongestLabelUpToTheLimit() {
        let long = String(repeating: "x", count: 40)
        let layout = GraphLayout(workflow: graphWorkflow([("a", []), ("bb", ["a"]), (long, ["a"])]))
        #expect(layout.nodeRect(1).width == 4)
        #expect(layout.nodeRect(2).width == 2 + GraphLayout.maximumLabelWidth)
        #expect(layout.nodeRect(1).x == layout.nodeRect(2).x)
    }

    @Test func aFanOutSharesOneTrunkAndAFanInAnother() throws {
        let layout = GraphLayout(workflow: Self.fan)
        #expect(layout.channelTracks == [1, 1])
        // b, c, d stacked in the middle column; a and e level with c.
        #expect([1, 2, 3].map { layout.nodeRect($0).y } == [0, 1, 2])
        #expect(layout.nodeRect(0).y == 1 && layout.nodeRect(4).y == 1)
        let trunks = try [1, 2, 3].map { target in
            try #require(layout.edgeSegments(from: 0, to: target)).first { !$0.isHorizontal && $0.y0 != $0.y1 }?.x0
        }
        // a→c is straight through the junction; a→b and a→d turn on the same track.
        #expect(trunks[0] != nil && trunks[0] == trunks[2])
        let fanIn = try [1, 3].map { source in try #require(layout.edgeSegments(from: source, to: 4)).first { !$0.isHorizontal }?.x0 }
        #expect(fanIn[0] != nil && fanIn[0] == fanIn[1])
    }

    @Test func anEdgeThatSkipsALayerRunsThroughALaneNotANode() throws {
        let layout = GraphLayout(workflow: Self.skip)
        let path = try #require(layout.edgeSegments(from: 0, to: 2))
        let cells = path.flatMap(\.cells)
        for step in 0..<3 {
            let rect = layout.nodeRect(step)
            #expect(!cells.contains { rect.contains(x: $0.x, y: $0.y) }, "edge a→c crosses \(step)")
        }
        // It passes the middle column on a row of its own and ends at the arrow before c.
        let middle = layout.nodeRect(1)
        #expect(cells.contains { $0.x == middle.x && $0.y != middle.y })
        let target = layout.nodeRect(2)
        #expect(path.last.map { ($0.x1, $0.y1) } ?? (0, 0) == (target.x - 1, target.y))
    }

    @Test func nodesAreOrderedToAvoidCrossings() {
        // In file order c (needs b) comes before d (needs a): drawing them so would cross.
        let layout = GraphLayout(workflow: graphWorkflow([("a", []), ("b", []), ("c", ["b"]), ("d", ["a"])]))
        let aAbove = layout.nodeRect(0).y < layout.nodeRect(1).y
        let dAbove = layout.nodeRect(3).y < layout.nodeRect(2).y
        #expect(aAbove == dAbove)
        #expect(layout.channelTracks == [0])
    }

    @Test func crossingCountIsExact() {
        // Two edges 0→1 and 1→0 between two layers of two cross once.
        let ordering = LayerOrdering(layers: [[0, 1], [2, 3]], preds: [[], [], [1], [0]], succs: [[3], [2], [], []])
        #expect(ordering.crossings(below: 0) == 1)
        var reduced = ordering
        reduced.reduceCrossings(rounds: 4)
        #expect(reduced.totalCrossings() == 0)
    }

    @Test func swappingNeighboursRemovesWhatSweepsLeave() {
        // Edges 0→3 and 1→2 cross; swapping 2 and 3 removes the crossing.
        var ordering = LayerOrdering(layers: [[0, 1], [2, 3]], preds: [[], [], [1], [0]], succs: [[3], [2], [], []])
        ordering.transpose(rounds: 2)
        #expect(ordering.layers != [[0, 1], [2, 3]])
        #expect(ordering.totalCrossings() == 0)
    }

    @Test func aLongEdgeKeepsOneRowAcrossTheColumnsItSkips() throws {
        let workflow = graphWorkflow([
            ("checkout", []), ("lint", ["checkout"]), ("build", ["checkout"]), ("unit", ["checkout"]),
            ("integration", ["build"]), ("package", ["build"]), ("staging", ["package", "unit", "integration", "lint"]),
            ("smoke", ["staging"]), ("prod", ["smoke"]), ("notify", ["prod", "checkout"]), ("audit", ["checkout", "staging"]),
        ])
        let layout = GraphLayout(workflow: workflow)
        let path = try #require(layout.edgeSegments(from: 0, to: 9))
        // checkout → notify skips five columns on one straight lane: it turns only to reach the
        // lane and to leave it.
        #expect(path.filter { !$0.isHorizontal }.count == 2)
        #expect(Set(path.filter(\.isHorizontal).map(\.y0)).count == 2)
    }

    @Test func rowsStayOrderedDistinctAndInsideTheHeight() {
        #expect(GraphLayoutBuilder.isotonicRows(targets: [2, 2, 2], weights: [1, 1, 1], height: 5) == [1, 2, 3])
        #expect(GraphLayoutBuilder.isotonicRows(targets: [9, 0], weights: [1, 1], height: 3) == [1, 2])
        #expect(GraphLayoutBuilder.isotonicRows(targets: [0, 0, 4], weights: [1, 1, 1], height: 5) == [0, 1, 4])
        #expect(GraphLayoutBuilder.isotonicRows(targets: [-3], weights: [1], height: 2) == [0])
    }

    @Test func neighboursFollowColumnsAndPreferLinkedSteps() {
        let layout = GraphLayout(workflow: Self.fan)
        #expect(layout.neighbor(of: 2, toward: .up) == 1)
        #expect(layout.neighbor(of: 2, toward: .down) == 3)
        #expect(layout.neighbor(of: 1, toward: .up) == nil)
        #expect(layout.neighbor(of: 3, toward: .down) == nil)
        #expect(layout.neighbor(of: 0, toward: .right) == 2)
        #expect(layout.neighbor(of: 3, toward: .right) == 4)
        #expect(layout.neighbor(of: 4, toward: .left) == 2)
        #expect(layout.neighbor(of: 0, toward: .left) == nil)
        #expect(layout.neighbor(of: 4, toward: .right) == nil)
        // Left prefers a need even when another step of that column is closer.
        let uneven = GraphLayout(workflow: graphWorkflow([("r0", []), ("r1", []), ("r2", []), ("p", ["r0"]), ("q", ["r0"]), ("s", ["r0"])]))
        #expect(uneven.nodeRect(5).y == uneven.nodeRect(2).y)
        #expect(uneven.neighbor(of: 5, toward: .left) == 0)
        #expect(uneven.neighbor(of: 2, toward: .right) == 5)
        // Without a link in the adjacent column, the nearest step there.
        let skip = GraphLayout(workflow: Self.skip)
        #expect(skip.neighbor(of: 0, toward: .right) == 1)
        #expect(skip.neighbor(of: 2, toward: .left) == 1)
    }

    @Test func compactNeighboursAreListRowsNeedsAndDependents() {
        let layout = GraphLayout(workflow: Self.fan)
        #expect(layout.compactRows == [0, 1, 2, 3, 4])
        #expect(layout.neighbor(of: 2, toward: .down, compact: true) == 3)
        #expect(layout.neighbor(of: 0, toward: .up, compact: true) == nil)
        #expect(layout.neighbor(of: 4, toward: .left, compact: true) == 3)
        #expect(layout.neighbor(of: 1, toward: .right, compact: true) == 4)
        #expect(layout.neighbor(of: 0, toward: .left, compact: true) == nil)
    }

    @Test func compactRowsAreATopologicalOrder() {
        let workflow = layeredWorkflow(layers: 6, width: 7)
        let layout = GraphLayout(workflow: workflow)
        #expect(layout.compactRows.count == workflow.steps.count)
        #expect(Set(layout.compactRows).count == workflow.steps.count)
        for step in workflow.steps.indices {
            for need in layout.needs[step] {
                #expect(layout.compactRow(of: need)! < layout.compactRow(of: step)!)
            }
        }
    }

    @Test func scrollingRevealsTheStepWithAMarginAndMovesNoMoreThanNeeded() {
        let wide = GraphLayout(workflow: graphWorkflow([("root", [])] + (1...8).map { ("dep\($0)", ["root"]) }))
        let viewport = (width: 30, height: 5)
        // Already visible: no change.
        #expect(wide.scrollOffset(revealing: 2, viewport: viewport, current: (0, 0)) == (0, 0))
        // The last dependent (row 7): scrolled to the bottom of the drawing.
        #expect(wide.scrollOffset(revealing: 8, viewport: viewport, current: (0, 0)) == (0, 3))
        // Back to the first: its row and no margin above row 0.
        #expect(wide.scrollOffset(revealing: 1, viewport: viewport, current: (0, 3)) == (0, 0))
        // A row in the middle from below keeps one row of margin above it.
        #expect(wide.scrollOffset(revealing: 4, viewport: viewport, current: (0, 3)) == (0, 2))
        // Horizontally: a long chain scrolls right to show the last node and its arrow.
        let long = GraphLayout(workflow: graphWorkflow((0..<10).map { ("s\($0)", $0 == 0 ? [] : ["s\($0 - 1)"]) }))
        let last = long.nodeRect(9)
        let offset = long.scrollOffset(revealing: 9, viewport: (20, 3), current: (0, 0))
        #expect(offset.x + 20 >= last.maxX && offset.x <= last.x - 2)
        #expect(offset.x == long.size.width - 20)
        let back = long.scrollOffset(revealing: 3, viewport: (20, 3), current: offset)
        #expect(back.x == long.nodeRect(3).x - 2)
        // Compact mode scrolls rows only.
        #expect(wide.scrollOffset(revealing: 8, viewport: (30, 4), current: (5, 0), compact: true) == (0, 5))
    }

    @Test func fittingCutsLabelsToTheNarrowestThatFits() {
        let workflow = graphWorkflow([("plan", []), ("database-servers", ["plan"]), ("load-balancer", ["database-servers"])])
        let layout = GraphLayout(workflow: workflow)
        #expect(layout.size.width == 6 + 3 + 18 + 3 + 15)
        let fitted = layout.fitted(toWidth: 40)
        #expect(fitted.size.width <= 40)
        #expect(fitted.labelLimit == 12)
        #expect(fitted.nodeRect(1).width == 14)
        #expect(layout.withLabelLimit(13).size.width > 40)
        #expect(layout.fitted(toWidth: 200).labelLimit == GraphLayout.maximumLabelWidth)
        let tiny = layout.fitted(toWidth: 10)
        #expect(tiny.labelLimit == GraphLayout.minimumLabelWidth)
        #expect(tiny.needsCompactMode(width: 10))
    }

    @Test func aThousandStepsLayOutWithEveryEdgeClearOfEveryNode() {
        let workflow = layeredWorkflow(layers: 50, width: 20)
        let layout = GraphLayout(workflow: workflow)
        #expect(layout.columnCount == 50)
        #expect(layout.size.height == 20)
        var occupied: [Int: Int] = [:]
        for step in workflow.steps.indices {
            let rect = layout.nodeRect(step)
            for x in rect.x..<rect.maxX { occupied[rect.y * layout.size.width + x] = step }
        }
        #expect(occupied.count == workflow.steps.indices.reduce(0) { $0 + layout.nodeRect($1).width })
        for step in workflow.steps.indices {
            for need in layout.needs[step] {
                guard let path = layout.edgeSegments(from: need, to: step) else {
                    Issue.record("no path \(need)→\(step)")
                    continue
                }
                for cell in path.flatMap(\.cells) where occupied[cell.y * layout.size.width + cell.x] != nil {
                    Issue.record("edge \(need)→\(step) crosses a node at \(cell)")
                }
            }
        }
    }

    @Test func aCycleOrAnEmptyWorkflowDoesNotBreakTheLayout() {
        let cyclic = GraphLayout(workflow: graphWorkflow([("a", []), ("b", ["a", "c"]), ("c", ["b"])]))
        #expect(cyclic.stepCount == 3)
        #expect(cyclic.compactRows.count == 3)
        let empty = GraphLayout(workflow: Workflow(name: "empty", steps: []))
        #expect(empty.size.width == 0 && empty.size.height == 0)
        #expect(empty.neighbor(of: 0, toward: .down) == nil)
        #expect(empty.scrollOffset(revealing: 0, viewport: (10, 10), current: (3, 3)) == (0, 0))
    }
}
