/// Longest-path layering of a workflow's steps, for drawing and listing the graph.
///
/// A step with no needs sits in layer 0; any other step sits one layer after the deepest
/// step it needs, so every edge points from a lower layer to a higher one and each layer
/// holds steps that could, in principle, run at the same time. Steps keep file order within
/// a layer. Needs that name no step are ignored, as `Plan` ignores them.
public struct GraphLayers: Sendable {
    /// The step positions (indexes into `workflow.steps`) of each layer, first layer first.
    ///
    /// A validated workflow is a DAG. Should one not be, the steps on a cycle and every step
    /// downstream of one share a last layer of their own rather than being dropped.
    public static func assign(_ workflow: Workflow) -> [[Int]] {
        assign(Plan(workflow: workflow))
    }

    /// The same, from the workflow's plan, when the caller has made it already.
    public static func assign(_ plan: Plan) -> [[Int]] {
        layers(of: layerIndexes(plan))
    }

    /// The layer of each step, by file position. Linear in steps plus edges.
    static func layerIndexes(_ plan: Plan) -> [Int] {
        var layer = Array(repeating: -1, count: plan.needs.count)
        var deepest = -1
        for index in plan.topologicalOrder {
            var mine = 0
            for need in plan.needs[index] where layer[need] + 1 > mine { mine = layer[need] + 1 }
            layer[index] = mine
            if mine > deepest { deepest = mine }
        }
        // Steps the topological order left out are on, or after, a cycle.
        for index in layer.indices where layer[index] < 0 { layer[index] = deepest + 1 }
        return layer
    }

    /// Groups step positions by layer, keeping file order within each layer.
    static func layers(of layerIndexes: [Int]) -> [[Int]] {
        guard let count = layerIndexes.max().map({ $0 + 1 }) else { return [] }
        var layers = Array(repeating: [Int](), count: count)
        for (index, layer) in layerIndexes.enumerated() { layers[layer].append(index) }
        return layers
    }
}
