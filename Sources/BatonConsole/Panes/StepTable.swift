import BatonEngine
import BatonTerminal

/// The steps table: id, state, attempts (`Format.attempts`), time (`Format.stepTime`, or a
/// gate's countdown to its deadline), start time and needs.
public struct StepTable: Widget {
    public var state: AppState
    public var theme: Theme
    public var unicode: Bool

    public init(state: AppState, theme: Theme, unicode: Bool) {
        self.state = state
        self.theme = theme
        self.unicode = unicode
    }

    /// The step positions the table shows, filtered and sorted.
    public static func rows(for state: AppState) -> [Int] {
        var rows = Array(state.workflow.steps.indices)
        if let filter = state.tableFilter { rows = rows.filter { state.stepState($0) == filter } }
        switch state.tableSort {
        case .file:
            break
        case .state:
            let order = Dictionary(uniqueKeysWithValues: StepState.allCases.enumerated().map { ($1, $0) })
            rows.sort { (order[state.stepState($0)] ?? 0, $0) < (order[state.stepState($1)] ?? 0, $1) }
        case .started:
            rows.sort { (record(state, $0)?.startedAt ?? .infinity, $0) < (record(state, $1)?.startedAt ?? .infinity, $1) }
        case .duration:
            rows.sort { (-duration(state, $0), $0) < (-duration(state, $1), $1) }
        }
        return rows
    }

    private static func record(_ state: AppState, _ index: Int) -> StepRecord? {
        state.run.steps.indices.contains(index) ? state.run.steps[index] : nil
    }

    /// Seconds a step's attempts have run so far (or ran), 0 if it never started or was skipped.
    static func duration(_ state: AppState, _ index: Int) -> Double {
        guard let record = record(state, index), record.state != .skipped else { return 0 }
        return record.runTime(at: state.now)
    }

    /// The TRY and TIME cells of the steps at `indices`.
    private func cells(_ indices: some Sequence<Int>) -> [Int: (tries: String, time: String)] {
        var cells: [Int: (tries: String, time: String)] = [:]
        for index in indices {
            guard let record = Self.record(state, index) else {
                cells[index] = ("–", "–")
                continue
            }
            // A gate that times out counts down to its deadline in the TIME column.
            let time = state.gateDeadline(index).map { (unicode ? "⏲" : "T") + Format.duration(max(0, $0 - state.now)) + " left" }
            cells[index] = (Format.attempts(record, allowed: state.workflow.steps[index].retry.attempts),
                            time ?? Format.stepTime(record, now: state.now, unicode: unicode))
        }
        return cells
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.width > 0, area.height > 0 else { return }
        let rows = Self.rows(for: state)
        let idWidth = state.stepIDWidth
        let visible = max(0, area.height - 1)
        let top = min(state.tableTop, max(0, rows.count - visible))
        let shown = rows.dropFirst(top).prefix(visible)
        // Only the rows on screen are formatted, however many steps the run has. TRY and TIME
        // grow when a row shown needs it: an operator's retry, a rollback's time.
        let formatted = cells(shown)
        let tryWidth = max(5, (formatted.values.map { TextWidth.of($0.tries) }.max() ?? 0) + 1)
        let timeWidth = max(7, (formatted.values.map { TextWidth.of($0.time) }.max() ?? 0) + 1)
        // A narrow table shows the state as its glyph alone, so the other columns still fit
        // (NEEDS, last, with at least 8 columns).
        let fixed = idWidth + 1 + tryWidth + timeWidth + 9
        let compactState = area.width < fixed + 15 + 8
        let columns: [(String, Int)] = [
            ("STEP", idWidth + 1), (compactState ? "S" : "STATE", compactState ? 2 : 15), ("TRY", tryWidth), ("TIME", timeWidth),
            ("START", 9), ("NEEDS", max(8, area.width - fixed - (compactState ? 2 : 15))),
        ]
        var header = ""
        for (title, width) in columns { header += TextWidth.pad(title, to: width) }
        buffer.write(TextWidth.truncate(header, to: area.width), x: area.x, y: area.y, style: theme.style(.muted).with(.bold), clip: area)
        if rows.isEmpty {
            let text = state.tableFilter.map { "no step is \($0.rawValue) (F changes the filter)" } ?? "no steps"
            buffer.write(text, x: area.x, y: area.y + 1, style: theme.style(.muted), clip: area)
            return
        }
        for (offset, index) in shown.enumerated() {
            let y = area.y + 1 + offset
            let step = state.workflow.steps[index]
            let stepState = state.stepState(index)
            let record = Self.record(state, index)
            let (tries, time) = formatted[index] ?? ("–", "–")
            let start = record?.startedAt.map(Format.clock) ?? "–"
            let cells = [
                (TextWidth.truncate(step.id, to: idWidth), columns[0].1),
                (compactState ? theme.glyph(for: stepState) : "\(theme.glyph(for: stepState)) \(stepState.rawValue)", columns[1].1),
                (tries, columns[2].1), (time, columns[3].1), (start, columns[4].1),
                (step.needs.isEmpty ? "–" : step.needs.joined(separator: ", "), columns[5].1),
            ]
            var x = area.x
            for (position, (text, width)) in cells.enumerated() {
                let style = position == 1 ? theme.style(for: stepState) : theme.style(.text)
                buffer.write(TextWidth.truncate(text, to: width - 1), x: x, y: y, style: style, clip: area)
                x += width
            }
            if index == state.selected {
                buffer.applyStyle(theme.style(.selection), to: Rect(x: area.x, y: y, width: area.width, height: 1))
            }
        }
        if rows.count > visible {
            // With no room for a row there is no range to claim.
            let note = visible > 0 ? " \(top + 1)–\(min(rows.count, top + visible)) of \(rows.count) " : " none of \(rows.count) shown "
            buffer.write(note, x: area.maxX - TextWidth.of(note), y: area.maxY, style: theme.style(.muted))
        }
    }
}
