import Testing
import BatonEngine
import BatonTerminal
@testable import BatonConsole

/// The order of steps within a layer: file order, changed only where that removes crossings,
/// and the same every time a workflow is laid out.
@Suite struct GraphOrderTests {
    static func id(_ layer: Int, _ index: Int) -> String {
        "s\(String(repeating: "0", count: 3 - String(layer).count))\(layer)-\(index < 10 ? "0" : "")\(index)"
    }

    /// Three layers of ten steps, each with the needs `needs(layer, index)` gives.
    static func grid(_ needs: (Int, Int) -> [String]) -> Workflow {
        var spec: [(String, [String])] = []
        for layer in 0..<3 {
            for index in 0..<10 { spec.append((id(layer, index), layer == 0 ? [] : needs(layer, index))) }
        }
        return graphWorkflow(spec, name: "grid")
    }

    @Test func aGridWithoutCrossingsListsEachLayerInFileOrder() {
        let grids = [
            Self.grid { layer, index in [Self.id(layer - 1, index)] },
            Self.grid { layer, _ in (0..<10).map { Self.id(layer - 1, $0) } },
            Self.grid { layer, _ in [Self.id(layer - 1, 0)] },
            Self.grid { layer, index in [Self.id(layer - 1, index), Self.id(layer - 1, min(9, index + 1))] },
            Self.grid { layer, index in [Self.id(layer - 1, index / 2)] },
            Self.grid { layer, index in layer == 1 ? [Self.id(0, index)] : [Self.id(1, index), Self.id(0, index)] },
        ]
        for workflow in grids {
            let layout = GraphLayout(workflow: workflow)
            for column in 0..<3 {
                #expect(layout.steps(inColumn: column) == Array((column * 10)..<(column * 10 + 10)))
            }
        }
    }

    @Test func equalBarycentersKeepFileOrder() {
        // b and c both need a alone: nothing to reduce between them, whatever else moves.
        var ordering = LayerOrdering(
            layers: [[0, 1], [2, 3, 4]], preds: [[], [], [0], [0], [1]], succs: [[2, 3], [4], [], [], []])
        ordering.reduceCrossings(rounds: 4)
        #expect(ordering.layers == [[0, 1], [2, 3, 4]])
        // Crossings are still reduced: d needs a, c needs b.
        var crossed = LayerOrdering(layers: [[0, 1], [2, 3]], preds: [[], [], [1], [0]], succs: [[3], [2], [], []])
        crossed.reduceCrossings(rounds: 4)
        #expect(crossed.totalCrossings() == 0)
    }

    @Test func theSameWorkflowAlwaysDrawsTheSameWay() {
        // Crossings to reduce (each step needs its neighbour, round the ring), so the order moves.
        let ring = Self.grid { layer, index in [Self.id(layer - 1, index), Self.id(layer - 1, (index + 1) % 10)] }
        let first = GraphLayout(workflow: ring), second = GraphLayout(workflow: ring)
        #expect((0..<3).map { first.steps(inColumn: $0) } == (0..<3).map { second.steps(inColumn: $0) })
        let states = Array(repeating: StepState.pending, count: ring.steps.count)
        func screen(_ context: ConsoleContext) -> Buffer {
            var buffer = Buffer(width: 120, height: 14)
            GraphView(layout: context.graph, workflow: ring, states: states, selected: 13, scroll: (0, 0),
                      theme: .builtInDark, unicode: true, compact: false)
                .render(into: &buffer, area: buffer.area)
            return buffer
        }
        let once = screen(ConsoleContext(workflow: ring))
        #expect(once == screen(ConsoleContext(workflow: ring)))
        #expect(once == screen(ConsoleContext(workflow: ring)))
    }
}
