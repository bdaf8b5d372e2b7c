import BatonEngine
import BatonTerminal

/// Computes everything a `GraphLayout` stores except column positions, which depend on the
/// label limit and are placed by the layout itself.
///
/// The phases are the classic layered (Sugiyama) ones: layers (longest path, from
/// `GraphLayers`), lanes for edges that skip layers, crossing reduction (barycenter sweeps
/// and neighbour swaps), row assignment (then straightening lanes), and channel routing
/// (`GraphLayoutBuilder+Routing.swift`).
struct GraphLayoutBuilder {
    var labelWidths: [Int] = []
    var stepLayer: [Int] = []
    var needs: [[Int]] = []
    var dependents: [[Int]] = []

    var slotLayer: [Int] = []
    var slotRow: [Int] = []
    var layerSlots: [[Int]] = []
    var height = 0

    var columnLabelWidth: [Int] = []
    var channelTracks: [Int] = []

    var pieceFrom: [Int] = []
    var pieceTo: [Int] = []
    var pieceNet: [Int] = []
    var outStart: [Int] = [0]
    var outTarget: [Int] = []
    var chainStart: [Int] = [0]
    var chainPieces: [Int] = []

    var netChannel: [Int] = []
    var netTrack: [Int] = []
    var netTop: [Int] = []
    var netBottom: [Int] = []
    var netLefts: [[Int]] = []
    var netRights: [[Int]] = []
    var channelNets: [[Int]] = []

    /// The slots of each lane, left to right, and the lane of each slot (-1 for a step).
    var lanes: [[Int]] = []
    var laneOf: [Int] = []

    var stepsAboveRow: [Int] = [0]
    var stepsBeforeColumn: [Int] = [0]
    var compactRows: [Int] = []

    /// How many long edges a step needs coming in before they share a lane into it; two
    /// separate lanes usually read better than an early merge.
    static let sharedTargetLane = 3
    /// Sweeps of crossing reduction at most (each is one pass down and one up).
    static let orderingRounds = 8
    /// Passes of row placement (alternately down and up, then one using both sides).
    static let placementPasses = 4

    /// Lays out a workflow, by longest-path layers unless `layers` gives them: each layer's
    /// steps in their starting order, every edge from an earlier layer to a later one (a part
    /// of a bigger graph keeps that graph's columns).
    /// `plan` is the workflow's, when the caller has made it already (a plan of 10,000 steps
    /// is not free to make again).
    init(workflow: Workflow, layers given: [[Int]]? = nil, plan: Plan? = nil) {
        let count = workflow.steps.count
        // By index: a closure over the steps themselves copies each step, which at 10,000
        // steps took 0.7 ms of the layout.
        labelWidths = []
        labelWidths.reserveCapacity(count)
        for index in workflow.steps.indices { labelWidths.append(max(1, TextWidth.of(workflow.steps[index].id))) }
        let plan = plan ?? Plan(workflow: workflow)
        collectEdges(plan)
        let layers = given ?? GraphLayers.assign(plan)
        stepLayer = Array(repeating: 0, count: count)
        for (layer, members) in layers.enumerated() {
            for step in members { stepLayer[step] = layer }
        }
        layerSlots = layers
        slotLayer = stepLayer
        buildPieces(stepCount: count)

        var preds = Array(repeating: [Int](), count: slotLayer.count)
        var succs = Array(repeating: [Int](), count: slotLayer.count)
        for piece in pieceFrom.indices {
            succs[pieceFrom[piece]].append(pieceTo[piece])
            preds[pieceTo[piece]].append(pieceFrom[piece])
        }

        var ordering = LayerOrdering(layers: layerSlots, preds: preds, succs: succs)
        ordering.reduceCrossings(rounds: Self.orderingRounds)
        layerSlots = ordering.layers
        assignRows(preds: preds, succs: succs, stepCount: count)
        straightenLanes(preds: preds, succs: succs)
        route()
        summarize(stepCount: count)
    }

    // MARK: - Edges and lanes

