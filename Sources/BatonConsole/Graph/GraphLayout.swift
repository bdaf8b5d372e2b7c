import BatonEngine
import BatonTerminal

/// Which way to move the selection in the graph pane.
public enum GraphDirection: Sendable, Hashable, CaseIterable {
    case up, down, left, right
}

/// One straight run of a drawn edge, in layout coordinates, both ends included.
///
/// Either `y0 == y1` (horizontal, `x0 <= x1`) or `x0 == x1` (vertical, `y0 <= y1`).
public struct GraphSegment: Sendable, Hashable, CustomStringConvertible {
    public var x0: Int
    public var y0: Int
    public var x1: Int
    public var y1: Int

    public init(x0: Int, y0: Int, x1: Int, y1: Int) {
        self.x0 = min(x0, x1)
        self.y0 = min(y0, y1)
        self.x1 = max(x0, x1)
        self.y1 = max(y0, y1)
    }

    public var isHorizontal: Bool { y0 == y1 }

    /// Every cell the segment covers.
    public var cells: [(x: Int, y: Int)] {
        isHorizontal ? (x0...x1).map { ($0, y0) } : (y0...y1).map { (x0, $0) }
    }

    public var description: String { "(\(x0),\(y0))–(\(x1),\(y1))" }
}

/// The workflow DAG laid out as a layered graph, computed once per workflow and reused every frame.
///
/// Layers (from `GraphLayers`) are columns, left to right, so every edge points right. Each
/// node is one row: the state glyph, a space and the step id (at most `labelLimit` columns,
/// cut with `…`). Nodes are stacked in their column in an order that reduces crossings
/// (barycenter sweeps, then swaps of neighbours), then placed on rows near their neighbours'
/// so that edges run straight where they can. An edge that skips layers runs through a
/// *lane* — a row of its own in each column it crosses — so it never passes through a node;
/// a step's long edges share one lane, as do three or more long edges into one step.
///
/// Between two columns is a routing channel: an edge leaves its source to the right, turns
/// on a vertical *track* and enters its target from the left through an arrow head (`›`).
/// Sources with the same targets in the next column share one track, so a fan-out or a
/// fan-in draws as one trunk with branches, and a trunk never suggests an edge that does not
/// exist. Tracks are ordered so that one edge's horizontal run does not overlap another's;
/// where a track crosses a foreign horizontal run it is drawn unbroken (`│`), so a crossing
/// never looks like a junction. (When the ordering constraints form a cycle, as two edges
/// swapping adjacent rows do, one is dropped and two runs share a few cells; highlighting
/// the selection's edges tells them apart.)
///
/// Coordinates are in cells, (0, 0) at the top left of the whole drawing; `GraphView` draws
/// the part a scroll offset shows. Only column positions depend on `labelLimit`, so
/// `fitted(toWidth:)` makes a narrower copy in time proportional to the number of columns.
public struct GraphLayout: Sendable {
    /// The default and largest label width.
    public static let maximumLabelWidth = 24
    /// The narrowest labels `fitted(toWidth:)` cuts to.
    public static let minimumLabelWidth = 6

    /// How many steps the layout was made for (the workflow's step count).
    public let stepCount: Int
    /// The widest label drawn, in columns; longer step ids are cut with `…`.
    public private(set) var labelLimit: Int
    /// The width of the whole drawing, in cells.
    public private(set) var width: Int
    /// The height of the whole drawing: one row per node or lane in the tallest column.
    public let height: Int

    // MARK: Steps, by file position

    /// Display width of each step's id, uncut.
    let labelWidths: [Int]
    /// The layer (column) of each step.
    let stepLayer: [Int]
    /// Each step's needs and dependents (positions, without repeats).
    let needs: [[Int]]
    let dependents: [[Int]]

    // MARK: Slots: a node or a lane in a column. Slots 0..<stepCount are the steps.

    let slotColumn: [Int]
    let slotRow: [Int]
    /// The slots of each column, top to bottom.
    let columnSlots: [[Int]]

