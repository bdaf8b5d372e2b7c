import Foundation
import Testing
import BatonEngine
import BatonTerminal
@testable import BatonConsole

/// The selected step's edges, lit: exactly its needs and dependents, and read on their own
/// where other edges share their cells.
@Suite struct GraphHighlightTests {
    static let theme = Theme.builtInDark

    static func render(_ workflow: Workflow, selected: Int, width: Int = 160) -> (Buffer, GraphLayout) {
        let layout = GraphLayout(workflow: workflow)
        var buffer = Buffer(width: width, height: layout.size.height)
        GraphView(layout: layout, workflow: workflow, states: Array(repeating: .pending, count: workflow.steps.count),
                  selected: selected, scroll: (0, 0), theme: theme, unicode: true, compact: false)
            .render(into: &buffer, area: buffer.area)
        return (buffer, layout)
    }

    /// Where each box-drawing character has lines.
    static let directions: [String: [(Int, Int)]] = [
        "─": [(-1, 0), (1, 0)], "│": [(0, -1), (0, 1)], "┌": [(1, 0), (0, 1)], "┐": [(-1, 0), (0, 1)],
        "└": [(1, 0), (0, -1)], "┘": [(-1, 0), (0, -1)], "├": [(0, -1), (0, 1), (1, 0)], "┤": [(0, -1), (0, 1), (-1, 0)],
        "┬": [(-1, 0), (1, 0), (0, 1)], "┴": [(-1, 0), (1, 0), (0, -1)], "┼": [(-1, 0), (1, 0), (0, -1), (0, 1)],
    ]

    /// Checks that the lit cells are exactly the cells of the selection's edges, and that each
    /// lit line leads only to lit cells: no lit junction opens onto another edge.
    static func expectLitIsExactlyTheSelection(_ workflow: Workflow, selected: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let (buffer, layout) = render(workflow, selected: selected)
        let lit = theme.style(.edgeHighlighted)
        var expected = Set<[Int]>()
        for need in layout.needs[selected] {
            for cell in (layout.edgeSegments(from: need, to: selected) ?? []).flatMap(\.cells) { expected.insert([cell.x, cell.y]) }
        }
        for dependent in layout.dependents[selected] {
            for cell in (layout.edgeSegments(from: selected, to: dependent) ?? []).flatMap(\.cells) { expected.insert([cell.x, cell.y]) }
        }
        var litCells = Set<[Int]>()
        for y in 0..<buffer.height {
            for x in 0..<buffer.width where buffer[x, y].style == lit { litCells.insert([x, y]) }
        }
        #expect(litCells == expected, "lit cells differ from the selection's edges", sourceLocation: sourceLocation)
        // A lit turn or junction may open only onto the selection's edges or onto the trunks
        // they share by design (a net: every source of it feeds every target of it).
        var ownNets = Set<Int>()
        for need in layout.needs[selected] {
            for piece in layout.chain(from: need, to: selected) ?? [] { ownNets.insert(layout.pieceNet[piece]) }
        }
        for dependent in layout.dependents[selected] {
            for piece in layout.chain(from: selected, to: dependent) ?? [] { ownNets.insert(layout.pieceNet[piece]) }
        }
        var allowed = litCells
        for piece in layout.pieceFrom.indices where ownNets.contains(layout.pieceNet[piece]) {
            for cell in layout.segments(ofPiece: piece).flatMap(\.cells) { allowed.insert([cell.x, cell.y]) }
        }
        for cell in litCells {
            let symbol = buffer[cell[0], cell[1]].symbol
            guard symbol != "─" && symbol != "│" else { continue }
            for (dx, dy) in directions[symbol] ?? [] {
                let next = [cell[0] + dx, cell[1] + dy]
                #expect(allowed.contains(next), "lit \(symbol) at \(cell) opens onto another edge", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func theDataPipelineDemoShowsWhichTransformEachExtractFeeds() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let workflow = try WorkflowLoader.load(contentsOf: root + "/demo/data-pipeline.yaml")
        for step in workflow.steps.indices { Self.expectLitIsExactlyTheSelection(workflow, selected: step) }
        // extract-apac's run shares its row with edges into transform-latam: lit, it turns up to
        // transform-apac and goes no further along that row.
        let apac = try #require(workflow.position(of: "extract-apac"))
        let (buffer, layout) = Self.render(workflow, selected: apac)
        let row = layout.nodeRect(apac).y
        let text = (0..<buffer.width).map { buffer[$0, row].symbol }.joined()
        let litText = (0..<buffer.width).filter { buffer[$0, row].style == Self.theme.style(.edgeHighlighted) }.map { buffer[$0, row].symbol }.joined()
        #expect(text.contains("extract-apac"))
        #expect(litText.hasSuffix("┘") || litText.hasSuffix("┐"), "\(text) lit: \(litText)")
    }

    @Test func aBundleOfLanesLightsOnlyTheSelectedStepsEdges() {
        // Four sources, each feeding a target two layers on and the next target over: their
        // lanes bundle and their runs share rows.
        var spec: [(String, [String])] = [("root", [])]
        for index in 0..<4 { spec.append(("src\(index)", ["root"])) }
        for index in 0..<4 { spec.append(("mid\(index)", ["src\(index)"])) }
        for index in 0..<4 { spec.append(("dst\(index)", ["mid\(index)", "src\((index + 1) % 4)", "root"])) }
        let workflow = graphWorkflow(spec)
        for step in workflow.steps.indices { Self.expectLitIsExactlyTheSelection(workflow, selected: step) }
        let ring = GraphOrderTests.grid { layer, index in [GraphOrderTests.id(layer - 1, index), GraphOrderTests.id(layer - 1, (index + 3) % 10)] }
        for step in ring.steps.indices { Self.expectLitIsExactlyTheSelection(ring, selected: step) }
    }
}
