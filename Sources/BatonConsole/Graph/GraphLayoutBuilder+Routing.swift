/// Channel routing: grouping the pieces between two columns into nets and giving each net
/// that needs one a vertical track.
extension GraphLayoutBuilder {
    /// Groups each channel's pieces into nets and assigns tracks.
    ///
    /// Sources with the same targets in the next column share one net: every source of a net
    /// connects to every target of it, so a shared trunk never suggests an edge that does not
    /// exist. That covers a fan-out (one source), a fan-in (sources whose only target is the
    /// same step) and the complete case between. A source row belongs to exactly one net.
    mutating func route() {
        let slotCount = slotLayer.count
        let channelCount = max(0, layerSlots.count - 1)
        // Each slot's outgoing pieces, packed: `outgoing[outgoingStart[s]..<outgoingStart[s + 1]]`
        // (one array for all of them, not one per slot).
        var outgoingStart = Array(repeating: 0, count: slotCount + 1)
        for source in pieceFrom { outgoingStart[source + 1] += 1 }
        for slot in 0..<slotCount { outgoingStart[slot + 1] += outgoingStart[slot] }
        var outgoing = Array(repeating: 0, count: pieceFrom.count)
        var filled = outgoingStart
        for piece in pieceFrom.indices {
            outgoing[filled[pieceFrom[piece]]] = piece
            filled[pieceFrom[piece]] += 1
        }
        pieceNet = Array(repeating: -1, count: pieceFrom.count)
        channelNets = Array(repeating: [], count: channelCount)
        channelTracks = Array(repeating: 0, count: channelCount)
        var scratch = TrackScratch(slotCount: slotCount, height: height)

        // Most sources have one or two targets: their sets are keyed by one integer, so that
        // a graph of 10,000 steps makes and hashes no array per source.
        var netOfPair: [Int: Int] = [:]
        var netOfTargets: [[Int]: Int] = [:]
        for channel in 0..<channelCount {
            let firstNet = netTop.count
            netOfPair.removeAll(keepingCapacity: true)
            netOfTargets.removeAll(keepingCapacity: true)
            for source in layerSlots[channel] where outgoingStart[source] < outgoingStart[source + 1] {
                let pieces = outgoing[outgoingStart[source]..<outgoingStart[source + 1]]
                let net: Int
                if pieces.count <= 2 {
                    let first = pieceTo[pieces[pieces.startIndex]]
                    let second = pieces.count == 2 ? pieceTo[pieces[pieces.startIndex + 1]] : first
                    // Slot numbers are far below 2^31; one target is the pair (t, t).
                    let pair = min(first, second) << 32 | max(first, second)
                    if let existing = netOfPair[pair] {
                        net = existing
                    } else {
                        net = addNet(channel: channel, targets: first == second ? [first] : [min(first, second), max(first, second)])
                        netOfPair[pair] = net
                    }
                } else {
                    let key = pieces.map { pieceTo[$0] }.sorted()
                    if let existing = netOfTargets[key] {
                        net = existing
                    } else {
                        net = addNet(channel: channel, targets: key)
                        netOfTargets[key] = net
                    }
                }
                netLefts[net].append(source)
                for piece in pieces { pieceNet[piece] = net }
            }
            let nets = Array(firstNet..<netTop.count)
            for net in nets {
                netLefts[net].sort { slotRow[$0] < slotRow[$1] }
                netRights[net].sort { slotRow[$0] < slotRow[$1] }
                let top = min(slotRow[netLefts[net][0]], slotRow[netRights[net][0]])
                let bottom = max(slotRow[netLefts[net][netLefts[net].count - 1]], slotRow[netRights[net][netRights[net].count - 1]])
                netTop[net] = top
                netBottom[net] = bottom
            }
            channelNets[channel] = nets
            channelTracks[channel] = assignTracks(channel: channel, nets: nets, scratch: &scratch)
        }
    }

    /// A new net in `channel` towards `targets`, with no source yet; returns its number.
    private mutating func addNet(channel: Int, targets: [Int]) -> Int {
        netChannel.append(channel)
        netTrack.append(-1)
        netTop.append(0)
        netBottom.append(0)
        netLefts.append([])
        netRights.append(targets)
        return netTop.count - 1
    }

