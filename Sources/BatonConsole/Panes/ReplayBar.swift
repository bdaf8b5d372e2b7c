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

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.width > 0, area.height > 0 else { return }
        let base = theme.style(.header)
        buffer.fill(area, with: Cell(" ", style: base))
        let (start, end) = replay.span
        let playGlyph = replay.playing ? (unicode ? "▶" : ">") : (unicode ? "‖" : "=")
        let label = replay.playing ? "PLAYING" : (replay.atEnd ? "END" : "PAUSED")
        var x = area.x + 1
        x = buffer.write("\(playGlyph) REPLAY \(label)", x: x, y: area.y, style: base.with(.bold), clip: area) + 2
        x = buffer.write(ConsoleUpdate.speedLabel(replay.speed), x: x, y: area.y, style: base, clip: area) + 2
        let counter = "event \(replay.position)/\(replay.events.count)"
        x = buffer.write(counter, x: x, y: area.y, style: base, clip: area) + 2
        let clock = "\(Format.duration(max(0, replay.time - start))) / \(Format.duration(max(0, end - start)))"
        x = buffer.write(clock, x: x, y: area.y, style: base, clip: area) + 2
        let barWidth = area.maxX - 1 - x
        guard barWidth >= 8 else { return }
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
}