    /// Needs and dependents without repeats or self-references: the plan's own when it has
    /// none, as a loaded workflow has none, so that a large graph shares them with the plan.
    private mutating func collectEdges(_ plan: Plan) {
        let isClean = plan.needs.indices.allSatisfy { step in
            let raw = plan.needs[step]
            return !raw.contains(step) && (raw.count > 16 ? Set(raw).count == raw.count : raw.indices.allSatisfy { !raw[..<$0].contains(raw[$0]) })
        }
        if isClean {
            needs = plan.needs
            dependents = plan.dependents
            return
        }
        let count = plan.needs.count
        needs.reserveCapacity(count)
        dependents = Array(repeating: [], count: count)
        for step in 0..<count {
            var list: [Int] = []
            let raw = plan.needs[step]
            if raw.count > 16 {
                var seen = Set<Int>()
                for need in raw where need != step && seen.insert(need).inserted { list.append(need) }
            } else {
                for need in raw where need != step && !list.contains(need) { list.append(need) }
            }
            needs.append(list)
            for need in list { dependents[need].append(step) }
        }
    }

    /// Creates the pieces of every drawable edge (one that points to a later layer), with
    /// lanes for the edges that skip layers. Long edges share lanes: those into a step with at
    /// least `sharedTargetLane` of them (more than their source has going out) share the
    /// target's lane, which each source joins on the way; a step's other long edges share its
    /// own lane, running to the column before its farthest target, which each target branches
    /// off on the way.
    private mutating func buildPieces(stepCount count: Int) {
        func addSlot(layer: Int, lane: Int) -> Int {
            slotLayer.append(layer)
            laneOf.append(lane)
            layerSlots[layer].append(slotLayer.count - 1)
            return slotLayer.count - 1
        }
        func addPiece(_ from: Int, _ to: Int) -> Int {
            pieceFrom.append(from)
            pieceTo.append(to)
            return pieceFrom.count - 1
        }
        func isLong(_ source: Int, _ target: Int) -> Bool { stepLayer[target] > stepLayer[source] + 1 }
        laneOf = Array(repeating: -1, count: count)
        var longOut = Array(repeating: 0, count: count)
        var longIn = Array(repeating: 0, count: count)
        for source in 0..<count {
            for target in dependents[source] where isLong(source, target) {
                longOut[source] += 1
                longIn[target] += 1
            }
        }
        func sharesTargetLane(_ source: Int, _ target: Int) -> Bool {
            longIn[target] >= Self.sharedTargetLane && longIn[target] > longOut[source]
        }
        // Target lanes: the first layer each needs, then its slots and the piece out of each.
        var laneStart = Array(repeating: Int.max, count: count)
        for source in 0..<count {
            for target in dependents[source] where isLong(source, target) && sharesTargetLane(source, target) {
                laneStart[target] = min(laneStart[target], stepLayer[source] + 1)
            }
        }
        var targetLane: [Int: (slots: [Int], leaving: [Int])] = [:]
        for target in 0..<count where laneStart[target] != Int.max {
            let lane = lanes.count
            let slots = (laneStart[target]..<stepLayer[target]).map { addSlot(layer: $0, lane: lane) }
            var leaving: [Int] = []
            for (index, slot) in slots.enumerated() {
                leaving.append(addPiece(slot, index + 1 < slots.count ? slots[index + 1] : target))
            }
            lanes.append(slots)
            targetLane[target] = (slots, leaving)
        }

        for source in 0..<count {
            let layer = stepLayer[source]
            var farthest = layer + 1
            for target in dependents[source] where isLong(source, target) && !sharesTargetLane(source, target) {
                farthest = max(farthest, stepLayer[target])
            }
            // The source's lane: lane[k] sits in layer layer + 1 + k; entering[k] is the piece into it.
            var lane: [Int] = []
            var entering: [Int] = []
            if farthest > layer + 1 {
                var previous = source
                for laneLayer in (layer + 1)..<farthest {
                    let slot = addSlot(layer: laneLayer, lane: lanes.count)
                    entering.append(addPiece(previous, slot))
                    lane.append(slot)
                    previous = slot
                }
                lanes.append(lane)
            }
            for target in dependents[source] where stepLayer[target] > layer {
                outTarget.append(target)
                let skipped = stepLayer[target] - layer - 1
                if skipped == 0 {
                    chainPieces.append(addPiece(source, target))
                } else if sharesTargetLane(source, target), let shared = targetLane[target] {
                    let first = layer + 1 - laneStart[target]
                    chainPieces.append(addPiece(source, shared.slots[first]))
                    chainPieces.append(contentsOf: shared.leaving[first...])
                } else {
                    chainPieces.append(contentsOf: entering[0..<skipped])
                    chainPieces.append(addPiece(lane[skipped - 1], target))
                }
                chainStart.append(chainPieces.count)
            }
            outStart.append(outTarget.count)
        }
    }

