import BatonEngine
import BatonTerminal

/// The header: workflow, run id, run state, elapsed time, counts per state, PAUSED and attention marks.
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
        return state.run.status.words.uppercased()
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.width > 0, area.height > 0 else { return }
        let base = theme.style(.header)
        buffer.fill(area, with: Cell(" ", style: base))
        // A complete run stays open for rollbacks; its clock stops when its last step ended.
        let lastStepEnd = state.isComplete ? state.run.steps.compactMap(\.finishedAt).max() : nil
        let elapsed = (state.run.finishedAt ?? lastStepEnd ?? state.now) - (state.run.startedAt ?? state.now)
        var x = area.x + 1
        x = buffer.write("Baton", x: x, y: area.y, style: base.with(.bold), clip: area) + 2
        x = buffer.write(state.workflow.name, x: x, y: area.y, style: base.with(.bold), clip: area) + 2
        // A replay knows its run before the run_started event is applied.
        let runID = state.run.runID.isEmpty ? state.replay?.runID ?? "" : state.run.runID
        if !runID.isEmpty {
            x = buffer.write("run \(runID)", x: x, y: area.y, style: base, clip: area) + 2
        }
        if state.replay != nil {
            x = buffer.write(" REPLAY — read-only ", x: x, y: area.y, style: theme.style(.paused), clip: area) + 2
        }
        let label = runLabel
        let labelStyle: Style
        switch label {
        case "PAUSED": labelStyle = theme.style(.paused)
        case "SUCCEEDED", "DONE": labelStyle = base.patched(with: theme.style(for: .succeeded)).with(.bold)
        case "FAILED", "CANCELLED", "INTERRUPTED", "NOT RECORDED": labelStyle = theme.style(.attention)
        default: labelStyle = base.patched(with: theme.style(for: .running))
        }
        x = buffer.write(label == "PAUSED" ? " ‖ PAUSED — nothing new starts (p resumes) " : " \(label) ", x: x, y: area.y, style: labelStyle, clip: area) + 2
        x = buffer.write(Format.duration(max(0, elapsed)), x: x, y: area.y, style: base, clip: area) + 2
        guard area.height > 1 else { return }
        var column = area.x + 1
        let counts = state.run.countsByState
        for stepState in StepState.allCases {
            guard let count = counts[stepState] else { continue }
            let text = "\(theme.glyph(for: stepState)) \(count) \(stepState.rawValue)"
            column = buffer.write(text, x: column, y: area.y + 1, style: base.patched(with: theme.style(for: stepState)), clip: area) + 2
        }
        if let latest = state.attention.last {
            let more = state.attention.count > 1 ? " (+\(state.attention.count - 1))" : ""
            let text = " \(unicode ? "⚠" : "!") \(latest.text)\(more) — ! jumps "
            let width = TextWidth.of(text)
            let start = max(column, area.maxX - width)
            buffer.write(text, x: start, y: area.y + 1, style: theme.style(.attention), clip: area)
        }
    }
}
