import BatonEngine
import BatonTerminal

/// The header: workflow, run id, the run's status (what it waits for and since when), the
/// nearest gate deadline, elapsed time, counts per state, and attention marks.
public struct HeaderView: Widget {
    public var state: AppState
    public var theme: Theme
    public var unicode: Bool

    public init(state: AppState, theme: Theme, unicode: Bool) {
        self.state = state
        self.theme = theme
        self.unicode = unicode
    }

    /// The run's state in a word or two: `RunState.status`, the one value every front end shows.
    public var runLabel: String {
        if state.recordingFailure != nil { return "NOT RECORDED" }
        if case .hostGone = state.hostEnding, !state.run.isFinished { return "HOST GONE" }
        return state.run.status.words.uppercased()
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.width > 0, area.height > 0 else { return }
        let base = theme.style(.header)
        buffer.fill(area, with: Cell(" ", style: base))
        let elapsed = (state.run.finishedAt ?? state.now) - (state.run.startedAt ?? state.now)
        // A replay knows its run before the run_started event is applied.
        let runID = state.run.runID.isEmpty ? state.replay?.runID ?? "" : state.run.runID
        var badges: [String] = []
        if state.replay != nil { badges.append(" REPLAY — read-only ") }
        if state.seat.isAttached {
            badges.append(state.seat == .attachedReadOnly ? " ATTACHED — read-only "
                : " ATTACHED as \(state.user)\(state.role == .viewer ? ", a viewer" : "") ")
        }
        let label = runLabel
        let status = state.run.status
        let labelStyle: Style
        if state.recordingFailure != nil || state.hostEnding != nil && !state.run.isFinished {
            labelStyle = theme.style(.attention)
        } else {
            switch status {
            case .paused: labelStyle = theme.style(.paused)
            case .succeeded, .rolledBack: labelStyle = base.patched(with: theme.style(for: .succeeded)).with(.bold)
            case .failed, .cancelled, .interrupted, .rollbackFailed, .waitingForOperator: labelStyle = theme.style(.attention)
            default: labelStyle = base.patched(with: theme.style(for: .running))
            }
        }
        var shown = status == .paused && state.recordingFailure == nil ? " ‖ PAUSED — nothing new starts (p resumes) " : " \(label) "
        let clock = Format.duration(max(0, elapsed))
        // The run's state and its clock always show whole: what comes before them gives way,
        // the run id first, then the product's name, then the workflow's name is cut.
        let available = area.width - 1
        if TextWidth.of(shown) + 2 + TextWidth.of(clock) > available { shown = " \(label) " }
        var room = available - TextWidth.of(shown) - 2 - TextWidth.of(clock)
        let badgeWidth = badges.reduce(0) { $0 + TextWidth.of($1) + 2 }
        let runText = runID.isEmpty ? "" : "run \(runID)"
        let workflowWidth = TextWidth.of(state.workflow.name) + 2
        let showsRun = !runText.isEmpty && 7 + workflowWidth + TextWidth.of(runText) + 2 + badgeWidth <= room
        let showsBrand = 7 + workflowWidth + badgeWidth <= room
        var x = area.x + 1
        if showsBrand {
            x = buffer.write("Baton", x: x, y: area.y, style: base.with(.bold), clip: area) + 2
            room -= 7
        }
        let workflowName = TextWidth.truncate(state.workflow.name, to: max(0, room - badgeWidth - 2))
        if !workflowName.isEmpty {
            x = buffer.write(workflowName, x: x, y: area.y, style: base.with(.bold), clip: area) + 2
        }
        if showsRun {
            x = buffer.write(runText, x: x, y: area.y, style: base, clip: area) + 2
        }
        for badge in badges where x + TextWidth.of(badge) + TextWidth.of(shown) + 2 + TextWidth.of(clock) <= area.maxX {
            x = buffer.write(badge, x: x, y: area.y, style: theme.style(.paused), clip: area) + 2
        }
        x = buffer.write(shown, x: x, y: area.y, style: labelStyle, clip: area) + 2
        x = buffer.write(clock, x: x, y: area.y, style: base, clip: area) + 2
        let (detail, deadline) = trailer(room: area.maxX - 1 - x)
        if let detail {
            x = buffer.write(detail, x: x, y: area.y, style: base.with(.bold), clip: area) + 2
        }
        if let deadline {
            buffer.write(deadline, x: x, y: area.y, style: theme.style(for: .waiting).with(.bold), clip: area)
        }
        guard area.height > 1 else { return }
        var column = area.x + 1
        let counts = state.run.countsByState
        for stepState in StepState.allCases {
            guard let count = counts[stepState] else { continue }
            let text = "\(theme.glyph(for: stepState)) \(count) \(stepState.rawValue)"
            column = buffer.write(text, x: column, y: area.y + 1, style: base.patched(with: theme.style(for: stepState)), clip: area) + 2
        }
        if let latest = state.attention.last, let text = attentionText(latest, room: area.maxX - column) {
            buffer.write(text, x: area.maxX - TextWidth.of(text), y: area.y + 1, style: theme.style(.attention), clip: area)
        }
    }