    /// Gives each net that is not a single straight row a track, left to right, packing nets
    /// whose rows do not overlap onto one track (the left-edge algorithm), subject to: a net
    /// leaving a row must sit left of any other net entering that row, so their horizontal
    /// runs never overlap. When those constraints form a cycle one is dropped (the runs then
    /// overlap; the selection's highlight still tells them apart). Returns the track count.
    private mutating func assignTracks(channel: Int, nets: [Int], scratch: inout TrackScratch) -> Int {
        let routed = nets.filter { netTop[$0] != netBottom[$0] }
        guard let firstNet = nets.first, !routed.isEmpty else { return 0 }
        let localCount = nets.count
        var after = Array(repeating: [Int](), count: localCount)
        var blockers = Array(repeating: 0, count: localCount)

        for net in routed {
            for target in netRights[net] { scratch.netsInto[target].append(net) }
        }
        for slot in layerSlots[channel + 1] { scratch.slotAtRow[slotRow[slot]] = slot }
        for net in routed {
            for source in netLefts[net] {
                let entering = scratch.slotAtRow[slotRow[source]]
                guard entering >= 0 else { continue }
                for other in scratch.netsInto[entering] where other != net {
                    after[net - firstNet].append(other)
                    blockers[other - firstNet] += 1
                }
            }
        }
        for slot in layerSlots[channel + 1] {
            scratch.slotAtRow[slotRow[slot]] = -1
            scratch.netsInto[slot].removeAll()
        }

        // `ready` stays sorted by top row (then bottom, then net): each track takes, in one
        // pass, every ready net that starts below the last one it took.
        func before(_ a: Int, _ b: Int) -> Bool {
            if netTop[a] != netTop[b] { return netTop[a] < netTop[b] }
            if netBottom[a] != netBottom[b] { return netBottom[a] < netBottom[b] }
            return a < b
        }
        var ready = routed.filter { blockers[$0 - firstNet] == 0 }.sorted(by: before)
        var unblocked: [Int] = []
        var waiting: [Int] = []
        var placedCount = 0
        var track = 0
        while placedCount < routed.count {
            if ready.isEmpty {
                // A cycle of constraints: start with the net that breaks the fewest.
                var pick = -1
                for net in routed where netTrack[net] < 0 {
                    if pick < 0 || blockers[net - firstNet] < blockers[pick - firstNet]
                        || (blockers[net - firstNet] == blockers[pick - firstNet] && netTop[net] < netTop[pick]) {
                        pick = net
                    }
                }
                blockers[pick - firstNet] = 0
                ready.append(pick)
            }
            var lastBottom = Int.min
            waiting.removeAll(keepingCapacity: true)
            unblocked.removeAll(keepingCapacity: true)
            for net in ready {
                guard netTop[net] > lastBottom else {
                    waiting.append(net)
                    continue
                }
                netTrack[net] = track
                lastBottom = netBottom[net]
                placedCount += 1
                for other in after[net - firstNet] {
                    blockers[other - firstNet] -= 1
                    if blockers[other - firstNet] == 0 && netTrack[other] < 0 { unblocked.append(other) }
                }
            }
            if unblocked.isEmpty {
                swap(&ready, &waiting)
            } else {
                unblocked.sort(by: before)
                ready = Self.merge(waiting, unblocked, by: before)
            }
            track += 1
        }
        return track
    }
}

extension GraphLayoutBuilder {
    /// Two sorted lists as one.
    static func merge(_ first: [Int], _ second: [Int], by before: (Int, Int) -> Bool) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(first.count + second.count)
        var i = 0, j = 0
        while i < first.count && j < second.count {
            if before(second[j], first[i]) {
                result.append(second[j])
                j += 1
            } else {
                result.append(first[i])
                i += 1
            }
        }
        result.append(contentsOf: first[i...])
        result.append(contentsOf: second[j...])
        return result
    }
}

/// Reusable lookup tables for track assignment, cleared after each channel.
struct TrackScratch {
    var netsInto: [[Int]]
    var slotAtRow: [Int]

    init(slotCount: Int, height: Int) {
        netsInto = Array(repeating: [], count: slotCount)
        slotAtRow = Array(repeating: -1, count: height)
    }
}