    // MARK: - Rows

    /// Places the slots of each column on rows, keeping their order, within the height of the
    /// tallest column, each as close to the median row of its neighbours as the others allow.
    ///
    /// Each pass solves, per column, a weighted isotonic regression (pool adjacent violators):
    /// with `z = row - index`, the rows are distinct and ordered exactly when `z` never
    /// decreases, and the best such `z` for the targets is found in linear time, then rounded
    /// and clamped to the height. Lanes weigh more, so long edges stay straight.
    private mutating func assignRows(preds: [[Int]], succs: [[Int]], stepCount count: Int) {
        height = layerSlots.map(\.count).max() ?? 0
        slotRow = Array(repeating: 0, count: slotLayer.count)
        for layer in layerSlots {
            for (index, slot) in layer.enumerated() { slotRow[slot] = index }
        }
        guard layerSlots.count > 1 else { return }
        var targets: [Double] = []
        var weights: [Double] = []
        var rows: [Int] = []
        for pass in 0...Self.placementPasses {
            let final = pass == Self.placementPasses
            let down = pass % 2 == 0
            let order: [Int] = down || final ? Array(1..<layerSlots.count) + (final ? [0] : []) : Array((0..<(layerSlots.count - 1)).reversed())
            for layer in order {
                let slots = layerSlots[layer]
                targets.removeAll(keepingCapacity: true)
                weights.removeAll(keepingCapacity: true)
                for slot in slots {
                    rows.removeAll(keepingCapacity: true)
                    let isLane = slot >= count
                    if isLane {
                        // A lane follows the lanes next to it, so a long edge runs straight.
                        if final || down { for other in preds[slot] where other >= count { rows.append(slotRow[other]) } }
                        if final || !down { for other in succs[slot] where other >= count { rows.append(slotRow[other]) } }
                    }
                    if rows.isEmpty {
                        if final || down { for other in preds[slot] { rows.append(slotRow[other]) } }
                        if final || !down { for other in succs[slot] { rows.append(slotRow[other]) } }
                    }
                    if rows.isEmpty {
                        targets.append(Double(slotRow[slot]))
                        weights.append(0.05)
                    } else {
                        rows.sort()
                        let middle = rows.count / 2
                        targets.append(rows.count % 2 == 1 ? Double(rows[middle]) : Double(rows[middle - 1] + rows[middle]) / 2)
                        weights.append(isLane ? 8 : 1)
                    }
                }
                let placed = Self.isotonicRows(targets: targets, weights: weights, height: height)
                for (index, slot) in slots.enumerated() { slotRow[slot] = placed[index] }
            }
        }
    }

    /// Distinct, increasing rows in 0..<height for targets in order, minimising the weighted
    /// squared distance to the targets (rounded; halves round up the screen).
    static func isotonicRows(targets: [Double], weights: [Double], height: Int) -> [Int] {
        let count = targets.count
        let maxShift = max(0, height - count)
        var means: [Double] = []
        var sums: [Double] = []
        var sizes: [Int] = []
        for index in 0..<count {
            var mean = targets[index] - Double(index)
            var weight = weights[index]
            var size = 1
            while let last = means.last, last > mean {
                let lastWeight = sums.removeLast()
                means.removeLast()
                size += sizes.removeLast()
                mean = (last * lastWeight + mean * weight) / (lastWeight + weight)
                weight += lastWeight
            }
            means.append(mean)
            sums.append(weight)
            sizes.append(size)
        }
        var rows: [Int] = []
        rows.reserveCapacity(count)
        for (block, mean) in means.enumerated() {
            let shift = min(maxShift, max(0, Int((mean - 0.5).rounded(.up))))
            for _ in 0..<sizes[block] { rows.append(shift + rows.count) }
        }
        return rows
    }