    // MARK: Columns

    /// The widest uncut label of each column.
    let columnLabelWidth: [Int]
    /// Tracks in the channel to the right of each column.
    let channelTracks: [Int]
    /// Left edge and width of each column (width: glyph, space, widest label within the limit).
    private(set) var columnX: [Int]
    private(set) var columnWidth: [Int]

    // MARK: Edges

    /// Pieces: one edge between adjacent columns, from a slot to a slot.
    let pieceFrom: [Int]
    let pieceTo: [Int]
    let pieceNet: [Int]
    /// The outgoing edges of each step: `outTarget[outStart[s]..<outStart[s+1]]`, each with
    /// its chain of pieces `chainPieces[chainStart[e]..<chainStart[e+1]]`.
    let outStart: [Int]
    let outTarget: [Int]
    let chainStart: [Int]
    let chainPieces: [Int]

    /// Nets: the pieces of sources with the same targets, drawn with one shared track; every
    /// left slot connects to every right slot.
    let netChannel: [Int]
    /// The track of a net within its channel, or -1 for a straight horizontal net.
    let netTrack: [Int]
    let netTop: [Int]
    let netBottom: [Int]
    let netLefts: IndexLists
    let netRights: IndexLists
    let channelNets: [[Int]]

    // MARK: Counting, for scroll indicators

    /// Steps on rows above row r: `stepsAboveRow[r]`, for r in 0...height.
    let stepsAboveRow: [Int]
    /// Steps in columns before column c, for c in 0...columns.
    let stepsBeforeColumn: [Int]

    // MARK: Compact mode

    /// The steps in the order compact mode lists them: layer by layer, top to bottom within
    /// a layer (a topological order).
    public let compactRows: [Int]
    let compactRowOfStep: [Int]

    /// Lays out a workflow: about 4 ms for 1,000 steps and 50 ms for 10,000 in a release build.
    public init(workflow: Workflow) {
        self.init(workflow: workflow, layers: nil)
    }

    /// Lays out a workflow whose plan the caller has made already.
    public init(workflow: Workflow, plan: Plan) {
        self.init(workflow: workflow, layers: nil, plan: plan)
    }

    /// Lays out a workflow in the given layers (see `GraphLayoutBuilder.init(workflow:layers:)`),
    /// or by longest path when nil.
    init(workflow: Workflow, layers: [[Int]]?, plan: Plan? = nil) {
        let built = GraphLayoutBuilder(workflow: workflow, layers: layers, plan: plan)
        stepCount = workflow.steps.count
        labelLimit = Self.maximumLabelWidth
        width = 0
        height = built.height
        labelWidths = built.labelWidths
        stepLayer = built.stepLayer
        needs = built.needs
        dependents = built.dependents
        slotColumn = built.slotLayer
        slotRow = built.slotRow
        columnSlots = built.layerSlots
        columnLabelWidth = built.columnLabelWidth
        channelTracks = built.channelTracks
        columnX = []
        columnWidth = []
        pieceFrom = built.pieceFrom
        pieceTo = built.pieceTo
        pieceNet = built.pieceNet
        outStart = built.outStart
        outTarget = built.outTarget
        chainStart = built.chainStart
        chainPieces = built.chainPieces
        netChannel = built.netChannel
        netTrack = built.netTrack
        netTop = built.netTop
        netBottom = built.netBottom
        netLefts = IndexLists(built.netLefts)
        netRights = IndexLists(built.netRights)
        channelNets = built.channelNets
        stepsAboveRow = built.stepsAboveRow
        stepsBeforeColumn = built.stepsBeforeColumn
        compactRows = built.compactRows
        var rowOf = Array(repeating: 0, count: stepCount)
        for (row, step) in built.compactRows.enumerated() { rowOf[step] = row }
        compactRowOfStep = rowOf
        placeColumns()
    }

