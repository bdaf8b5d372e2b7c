import BatonEngine
import BatonTerminal

/// The layered graph of one node's neighbourhood, for a graph too wide for its pane: the
/// layers around the node's own, as many as fit the pane's width, and in each a window of
/// rows around the node, its needs and its dependents, as many as fit the pane's height.
///
/// It is laid out on its own (a few hundred nodes at most, so a change of selection costs a
/// small layout, not the whole graph's), over a workflow of just the kept nodes with their
/// needs among them, in the whole graph's layers and order. What it leaves out is counted: the
/// rows cut above and below each column, and each node's needs and dependents not shown.
/// Nodes here are the shown graph's nodes (steps, or a grouped graph's display nodes).
public struct GraphNeighbourhood: Sendable {
    /// The shown graph's node it is centred on.
    public let centre: Int
    /// The kept nodes, ids marked with what they leave out (sized for the marks).
    public let workflow: Workflow
    /// Their layout, fitted to the pane's width.
    public let layout: GraphLayout
    /// For each node of the neighbourhood, the shown graph's node.
    public let shownNode: [Int]
    /// The whole graph's layers shown, first to last.
    public let layers: ClosedRange<Int>
    /// How many layers the whole graph has.
    public let layerCount: Int
    /// For each column, the nodes of its layer cut above and below the window.
    public let hiddenAbove: [Int]
    public let hiddenBelow: [Int]
    /// For each node, its needs and its dependents not shown.
    public let hiddenNeeds: [Int]
    public let hiddenDependents: [Int]

    /// How many layers PageUp and PageDown move: half the columns shown, at least one.
    public var layerStep: Int { max(1, (layers.count - 1) / 2) }

    /// The neighbourhood's index of the centre.
    public var centreIndex: Int { shownNode.firstIndex(of: centre) ?? 0 }