    /// Moves each lane, where its columns have room, onto the one row that makes the most of
    /// its pieces straight: all of its own, plus those from its sources or into its targets on
    /// that row. Row placement balances many pulls and can leave a lane stepping between rows.
    private mutating func straightenLanes(preds: [[Int]], succs: [[Int]]) {
        guard !lanes.isEmpty else { return }
        var index = Array(repeating: 0, count: slotLayer.count)
        for slots in layerSlots {
            for (position, slot) in slots.enumerated() { index[slot] = position }
        }
        /// Straight pieces touching the lane's slots, were they all on `row` (or where they are).
        func straightPieces(_ lane: Int, _ slots: [Int], atRow row: Int?) -> Int {
            var total = 0
            for slot in slots {
                let here = row ?? slotRow[slot]
                for other in preds[slot] where (row != nil && laneOf[other] == lane ? here : slotRow[other]) == here { total += 1 }
                for other in succs[slot] where laneOf[other] != lane && slotRow[other] == here { total += 1 }
            }
            return total
        }
        func fits(_ slot: Int, _ row: Int) -> Bool {
            let column = layerSlots[slotLayer[slot]]
            let position = index[slot]
            let above = position > 0 ? slotRow[column[position - 1]] : -1
            let below = position + 1 < column.count ? slotRow[column[position + 1]] : height
            return row > above && row < below
        }
        for (lane, slots) in lanes.enumerated() where !slots.isEmpty {
            var best = straightPieces(lane, slots, atRow: nil)
            var bestRow: Int?
            var candidates = Set<Int>()
            for slot in slots {
                candidates.insert(slotRow[slot])
                for other in preds[slot] + succs[slot] where laneOf[other] != lane { candidates.insert(slotRow[other]) }
            }
            for row in candidates.sorted() where slots.allSatisfy({ fits($0, row) }) {
                let score = straightPieces(lane, slots, atRow: row)
                if score > best {
                    best = score
                    bestRow = row
                }
            }
            if let bestRow {
                for slot in slots { slotRow[slot] = bestRow }
            }
        }
    }

    // MARK: - Summaries

    private mutating func summarize(stepCount count: Int) {
        columnLabelWidth = layerSlots.map { slots in
            slots.reduce(1) { $1 < count ? max($0, labelWidths[$1]) : $0 }
        }
        var perRow = Array(repeating: 0, count: height)
        for step in 0..<count { perRow[slotRow[step]] += 1 }
        for row in 0..<height { stepsAboveRow.append(stepsAboveRow[row] + perRow[row]) }
        compactRows.reserveCapacity(count)
        for slots in layerSlots {
            var members = 0
            for slot in slots where slot < count {
                compactRows.append(slot)
                members += 1
            }
            stepsBeforeColumn.append(stepsBeforeColumn[stepsBeforeColumn.count - 1] + members)
        }
    }
}

/// Crossing reduction: barycenter sweeps down and up, keeping the best order seen.
struct LayerOrdering {
    var layers: [[Int]]
    let preds: [[Int]]
    let succs: [[Int]]
    private var position: [Int]
    /// Each slot's place in the order the layers came in (file order for steps): what breaks
    /// a tie between equal barycenters, so ties never drift from one sweep to the next.
    private let rank: [Int]

    init(layers: [[Int]], preds: [[Int]], succs: [[Int]]) {
        self.layers = layers
        self.preds = preds
        self.succs = succs
        var position = Array(repeating: 0, count: preds.count)
        for slots in layers {
            for (index, slot) in slots.enumerated() { position[slot] = index }
        }
        self.position = position
        rank = position
    }

    private mutating func index(_ layer: Int) {
        for (index, slot) in layers[layer].enumerated() { position[slot] = index }
    }