    /// Recomputes column positions for the current `labelLimit`.
    private mutating func placeColumns() {
        let count = columnLabelWidth.count
        var xs: [Int] = []
        var widths: [Int] = []
        xs.reserveCapacity(count)
        widths.reserveCapacity(count)
        var x = 0
        for column in 0..<count {
            xs.append(x)
            let columnWidth = 2 + min(columnLabelWidth[column], labelLimit)
            widths.append(columnWidth)
            x += columnWidth
            if column + 1 < count { x += Self.channelWidth(tracks: channelTracks[column]) }
        }
        columnX = xs
        columnWidth = widths
        width = x
    }

    /// Columns between two node columns: a gap, a dash, the tracks, and the arrow head.
    static func channelWidth(tracks: Int) -> Int { 3 + tracks }

    /// The total width the layout would have with labels cut to `limit` columns.
    public func width(labelLimit limit: Int) -> Int {
        var total = 0
        for column in columnLabelWidth.indices {
            total += 2 + min(columnLabelWidth[column], max(1, limit))
            if column + 1 < columnLabelWidth.count { total += Self.channelWidth(tracks: channelTracks[column]) }
        }
        return total
    }

    /// This layout with labels cut to `limit` columns (at least 1, at most `maximumLabelWidth`).
    public func withLabelLimit(_ limit: Int) -> GraphLayout {
        var copy = self
        copy.labelLimit = min(Self.maximumLabelWidth, max(1, limit))
        copy.placeColumns()
        return copy
    }

    /// This layout with the longest labels that let it fit in `width` columns, but never
    /// shorter than `minimumLabelWidth`: check `size.width` afterwards to decide on compact mode.
    public func fitted(toWidth available: Int) -> GraphLayout {
        var best = Self.minimumLabelWidth
        var low = Self.minimumLabelWidth, high = Self.maximumLabelWidth
        while low <= high {
            let middle = (low + high) / 2
            if width(labelLimit: middle) <= available {
                best = middle
                low = middle + 1
            } else {
                high = middle - 1
            }
        }
        return best == labelLimit ? self : withLabelLimit(best)
    }

    // MARK: - Geometry

    /// Width and height of the whole drawing, in cells.
    public var size: (width: Int, height: Int) { (width, height) }

    /// How many columns (layers) the graph has.
    public var columnCount: Int { columnX.count }

    /// Whether the layered drawing is wider than `available` columns, so the pane should use compact mode.
    public func needsCompactMode(width available: Int) -> Bool { width > available }

    /// The cells a step's node takes (glyph, space, label), in layout coordinates.
    public func nodeRect(_ step: Int) -> Rect {
        guard step >= 0, step < stepCount else { return .zero }
        return Rect(x: columnX[slotColumn[step]], y: slotRow[step], width: nodeWidth(step), height: 1)
    }

    /// The column (layer) of a step.
    public func column(of step: Int) -> Int? {
        step >= 0 && step < stepCount ? slotColumn[step] : nil
    }

    /// The steps of a column, top to bottom.
    public func steps(inColumn column: Int) -> [Int] {
        guard columnSlots.indices.contains(column) else { return [] }
        return columnSlots[column].filter { $0 < stepCount }
    }

    /// The row of a step in compact mode.
    public func compactRow(of step: Int) -> Int? {
        step >= 0 && step < stepCount ? compactRowOfStep[step] : nil
    }

    func nodeWidth(_ step: Int) -> Int { 2 + min(labelWidths[step], labelLimit) }

    func isStep(_ slot: Int) -> Bool { slot < stepCount }

    /// Where an edge leaving a slot starts: one cell after a node's label, or right after a lane.
    func leftAnchor(_ slot: Int) -> Int {
        let column = slotColumn[slot]
        return isStep(slot) ? columnX[column] + nodeWidth(slot) + 1 : columnX[column] + columnWidth[column]
    }

    /// Where an edge into a slot ends: the cell before a node's arrow head, or the cell before a lane.
    func rightAnchor(_ slot: Int) -> Int {
        let x = columnX[slotColumn[slot]]
        return isStep(slot) ? x - 2 : x - 1
    }

