import BatonEngine

extension ConsoleUpdate {
    /// Starts a replay of recorded events: the state before the first event, or after the last
    /// when `speed` is 0 (an instant replay opens at the end).
    public static func beginReplay(_ state: inout AppState, events: [RunEvent], logs: [String: [OutputLine]], speed: Double, context: ConsoleContext) {
        state.replay = ReplayState(events: events, logs: logs, speed: speed > 0 ? speed : 1, playing: speed > 0)
        seek(&state, to: speed > 0 ? 0 : events.count, context: context)
        state.status = StatusLine(
            speed > 0 ? "replaying \(events.count) events at \(speedLabel(speed)) — Space pauses, [ and ] step, { and } jump to the ends"
                : "replay at the end of \(events.count) events — [ steps back, { jumps to the start, Space plays from there",
            isError: false, time: state.now)
    }

    /// Moves a replay to `target` events applied, folding forward from where it stands or
    /// again from the start when going back.
    public static func seek(_ state: inout AppState, to target: Int, context: ConsoleContext) {
        guard var replay = state.replay else { return }
        let position = min(max(0, target), replay.events.count)
        if position < replay.position {
            // Back: fold again from nothing, with the same path as live events.
            state.run = RunState()
            state.timeline = RunTimeline(workflow: state.workflow, events: [])
            state.attention = []
            state.logs = [:]
            replay.shownLines = [:]
            replay.position = 0
        }
        let status = state.status
        for event in replay.events[replay.position..<position] {
            // Bells are for live operators; a replay shows the marks without ringing.
            _ = apply(event, to: &state, context: context)
        }
        state.status = status
        replay.position = position
        state.now = replay.time
        // Before the first event nothing has been printed yet.
        if replay.position > 0 { showLines(until: replay.time, replay: &replay, in: &state) }
        if replay.atEnd { replay.playing = false }
        state.replay = replay
        recomputeMatches(&state)
    }

    /// Applies the next event of a playing replay.
    static func advanceReplay(_ state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        guard let replay = state.replay, replay.playing, !replay.atEnd else { return [] }
        seek(&state, to: replay.position + 1, context: context)
        if state.replay?.atEnd == true {
            state.status = StatusLine("end of the recording — { goes back to the start, [ steps back", isError: false, time: state.now)
        }
        return []
    }

    /// Carries out a playback key.
    static func performReplay(_ action: ConsoleAction, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        guard var replay = state.replay else { return [] }
        switch action {
        case .playPause:
            if replay.atEnd && !replay.playing {
                state.replay = replay
                seek(&state, to: 0, context: context)
                replay = state.replay ?? replay
            }
            replay.playing.toggle()
            state.replay = replay
            state.status = StatusLine(replay.playing ? "playing at \(speedLabel(replay.speed))" : "paused at event \(replay.position) of \(replay.events.count)", isError: false, time: state.now)
        case .stepForward, .stepBack, .replayStart, .replayEnd:
            replay.playing = false
            state.replay = replay
            let target: Int
            switch action {
            case .stepForward: target = replay.position + 1
            case .stepBack: target = replay.position - 1
            case .replayStart: target = 0
            default: target = replay.events.count
            }
            seek(&state, to: target, context: context)
            state.status = StatusLine(describePosition(state), isError: false, time: state.now)
        case .faster, .slower:
            replay.speed = ReplayState.speed(after: replay.speed, faster: action == .faster)
            state.replay = replay
            state.status = StatusLine("replay speed \(speedLabel(replay.speed))", isError: false, time: state.now)
        default:
            break
        }
        return []
    }

    /// "event 12 of 40: 'db' failed" — where a replay stands, for the status line.
    static func describePosition(_ state: AppState) -> String {
        guard let replay = state.replay else { return "" }
        guard replay.position > 0 else { return "event 0 of \(replay.events.count): before the run started" }
        let event = replay.events[replay.position - 1]
        return "event \(replay.position) of \(replay.events.count): \(ReplayEventText.describe(event))"
    }

    static func speedLabel(_ speed: Double) -> String {
        speed >= 1 && speed == speed.rounded() ? "\(Int(speed))×" : "\(speed)×"
    }

    /// Shows each step's lines printed up to `time`: appends going forward, rebuilds after a rewind.
    private static func showLines(until time: Double, replay: inout ReplayState, in state: inout AppState) {
        for (step, lines) in replay.logs {
            let shown = replay.shownLines[step] ?? 0
            var end = shown
            while end < lines.count, lines[end].time.timeIntervalSince1970 <= time + 0.0005 { end += 1 }
            guard end > shown else { continue }
            for line in lines[shown..<end] { state.logs[step, default: StepLog()].append(line) }
            replay.shownLines[step] = end
        }
    }
}
