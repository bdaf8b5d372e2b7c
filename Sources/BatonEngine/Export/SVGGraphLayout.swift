/// Where each node of a layered graph sits in a picture: layers as columns, left to right.
///
/// Every node has the same size. A layer's nodes are stacked top to bottom and the column is
/// centred against the tallest one. The first layer keeps file order; each later layer is
/// ordered by the mean height of the nodes its steps need in earlier layers (one barycentre
/// pass, ties in file order), which straightens most edges and removes many crossings.
/// An edge that skips columns runs straight along its need's (or else its dependent's)
/// height through them when no node is in the way, and curves in the last (or first) gap.
/// Coordinates are whole pixels, relative to the top-left corner of the graph's area, so the
/// same graph always gives the same picture. Work is O(edges + steps log steps).
struct SVGGraphLayout: Sendable, Hashable {
    /// A node's top-left corner.
    struct Point: Sendable, Hashable {
        var x: Int
        var y: Int
    }

    static let nodeWidth = 200
    static let nodeHeight = 64
    /// Space between two columns, where the edges run.
    static let columnGap = 80
    /// Space between two nodes of one column.
    static let rowGap = 20

    /// For each step, by file position, the top-left corner of its node.
    let origins: [Point]
    /// For each layer, its step positions from top to bottom.
    let columns: [[Int]]
    /// For each step, the layer (column) it is in.
    let layerOf: [Int]
    /// For each column, the top of its first node.
    private let columnTops: [Int]
    /// The width of the area the nodes take up; 0 with no steps.
    let width: Int
    /// The height of the area the nodes take up; 0 with no steps.
    let height: Int

    /// Lays out `layers` (step positions per layer) with `needs` (positions each step needs).
    init(layers: [[Int]], needs: [[Int]]) {
        let rowPitch = Self.nodeHeight + Self.rowGap
        let columnPitch = Self.nodeWidth + Self.columnGap
        let tallest = layers.lazy.map(\.count).max() ?? 0

        var layerOf = Array(repeating: -1, count: needs.count)
        for (number, layer) in layers.enumerated() {
            for index in layer { layerOf[index] = number }
        }

        var origins = Array(repeating: Point(x: 0, y: 0), count: needs.count)
        var columns: [[Int]] = []
        var columnTops: [Int] = []
        columns.reserveCapacity(layers.count)
        columnTops.reserveCapacity(layers.count)
        for (number, layer) in layers.enumerated() {
            let ordered = number == 0 ? layer : Self.barycentreOrder(layer, needs: needs, layerOf: layerOf, origins: origins)
            // Centre the column: half-pitch steps keep every coordinate whole (the pitch is even).
            let top = (tallest - ordered.count) * rowPitch / 2
            for (row, index) in ordered.enumerated() {
                origins[index] = Point(x: number * columnPitch, y: top + row * rowPitch)
            }
            columns.append(ordered)
            columnTops.append(top)
        }

        self.origins = origins
        self.columns = columns
        self.layerOf = layerOf
        self.columnTops = columnTops
        self.width = layers.isEmpty ? 0 : layers.count * columnPitch - Self.columnGap
        self.height = tallest == 0 ? 0 : tallest * rowPitch - Self.rowGap
    }

    /// Edges skipping more columns than this are drawn as one curve without looking for a
    /// clear line, so a pathological graph stays fast to draw.
    static let longestRoutedSkip = 64

    /// The SVG path data of the edge from `need` to `dependent`, moved by `shift`: from the
    /// middle of the need's right side to the middle of the dependent's left side.
    func edgePath(from need: Int, to dependent: Int, shiftedBy shift: Point) -> String {
        let start = Point(x: shift.x + origins[need].x + Self.nodeWidth, y: shift.y + origins[need].y + Self.nodeHeight / 2)
        let end = Point(x: shift.x + origins[dependent].x, y: shift.y + origins[dependent].y + Self.nodeHeight / 2)
        let skipped = (layerOf[need] + 1)..<max(layerOf[need] + 1, layerOf[dependent])
        if !skipped.isEmpty && skipped.count <= Self.longestRoutedSkip {
            let halfGap = Self.columnGap / 2
            if isClear(origins[need].y + Self.nodeHeight / 2, through: skipped) {
                // Straight on at the need's height, then a curve in the last gap.
                let bendX = end.x - Self.columnGap
                return "M\(start.x),\(start.y) L\(bendX),\(start.y) C\(bendX + halfGap),\(start.y) \(end.x - halfGap),\(end.y) \(end.x),\(end.y)"
            }
            if isClear(origins[dependent].y + Self.nodeHeight / 2, through: skipped) {
                // A curve in the first gap, then straight on at the dependent's height.
                let bendX = start.x + Self.columnGap
                return "M\(start.x),\(start.y) C\(start.x + halfGap),\(start.y) \(bendX - halfGap),\(end.y) \(bendX),\(end.y) L\(end.x),\(end.y)"
            }
        }
        // One curve; an edge pointing back (on a cycle) loops out and in again.
        let bend = max(Self.columnGap / 2, (end.x - start.x) / 2)
        return "M\(start.x),\(start.y) C\(start.x + bend),\(start.y) \(end.x - bend),\(end.y) \(end.x),\(end.y)"
    }

    /// Whether a horizontal line at `y` passes every node of `columns` with a few pixels to spare.
    private func isClear(_ y: Int, through columns: Range<Int>) -> Bool {
        let clearance = 4
        let rowPitch = Self.nodeHeight + Self.rowGap
        for column in columns {
            let offset = y - columnTops[column]
            let last = (self.columns[column].count - 1) * rowPitch
            guard offset >= -clearance, offset <= last + Self.nodeHeight + clearance else { continue }
            let within = offset - max(0, offset / rowPitch) * rowPitch
            if within <= Self.nodeHeight + clearance || within >= rowPitch - clearance { return false }
        }
        return true
    }

    /// The layer's steps sorted by the mean top of the needs already placed in earlier layers.
    ///
    /// A step with no such need (only possible on a cycle) keeps its place in the layer.
    private static func barycentreOrder(_ layer: [Int], needs: [[Int]], layerOf: [Int], origins: [Point]) -> [Int] {
        let rowPitch = Double(nodeHeight + rowGap)
        let keyed = layer.enumerated().map { rank, index -> (key: Double, rank: Int, index: Int) in
            var sum = 0
            var count = 0
            for need in needs[index] where layerOf[need] < layerOf[index] {
                sum += origins[need].y
                count += 1
            }
            let key = count == 0 ? Double(rank) * rowPitch : Double(sum) / Double(count)
            return (key, rank, index)
        }
        return keyed.sorted { $0.key != $1.key ? $0.key < $1.key : $0.rank < $1.rank }.map(\.index)
    }
}