    /// The x of a net's track, or nil for a straight net.
    func trackX(_ net: Int) -> Int? {
        let track = netTrack[net]
        guard track >= 0 else { return nil }
        let column = netChannel[net]
        return columnX[column] + columnWidth[column] + 2 + track
    }

    /// The pieces of the edge from `need` to `dependent`, left to right.
    func chain(from need: Int, to dependent: Int) -> ArraySlice<Int>? {
        guard need >= 0, need < stepCount else { return nil }
        for edge in outStart[need]..<outStart[need + 1] where outTarget[edge] == dependent {
            return chainPieces[chainStart[edge]..<chainStart[edge + 1]]
        }
        return nil
    }

    /// The segments that draw one piece (and the lane it enters, if any).
    func segments(ofPiece piece: Int) -> [GraphSegment] {
        let from = pieceFrom[piece], to = pieceTo[piece]
        let net = pieceNet[piece]
        let y0 = slotRow[from], y1 = slotRow[to]
        let end = isStep(to) ? columnX[slotColumn[to]] - 1 : rightAnchor(to)
        var result: [GraphSegment] = []
        if let x = trackX(net) {
            result.append(GraphSegment(x0: leftAnchor(from), y0: y0, x1: x, y1: y0))
            if y0 != y1 { result.append(GraphSegment(x0: x, y0: y0, x1: x, y1: y1)) }
            result.append(GraphSegment(x0: x, y0: y1, x1: end, y1: y1))
        } else {
            result.append(GraphSegment(x0: leftAnchor(from), y0: y0, x1: end, y1: y0))
        }
        if !isStep(to) {
            let column = slotColumn[to]
            result.append(GraphSegment(x0: columnX[column], y0: y1, x1: columnX[column] + columnWidth[column] - 1, y1: y1))
        }
        return result
    }

    /// A rectangle holding everything `segments(ofPiece:)` draws.
    func pieceBounds(_ piece: Int) -> Rect {
        let from = pieceFrom[piece], to = pieceTo[piece]
        let left = columnX[slotColumn[from]], right = columnX[slotColumn[to]] + columnWidth[slotColumn[to]]
        let top = min(slotRow[from], slotRow[to]), bottom = max(slotRow[from], slotRow[to])
        return Rect(x: left, y: top, width: right - left, height: bottom - top + 1)
    }

    /// How the edge from `need` to `dependent` is drawn, left to right, ending on the arrow
    /// head's cell; nil when there is no such edge (or it cannot be drawn, on a cycle).
    public func edgeSegments(from need: Int, to dependent: Int) -> [GraphSegment]? {
        guard let pieces = chain(from: need, to: dependent) else { return nil }
        return pieces.flatMap { segments(ofPiece: $0) }
    }

    // MARK: - Navigation

    /// The step next to `step` in a direction: up and down within its column (or list, in
    /// compact mode); left and right to the nearest step of the adjacent column, preferring
    /// one it needs (left) or that needs it (right). In compact mode left and right go to the
    /// nearest need and dependent. Nil when there is none.
    public func neighbor(of step: Int, toward direction: GraphDirection, compact: Bool = false) -> Int? {
        guard step >= 0, step < stepCount else { return nil }
        if compact { return compactNeighbor(of: step, toward: direction) }
        let column = slotColumn[step]
        let row = slotRow[step]
        switch direction {
        case .up, .down:
            let slots = columnSlots[column]
            guard var index = slotIndex(row: row, in: column) else { return nil }
            let delta = direction == .up ? -1 : 1
            index += delta
            while index >= 0 && index < slots.count {
                if isStep(slots[index]) { return slots[index] }
                index += delta
            }
            return nil
        case .left, .right:
            let target = direction == .left ? column - 1 : column + 1
            guard target >= 0, target < columnSlots.count else { return nil }
            let linked = (direction == .left ? needs[step] : dependents[step]).filter { slotColumn[$0] == target }
            if let best = linked.min(by: { (abs(slotRow[$0] - row), slotRow[$0]) < (abs(slotRow[$1] - row), slotRow[$1]) }) {
                return best
            }
            return nearestStep(toRow: row, inColumn: target)
        }
    }