    /// Where the neighbourhood's layout is drawn in the pane's inner area: every row but the
    /// first and the last, which say how many rows each column leaves out.
    public static func drawingArea(in inner: Rect) -> Rect {
        Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: max(0, inner.height - 2))
    }

    /// The neighbourhood of `centre` in `graph` (laid out from `workflow`) for a pane's inner
    /// area of `width` × `height`; nil when three layers (or all, when fewer) do not fit.
    public init?(graph: GraphLayout, workflow: Workflow, centre: Int, width: Int, height: Int) {
        guard centre >= 0, centre < graph.stepCount, graph.columnCount > 0, height >= 3 else { return nil }
        let rows = max(1, height - 2)
        let centreLayer = graph.stepLayer[centre]
        // Start from a guess, then narrow to what the layout measures (channels hold one
        // track per shared trunk, which only the layout knows). Labels are cut before a layer
        // goes, but past `readableLabelWidth` only to keep the needs' layer, the centre's and
        // the dependents', and never past `leastLabelWidth`: a pane too narrow for those three
        // is better served by the compact lanes.
        let fewest = min(3, graph.columnCount)
        var columns = min(graph.columnCount, max(fewest, width / 12))
        var built: Built?
        func attempt(_ columns: Int) -> (Built, fits: Bool, width: Int) {
            let candidate = Self.build(graph: graph, workflow: workflow, centre: centre, centreLayer: centreLayer, columns: columns, rows: rows)
            let fitted = candidate.layout.fitted(toWidth: width)
            let readable = min(Self.readableLabelWidth, candidate.layout.columnLabelWidth.max() ?? 1)
            let least = columns <= fewest ? min(Self.leastLabelWidth, readable) : readable
            let fits = fitted.size.width <= width && fitted.labelLimit >= least
            return (Built(candidate, layout: fitted), fits, candidate.layout.width(labelLimit: readable))
        }
        for _ in 0..<4 {
            let (candidate, fits, needed) = attempt(columns)
            if fits {
                built = candidate
                // Room for more columns: take them once, estimated from this layout's widths.
                let wider = min(graph.columnCount, columns * width / max(1, needed))
                if wider > columns, case let (more, true, _) = attempt(wider) { built = more }
                break
            }
            guard columns > fewest else { break }
            columns = max(fewest, min(columns - 1, columns * width / max(1, needed)))
        }
        guard let built else { return nil }
        self.centre = centre
        self.workflow = built.workflow
        self.layout = built.layout
        shownNode = built.kept
        layers = built.layers
        layerCount = graph.columnCount
        hiddenAbove = built.hiddenAbove
        hiddenBelow = built.hiddenBelow
        hiddenNeeds = built.hiddenNeeds
        hiddenDependents = built.hiddenDependents
    }

    /// The labels the view draws: each node's own (`base`, by shown node) cut to leave room
    /// for its marks, `‹+3 ` before when needs are left out and ` +2›` after when dependents are.
    public func labels(_ base: (Int) -> String, unicode: Bool) -> [String] {
        shownNode.indices.map { index in
            let (before, after) = marks(of: index, unicode: unicode)
            let room = max(1, layout.labelLimit - TextWidth.of(before) - TextWidth.of(after))
            return before + GraphView.cut(base(shownNode[index]), to: room, unicode: unicode) + after
        }
    }

    /// The pane's title: which node, and which layers of how many.
    public func title(_ name: String, unicode: Bool) -> String {
        let dash = unicode ? "–" : "-"
        return "neighbourhood of '\(name)', layers \(layers.lowerBound + 1)\(dash)\(layers.upperBound + 1) of \(layerCount)"
    }

    private func marks(of index: Int, unicode: Bool) -> (String, String) {
        Self.marks(needs: hiddenNeeds[index], dependents: hiddenDependents[index], unicode: unicode)
    }

    static func marks(needs: Int, dependents: Int, unicode: Bool) -> (String, String) {
        (needs > 0 ? (unicode ? "‹" : "<") + "+\(needs) " : "", dependents > 0 ? " +\(dependents)" + (unicode ? "›" : ">") : "")
    }

    // MARK: - Building

    /// One attempt at a neighbourhood of so many columns.
    private struct Built {
        var workflow: Workflow
        var layout: GraphLayout
        var kept: [Int]
        var layers: ClosedRange<Int>
        var hiddenAbove: [Int], hiddenBelow: [Int]
        var hiddenNeeds: [Int], hiddenDependents: [Int]

        init(_ built: Built, layout: GraphLayout) {
            self = built
            self.layout = layout
        }

        init(
            workflow: Workflow, layout: GraphLayout, kept: [Int], layers: ClosedRange<Int>, hiddenAbove: [Int], hiddenBelow: [Int],
            hiddenNeeds: [Int], hiddenDependents: [Int]
        ) {
            (self.workflow, self.layout, self.kept, self.layers) = (workflow, layout, kept, layers)
            (self.hiddenAbove, self.hiddenBelow, self.hiddenNeeds, self.hiddenDependents) = (hiddenAbove, hiddenBelow, hiddenNeeds, hiddenDependents)
        }
    }

    /// The label width a column is cut to before the neighbourhood drops a layer instead.
    private static let readableLabelWidth = 16
    /// The narrowest labels a neighbourhood draws; narrower, and the compact lanes serve better.
    private static let leastLabelWidth = 10
    /// The most ancestors or descendants followed to place the windows of distant layers.
    private static let followLimit = 512

    private static func build(graph: GraphLayout, workflow: Workflow, centre: Int, centreLayer: Int, columns: Int, rows: Int) -> Built {
        let count = graph.columnCount
        let first = max(0, min(centreLayer - (columns - 1) / 2, count - columns))
        let last = min(count - 1, first + columns - 1)
        // The nodes each layer's window is placed around: the centre in its own layer, its
        // needs and their needs to the left, its dependents and theirs to the right.
        var anchors = Array(repeating: [Int](), count: last - first + 1)
        anchors[centreLayer - first] = [centre]
        for (edges, toward) in [(graph.needs, -1), (graph.dependents, 1)] {
            var frontier = [centre], seen: Set<Int> = [centre], followed = 0
            while !frontier.isEmpty && followed < followLimit {
                var next: [Int] = []
                for node in frontier {
                    for other in edges[node] where seen.insert(other).inserted {
                        let layer = graph.stepLayer[other]
                        guard layer >= first, layer <= last, (layer - centreLayer) * toward > 0 else { continue }
                        anchors[layer - first].append(other)
                        next.append(other)
                        followed += 1
                    }
                }
                frontier = next
            }
        }
        var kept: [Int] = []
        var layerMembers: [[Int]] = []
        var hiddenAbove: [Int] = [], hiddenBelow: [Int] = []
        for layer in first...last {
            let members = graph.steps(inColumn: layer)
            var window = 0..<members.count
            if members.count > rows {
                let position = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1, $0) })
                let places = anchors[layer - first].compactMap { position[$0] }.sorted()
                let middle: Int
                if layer == centreLayer, let own = position[centre] {
                    middle = own
                } else if let low = places.first, let high = places.last {
                    middle = high - low < rows ? (low + high) / 2 : places[places.count / 2]
                } else {
                    // Nothing linked: the rows level with the centre.
                    let near = graph.nearestStep(toRow: graph.slotRow[centre], inColumn: layer)
                    middle = near.flatMap { position[$0] } ?? 0
                }
                let start = max(0, min(middle - rows / 2, members.count - rows))
                window = start..<(start + rows)
            }
            hiddenAbove.append(window.lowerBound)
            hiddenBelow.append(members.count - window.upperBound)
            layerMembers.append(Array(members[window]))
            kept += members[window]
        }
        var indexOf: [Int: Int] = [:]
        indexOf.reserveCapacity(kept.count)
        for (index, node) in kept.enumerated() { indexOf[node] = index }
        var hiddenNeeds: [Int] = [], hiddenDependents: [Int] = []
        var ids: [String] = []
        for node in kept {
            hiddenNeeds.append(graph.needs[node].count { indexOf[$0] == nil })
            hiddenDependents.append(graph.dependents[node].count { indexOf[$0] == nil })
            // Sized for the widest marks (Unicode and ASCII marks are as wide).
            let (before, after) = marks(needs: hiddenNeeds.last!, dependents: hiddenDependents.last!, unicode: false)
            ids.append(before + workflow.steps[node].id + after)
        }
        var steps = kept.indices.map { Step(id: ids[$0]) }
        for (index, node) in kept.enumerated() {
            steps[index].needs = graph.needs[node].compactMap { indexOf[$0].map { ids[$0] } }
        }
        let subset = Workflow(name: workflow.name, steps: steps)
        let layers = layerMembers.map { $0.map { indexOf[$0]! } }
        return Built(
            workflow: subset, layout: GraphLayout(workflow: subset, layers: layers), kept: kept, layers: first...last,
            hiddenAbove: hiddenAbove, hiddenBelow: hiddenBelow, hiddenNeeds: hiddenNeeds, hiddenDependents: hiddenDependents)
    }
}
