import BatonEngine
import BatonTerminal

/// The replay's scrubber: play state, speed, event count, recorded time, and a bar of the
/// whole recording with the current position and the failures and gates along it.
public struct ReplayBar: Widget {
    public var replay: ReplayState
    public var theme: Theme
    public var unicode: Bool

    public init(replay: ReplayState, theme: Theme, unicode: Bool) {
        self.replay = replay
        self.theme = theme
        self.unicode = unicode
    }

    /// The column of the bar (0 ..< width) that event `index` (0-based) falls on, by time.
    public static func column(ofEventAt index: Int, in replay: ReplayState, width: Int) -> Int {
        guard width > 1, replay.events.indices.contains(index) else { return 0 }
        let (start, end) = replay.span
        guard end > start else { return replay.events.count > 1 ? index * (width - 1) / (replay.events.count - 1) : 0 }
        let fraction = (replay.events[index].time - start) / (end - start)
        return min(width - 1, max(0, Int((fraction * Double(width - 1)).rounded())))
    }

    /// The narrowest bar worth drawing, in columns.
    static let shortestBar = 8

    /// "event 12/40": how many of the recording's events are applied.
    static func counter(position: Int, count: Int) -> String {
        "event \(position)/\(count)"
    }

    /// "12s / 1m05s": the recorded time since the start, and the recording's length.
    static func clock(elapsed: Double, total: Double) -> String {
        "\(Format.duration(max(0, elapsed))) / \(Format.duration(max(0, total)))"
    }

    /// "▶ REPLAY PLAYING", "‖ REPLAY PAUSED" or "‖ REPLAY END".
    static func playState(playing: Bool, atEnd: Bool, unicode: Bool) -> String {
        let glyph = playing ? (unicode ? "▶" : ">") : (unicode ? "‖" : "=")
        return "\(glyph) REPLAY \(playing ? "PLAYING" : (atEnd ? "END" : "PAUSED"))"
    }

    /// The widest the play state gets, in columns.
    static func widestPlayState(unicode: Bool) -> Int {
        [(true, false), (false, false), (false, true)].map { TextWidth.of(playState(playing: $0, atEnd: $1, unicode: unicode)) }.max() ?? 0
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.width > 0, area.height > 0 else { return }
        let base = theme.style(.header)
        buffer.fill(area, with: Cell(" ", style: base))
        let (start, end) = replay.span
        let widths = replay.barWidths
        let texts: [(text: String, width: Int, style: Style)] = [
            (Self.playState(playing: replay.playing, atEnd: replay.atEnd, unicode: unicode), Self.widestPlayState(unicode: unicode), base.with(.bold)),
            (ConsoleUpdate.speedLabel(replay.speed), widths.speed, base),
            (Self.counter(position: replay.position, count: replay.events.count), widths.counter, base),
            (Self.clock(elapsed: replay.time - start, total: end - start), widths.clock, base),
        ]
        // Each text keeps its widest width, so the bar starts on one column for the whole
        // replay and its marks never move. When that leaves the bar too little room, the speed
        // (the status line reports each change) and then the clock give up theirs.
        func barWidth(_ shown: [Int]) -> Int { area.width - 2 - shown.reduce(0) { $0 + texts[$1].width + 2 } }
        let choice = [[0, 1, 2, 3], [0, 2, 3], [0, 2]].first { barWidth($0) >= Self.shortestBar }
        var x = area.x + 1
        for index in choice ?? [0, 1, 2, 3] {
            buffer.write(texts[index].text, x: x, y: area.y, style: texts[index].style, clip: area)
            x += texts[index].width + 2
        }
        guard let choice else { return }
        let barWidth = barWidth(choice)
        let track = unicode ? "─" : "-"
        let done = unicode ? "━" : "="
        let here = replay.position == 0 ? -1 : Self.column(ofEventAt: replay.position - 1, in: replay, width: barWidth)
        for column in 0..<barWidth {
            buffer.write(column <= here ? done : track, x: x + column, y: area.y, style: column <= here ? base.with(.bold) : theme.style(.muted), clip: area)
        }
        // Marks where something asked for an operator: failures and gates that opened.
        for (index, event) in replay.events.enumerated() where event.kind == .step {
            let mark: String
            let style: Style
            switch event.state {
            case .failed?, .rollbackFailed?: mark = "!"; style = theme.style(for: .failed)
            case .waiting?: mark = "?"; style = theme.style(for: .waiting)
            default: continue
            }
            buffer.write(mark, x: x + Self.column(ofEventAt: index, in: replay, width: barWidth), y: area.y, style: style, clip: area)
        }
        if here >= 0 {
            buffer.write(unicode ? "●" : "o", x: x + here, y: area.y, style: base.with(.bold), clip: area)
        }
    }

    /// The columns the bar keeps for its texts that change as a replay moves: the widest each
    /// gets over the whole replay, measured once.
    public struct Widths: Sendable, Hashable {
        public var counter: Int
        public var clock: Int
        public var speed: Int

        /// The widths for a recording replayed from `speed`.
        public init(events: [RunEvent], speed: Double) {
            counter = TextWidth.of(ReplayBar.counter(position: events.count, count: events.count))
            let start = events.first?.time ?? 0
            let total = (events.last?.time ?? 0) - start
            // A duration's text does not grow with it ("9.0s", "10s"), so each event's is measured.
            clock = events.reduce(TextWidth.of(ReplayBar.clock(elapsed: 0, total: total))) { widest, event in
                max(widest, TextWidth.of(ReplayBar.clock(elapsed: event.time - start, total: total)))
            }
            self.speed = Self.reachableSpeeds(from: speed).map { TextWidth.of(ConsoleUpdate.speedLabel($0)) }.max() ?? 0
        }

        /// Every speed that `+` and `-` reach from `speed`, `speed` included.
        static func reachableSpeeds(from speed: Double) -> Set<Double> {
            // A speed that is not a number would never repeat, so the search would not end.
            guard speed.isFinite else { return [speed] }
            var found: Set<Double> = [speed]
            var unvisited = [speed]
            while let next = unvisited.popLast() {
                for faster in [true, false] {
                    let reached = ReplayState.speed(after: next, faster: faster)
                    if found.insert(reached).inserted { unvisited.append(reached) }
                }
            }
            return found
        }
    }
}