    /// What follows the clock, fitted to `room` columns: what the run waits on, then the nearest
    /// gate's deadline. The deadline is kept whole before the wait's reason, and whatever is cut
    /// ends with "…" so that a cut sentence never reads as a whole one.
    func trailer(room: Int) -> (detail: String?, deadline: String?) {
        var deadline = nearestGateDeadline.map { gate in
            "\(unicode ? "⏲" : "T") '\(gate.step)' \(Format.duration(max(0, gate.deadline - state.now))) left (until \(Format.clock(gate.deadline)))"
        }
        let deadlineWidth = deadline.map { TextWidth.of($0) + 2 } ?? 0
        if deadlineWidth > room {
            deadline = deadline.map { TextWidth.truncate($0, to: room) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        // A reason cut to a few columns says nothing: it goes whole or down to "for 42s: th…".
        let detailRoom = room - deadlineWidth
        let detail = (state.recordingFailure == nil ? waitDetail : nil).flatMap { text in
            TextWidth.of(text) <= detailRoom ? text : detailRoom >= 12 ? TextWidth.truncate(text, to: detailRoom) : nil
        }
        return (detail, deadline)
    }

    /// The latest attention mark, right-aligned in `room` columns: whole with the hint of the
    /// key that jumps to it, else without the hint, else cut with "…"; nil with too little room.
    func attentionText(_ latest: Attention, room: Int) -> String? {
        let more = state.attention.count > 1 ? " (+\(state.attention.count - 1))" : ""
        let mark = unicode ? "⚠" : "!"
        let whole = " \(mark) \(latest.text)\(more) — ! jumps "
        if TextWidth.of(whole) <= room { return whole }
        let plain = " \(mark) \(latest.text)\(more) "
        if TextWidth.of(plain) <= room { return plain }
        // The mark, a space each side, and a few characters of the text at least.
        let frame = TextWidth.of(" \(mark) ") + 1
        guard room >= frame + 6 else { return nil }
        return " \(mark) " + TextWidth.truncate(latest.text + more, to: room - frame) + " "
    }

    /// What the run waits on and for how long, or why it stops: "for 42s: 'smoke-test' failed".
    public var waitDetail: String? {
        let run = state.run
        switch run.status {
        case .waitingForOperator, .paused:
            guard let wait = run.operatorWait else { return nil }
            let reasons = wait.reasons.filter { $0 != "the run is paused" }
            guard let first = reasons.first else { return nil }
            let more = reasons.count > 1 ? " (+\(reasons.count - 1) more)" : ""
            return "for \(Format.duration(max(0, state.now - wait.since))): \(VisibleText.escape(first))\(more)"
        case .stopping:
            return run.haltReason.map { "stopping: \(VisibleText.escape($0))" }
        default:
            return nil
        }
    }

    /// The open gate whose timeout comes first, if any has one.
    public var nearestGateDeadline: (step: String, deadline: Double)? {
        var nearest: (step: String, deadline: Double)?
        for index in state.run.steps.indices where state.run.steps[index].state == .waiting {
            guard let deadline = state.gateDeadline(index) else { continue }
            if nearest == nil || deadline < nearest!.deadline { nearest = (state.run.steps[index].id, deadline) }
        }
        return nearest
    }
}