    mutating func reduceCrossings(rounds: Int) {
        guard layers.count > 1 else { return }
        var best = layers
        var bestCount = totalCrossings()
        var round = 0
        while round < rounds && bestCount > 0 {
            let before = bestCount
            for layer in 1..<layers.count { reorder(layer, by: preds, against: layer - 1) }
            let afterDown = totalCrossings()
            if afterDown < bestCount { bestCount = afterDown; best = layers }
            for layer in (0..<(layers.count - 1)).reversed() { reorder(layer, by: succs, against: layer + 1) }
            let afterUp = totalCrossings()
            if afterUp < bestCount { bestCount = afterUp; best = layers }
            if bestCount >= before { break }
            round += 1
        }
        layers = best
        for layer in layers.indices { index(layer) }
        transpose(rounds: rounds)
    }

    /// Swaps neighbours in a layer while that removes crossings (the "transpose" refinement).
    mutating func transpose(rounds: Int) {
        for _ in 0..<rounds {
            var improved = false
            for layer in layers.indices where layers[layer].count > 1 {
                for index in 0..<(layers[layer].count - 1) {
                    let upper = layers[layer][index], lower = layers[layer][index + 1]
                    let now = pairCrossings(upper, lower), swapped = pairCrossings(lower, upper)
                    if swapped < now {
                        layers[layer][index] = lower
                        layers[layer][index + 1] = upper
                        position[lower] = index
                        position[upper] = index + 1
                        improved = true
                    }
                }
            }
            if !improved { break }
        }
    }

    /// Crossings between the edges of two slots of one layer when `first` is above `second`.
    private func pairCrossings(_ first: Int, _ second: Int) -> Int {
        Self.inversions(preds[first], preds[second], position) + Self.inversions(succs[first], succs[second], position)
    }

    /// Pairs (a, b) from the two lists with `position[a] > position[b]`.
    private static func inversions(_ first: [Int], _ second: [Int], _ position: [Int]) -> Int {
        if first.isEmpty || second.isEmpty { return 0 }
        var total = 0
        if first.count * second.count <= 256 {
            for a in first {
                let pa = position[a]
                for b in second where pa > position[b] { total += 1 }
            }
            return total
        }
        let left = first.map { position[$0] }.sorted(), right = second.map { position[$0] }.sorted()
        var below = 0
        for value in left {
            while below < right.count && right[below] < value { below += 1 }
            total += below
        }
        return total
    }

    /// Sorts a layer by the mean position of each slot's neighbours in the adjacent layer;
    /// a slot without any keeps its relative place, and equal means keep the incoming order.
    private mutating func reorder(_ layer: Int, by neighbours: [[Int]], against other: Int) {
        let slots = layers[layer]
        guard slots.count > 1 else { return }
        let scale = Double(layers[other].count) / Double(slots.count)
        var keyed: [(key: Double, index: Int)] = []
        keyed.reserveCapacity(slots.count)
        for (index, slot) in slots.enumerated() {
            let linked = neighbours[slot]
            if linked.isEmpty {
                keyed.append(((Double(index) + 0.5) * scale - 0.5, index))
            } else {
                var sum = 0
                for neighbour in linked { sum += position[neighbour] }
                keyed.append((Double(sum) / Double(linked.count), index))
            }
        }
        keyed.sort { $0.key != $1.key ? $0.key < $1.key : rank[slots[$0.index]] < rank[slots[$1.index]] }
        layers[layer] = keyed.map { slots[$0.index] }
        index(layer)
    }

    func totalCrossings() -> Int {
        var total = 0
        for layer in 0..<(layers.count - 1) { total += crossings(below: layer) }
        return total
    }

    /// Crossings between a layer and the next: inversions among its edges' target positions
    /// (Barth, Jünger and Mutzel's accumulator, with a Fenwick tree).
    func crossings(below layer: Int) -> Int {
        let size = layers[layer + 1].count
        var tree = Array(repeating: 0, count: size + 1)
        var total = 0, seen = 0
        var targets: [Int] = []
        for slot in layers[layer] {
            targets.removeAll(keepingCapacity: true)
            for target in succs[slot] { targets.append(position[target]) }
            targets.sort()
            for value in targets {
                var index = value + 1, atMost = 0
                while index > 0 { atMost += tree[index]; index -= index & -index }
                total += seen - atMost
                index = value + 1
                while index <= size { tree[index] += 1; index += index & -index }
                seen += 1
            }
        }
        return total
    }
}