    private func compactNeighbor(of step: Int, toward direction: GraphDirection) -> Int? {
        let row = compactRowOfStep[step]
        switch direction {
        case .up: return row > 0 ? compactRows[row - 1] : nil
        case .down: return row + 1 < compactRows.count ? compactRows[row + 1] : nil
        case .left, .right:
            let linked = direction == .left ? needs[step] : dependents[step]
            return linked.min { (abs(compactRowOfStep[$0] - row), $0) < (abs(compactRowOfStep[$1] - row), $1) }
        }
    }

    /// The index in its column's slot list of the slot on `row`, if any.
    func slotIndex(row: Int, in column: Int) -> Int? {
        let slots = columnSlots[column]
        let index = firstSlot(atOrBelow: row, in: column)
        return index < slots.count && slotRow[slots[index]] == row ? index : nil
    }

    /// The index of the first slot of a column on `row` or below it.
    func firstSlot(atOrBelow row: Int, in column: Int) -> Int {
        let slots = columnSlots[column]
        var low = 0, high = slots.count
        while low < high {
            let middle = (low + high) / 2
            if slotRow[slots[middle]] < row { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The step of a column whose row is closest to `row` (the upper one on a tie).
    func nearestStep(toRow row: Int, inColumn column: Int) -> Int? {
        let slots = columnSlots[column]
        let start = firstSlot(atOrBelow: row, in: column)
        var below = start, above = start - 1
        var best: Int?
        while below < slots.count && !isStep(slots[below]) { below += 1 }
        while above >= 0 && !isStep(slots[above]) { above -= 1 }
        if above >= 0 { best = slots[above] }
        if below < slots.count {
            let candidate = slots[below]
            if best == nil || slotRow[candidate] - row < row - slotRow[best!] { best = candidate }
        }
        return best
    }

    // MARK: - Scrolling

    /// Rows kept visible above and below the revealed node.
    static let verticalMargin = 1
    /// Columns kept visible left (the arrow head) and right of the revealed node.
    static let horizontalMargin = 2

    /// The smallest change to `current` that shows `step` with a small margin around it in a
    /// viewport of the given size, clamped to the drawing (or the compact list).
    public func scrollOffset(
        revealing step: Int, viewport: (width: Int, height: Int), current: (x: Int, y: Int), compact: Bool = false
    ) -> (x: Int, y: Int) {
        let viewWidth = max(1, viewport.width), viewHeight = max(1, viewport.height)
        guard step >= 0, step < stepCount else { return clampedScroll(current, viewport: viewport, compact: compact) }
        let target: Rect = compact
            ? Rect(x: 0, y: compactRowOfStep[step], width: 1, height: 1)
            : nodeRect(step)
        let marginY = min(Self.verticalMargin, (viewHeight - 1) / 2)
        let marginX = min(Self.horizontalMargin, max(0, (viewWidth - target.width) / 2))
        var x = compact ? 0 : current.x
        var y = current.y
        if target.maxY + marginY > y + viewHeight { y = target.maxY + marginY - viewHeight }
        if target.y - marginY < y { y = target.y - marginY }
        if !compact {
            if target.maxX + marginX > x + viewWidth { x = target.maxX + marginX - viewWidth }
            if target.x - marginX < x { x = target.x - marginX }
        }
        return clampedScroll((x, y), viewport: viewport, compact: compact)
    }

    /// A scroll offset kept inside the drawing (or the compact list).
    public func clampedScroll(_ scroll: (x: Int, y: Int), viewport: (width: Int, height: Int), compact: Bool = false) -> (x: Int, y: Int) {
        let contentWidth = compact ? 0 : width
        let contentHeight = compact ? stepCount : height
        let x = min(max(0, scroll.x), max(0, contentWidth - max(1, viewport.width)))
        let y = min(max(0, scroll.y), max(0, contentHeight - max(1, viewport.height)))
        return (x, y)
    }
}
