/// Channel routing: grouping the pieces between two columns into nets and giving each net
/// that needs one a vertical track.
extension GraphLayoutBuilder {
    /// Groups each channel's pieces into nets and assigns tracks.
    ///
    /// A piece joins the fan-in net of its target when its source has no other piece here and
    /// its target has several; otherwise it joins the fan-out net of its source. So every net
    /// is one source to many targets or many sources to one target, and a shared trunk never
    /// suggests an edge that does not exist. A source row belongs to exactly one net.
    mutating func route(stepCount count: Int) {
        let slotCount = slotLayer.count
        let channelCount = max(0, layerSlots.count - 1)
        var outDegree = Array(repeating: 0, count: slotCount)
        var inDegree = Array(repeating: 0, count: slotCount)
        var channelPieces = Array(repeating: [Int](), count: channelCount)
        for piece in pieceFrom.indices {
            outDegree[pieceFrom[piece]] += 1
            inDegree[pieceTo[piece]] += 1
            channelPieces[slotLayer[pieceFrom[piece]]].append(piece)
        }
        pieceNet = Array(repeating: -1, count: pieceFrom.count)
        channelNets = Array(repeating: [], count: channelCount)
        channelTracks = Array(repeating: 0, count: channelCount)
        var fanOut = Array(repeating: -1, count: slotCount)
        var fanIn = Array(repeating: -1, count: slotCount)
        var scratch = TrackScratch(slotCount: slotCount, height: height)

        for channel in 0..<channelCount {
            let firstNet = netTop.count
            func newNet() -> Int {
                netChannel.append(channel)
                netTrack.append(-1)
                netTop.append(0)
                netBottom.append(0)
                netLefts.append([])
                netRights.append([])
                return netTop.count - 1
            }
            for piece in channelPieces[channel] {
                let from = pieceFrom[piece], to = pieceTo[piece]
                var net: Int
                if outDegree[from] == 1 && inDegree[to] > 1 {
                    net = fanIn[to]
                    if net < 0 {
                        net = newNet()
                        fanIn[to] = net
                        netRights[net].append(to)
                    }
                    netLefts[net].append(from)
                } else {
                    net = fanOut[from]
                    if net < 0 {
                        net = newNet()
                        fanOut[from] = net
                        netLefts[net].append(from)
                    }
                    netRights[net].append(to)
                }
                pieceNet[piece] = net
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

        var ready = routed.filter { blockers[$0 - firstNet] == 0 }
        var placedCount = 0
        var track = 0
        while placedCount < routed.count {
            if ready.isEmpty {
                // A cycle of constraints: start with the net that breaks the fewest.
                var pick = -1
                for net in routed where netTrack[net] < 0 {
                    if pick < 0 || (blockers[net - firstNet], netTop[net]) < (blockers[pick - firstNet], netTop[pick]) { pick = net }
                }
                blockers[pick - firstNet] = 0
                ready.append(pick)
            }
            ready.sort { (netTop[$0], netBottom[$0], $0) < (netTop[$1], netBottom[$1], $1) }
            var lastBottom = Int.min
            var waiting: [Int] = []
            var placed: [Int] = []
            for net in ready {
                if netTop[net] > lastBottom {
                    netTrack[net] = track
                    lastBottom = netBottom[net]
                    placed.append(net)
                } else {
                    waiting.append(net)
                }
            }
            ready = waiting
            placedCount += placed.count
            for net in placed {
                for other in after[net - firstNet] {
                    blockers[other - firstNet] -= 1
                    if blockers[other - firstNet] == 0 && netTrack[other] < 0 { ready.append(other) }
                }
            }
            track += 1
        }
        return track
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
