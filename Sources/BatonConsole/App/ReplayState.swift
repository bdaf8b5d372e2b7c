import BatonEngine

/// Where a replay of a recorded run stands: the journal, how much of it is shown, and how it plays.
///
/// The console's state at `position` is the fold of the first `position` events, made by the
/// same `update` path that the live console uses, so a replay shows exactly what an operator
/// saw when that event arrived.
public struct ReplayState: Sendable {
    /// The recorded events, in journal order.
    public let events: [RunEvent]
    /// The recorded run's id, from its `run_started` event: known before that event is applied.
    public let runID: String
    /// Every recorded output line of each step, oldest first.
    public let logs: [String: [OutputLine]]
    /// How many events are applied: 0 is before the run started, `events.count` is the end.
    public var position = 0
    /// How many of each step's lines are shown (those printed by the time of `position`).
    public var shownLines: [String: Int] = [:]
    public var playing: Bool
    /// How many times faster than recorded the replay plays.
    public var speed: Double
    /// The columns the scrubber keeps for its texts: the widest each gets in this replay.
    public let barWidths: ReplayBar.Widths

    /// The fastest and slowest speeds `+` and `-` reach.
    public static let speedRange = 0.125...512.0
    /// The longest real pause between two events while playing, however long the recording waited.
    public static let longestPause = 3.0

    public init(events: [RunEvent], logs: [String: [OutputLine]], speed: Double, playing: Bool) {
        self.events = events
        self.runID = events.first { $0.kind == .runStarted }?.runID ?? ""
        self.logs = logs.mapValues { lines in lines.sorted { $0.time < $1.time } }
        self.speed = speed
        self.playing = playing
        self.barWidths = ReplayBar.Widths(events: events, speed: speed)
    }

    /// The speed after `+` (`faster`) or `-`: twice or half, kept within `speedRange`.
    public static func speed(after speed: Double, faster: Bool) -> Double {
        min(max(speed * (faster ? 2 : 0.5), speedRange.lowerBound), speedRange.upperBound)
    }

    /// True when every event is applied.
    public var atEnd: Bool { position >= events.count }

    /// The recorded time at `position`: the last applied event's, or the first event's before any.
    public var time: Double {
        if position > 0, events.indices.contains(position - 1) { return events[position - 1].time }
        return events.first?.time ?? 0
    }

    /// The recording's first and last times.
    public var span: (start: Double, end: Double) {
        (events.first?.time ?? 0, events.last?.time ?? 0)
    }

    /// How long to wait, in real seconds, before the next event while playing; nil at the end.
    public var pauseBeforeNext: Double? {
        guard !atEnd, speed > 0 else { return nil }
        let gap = max(0, events[position].time - time)
        return min(gap / speed, Self.longestPause)
    }
}
