import BatonEngine
import BatonTerminal

/// The steps table: id, state, attempts (`Format.attempts`), time (`Format.stepTime`, or a
/// gate's countdown to its deadline), start time and needs.
///
/// A fan-out group has a header row, `▸ deploy ×12` with its counts (`✔9 ▶2 ✘1`) as its state,
/// the time from its first instance's start to its last one's end, its earliest start and
/// the needs of its instances; expanded (`▾`), its instances follow, indented.
public struct StepTable: Widget {
    public var state: AppState
    public var grouping: StepGrouping
    public var theme: Theme
    public var unicode: Bool

    public init(state: AppState, grouping: StepGrouping, theme: Theme, unicode: Bool) {
        self.state = state
        self.grouping = grouping
        self.theme = theme
        self.unicode = unicode
    }

    /// The rows the table shows, filtered and sorted. A group stays whole: its header sorts
    /// among the other rows by its instances together, its instances beneath it among
    /// themselves; with a filter (a state, the finder's query), a group shows while any of its
    /// instances matches, and only those instances.
    public static func rows(for state: AppState, grouping: StepGrouping) -> [StepRow] {
        if state.tableSort == .file && !state.isTableFiltered { return grouping.rows }
        let matches = state.isTableFiltered ? state.tableShows : { _ in true }
        var entries: [(row: StepRow, instances: [Int])] = []
        for row in grouping.rows {
            switch row {
            case .step(let index, let indented):
                // An instance comes with its group's header.
                if !indented && matches(index) { entries.append((row, [])) }
            case .group(let group, let expanded):
                let instances = (grouping.members[group] ?? []).filter(matches)
                if !instances.isEmpty { entries.append((row, expanded ? instances : [])) }
            }
        }
        if state.tableSort != .file {
            let keys = entries.map { entry -> SortKey in
                switch entry.row {
                case .step(let index, _): return sortKey(state, of: index)
                case .group(let group, _): return sortKey(state, ofGroup: grouping.members[group] ?? [])
                }
            }
            entries = entries.indices.sorted { keys[$0] < keys[$1] }.map { entries[$0] }
            for index in entries.indices where entries[index].instances.count > 1 {
                entries[index].instances = entries[index].instances.map { (sortKey(state, of: $0), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
            }
        }
        var rows: [StepRow] = []
        rows.reserveCapacity(entries.count)
        for entry in entries {
            rows.append(entry.row)
            for instance in entry.instances { rows.append(.step(instance, indented: true)) }
        }
        return rows
    }

    /// The first row drawn in the table's inner `area` (below its column titles) for a top row
    /// asked for: the table never leaves rows empty that rows could fill.
    public static func firstShown(top: Int, count: Int, area: Rect) -> Int {
        ListScroll(top: top).first(count: count, visible: PaneFrame.listRows(inHeight: area.height))
    }

    /// The row drawn at screen row `y` of the table's inner `area`, with `rows` from
    /// `rows(for:grouping:)`; nil on the titles or below the last row.
    public static func row(atY y: Int, in area: Rect, rows: [StepRow], top: Int) -> StepRow? {
        let offset = y - area.y - 1
        guard offset >= 0, offset < PaneFrame.listRows(inHeight: area.height) else { return nil }
        let index = firstShown(top: top, count: rows.count, area: area) + offset
        return rows.indices.contains(index) ? rows[index] : nil
    }

    /// Where a step falls in the table's order: the sort's value, then its file position.
    private static func sortKey(_ state: AppState, of index: Int) -> SortKey {
        switch state.tableSort {
        case .file: return SortKey(value: 0, position: index)
        case .state: return SortKey(value: Double(stateOrder[state.stepState(index)] ?? 0), position: index)
        case .started: return SortKey(value: record(state, index)?.startedAt ?? .infinity, position: index)
        case .duration: return SortKey(value: -duration(state, index), position: index)
        }
    }

    /// Where a group falls: by the state that most needs an eye, its first start or the time
    /// its instances span, then its first instance's file position.
    private static func sortKey(_ state: AppState, ofGroup members: [Int]) -> SortKey {
        let position = members.first ?? 0
        switch state.tableSort {
        case .file:
            return SortKey(value: 0, position: position)
        case .state:
            let shown = GroupedGraph.attentionState(members.map(state.stepState))
            return SortKey(value: Double(stateOrder[shown] ?? 0), position: position)
        case .started:
            return SortKey(value: span(of: members, in: state)?.start ?? .infinity, position: position)
        case .duration:
            return SortKey(value: -(span(of: members, in: state).map { $0.end - $0.start } ?? 0), position: position)
        }
    }

    private struct SortKey: Comparable {
        var value: Double
        var position: Int
        static func < (left: SortKey, right: SortKey) -> Bool {
            (left.value, left.position) < (right.value, right.position)
        }
    }

    private static let stateOrder = Dictionary(uniqueKeysWithValues: StepState.allCases.enumerated().map { ($1, $0) })

    private static func record(_ state: AppState, _ index: Int) -> StepRecord? {
        state.run.steps.indices.contains(index) ? state.run.steps[index] : nil
    }

    /// Seconds a step's attempts have run so far (or ran), 0 if it never started or was skipped.
    static func duration(_ state: AppState, _ index: Int) -> Double {
        guard let record = record(state, index), record.state != .skipped else { return 0 }
        return record.runTime(at: state.now)
    }

    /// From the first start among a group's instances to the last end (now while one is still
    /// under way); nil while none has started.
    static func span(of members: [Int], in state: AppState) -> (start: Double, end: Double)? {
        var start = Double.infinity, end = -Double.infinity
        for member in members {
            guard let record = record(state, member), let started = record.startedAt else { continue }
            start = min(start, started)
            end = max(end, record.state.isSettled ? record.finishedAt ?? started : state.now)
        }
        return start.isFinite ? (start, max(start, end)) : nil
    }

    /// The TRY and TIME cells of the rows shown.
    private func cells(_ rows: some Sequence<StepRow>) -> [StepRow: (tries: String, time: String)] {
        var cells: [StepRow: (tries: String, time: String)] = [:]
        for row in rows {
            guard let index = row.step else {
                let span = row.group.flatMap { Self.span(of: grouping.members[$0] ?? [], in: state) }
                cells[row] = ("–", span.map { Format.duration($0.end - $0.start) } ?? "–")
                continue
            }
            guard let record = Self.record(state, index) else {
                cells[row] = ("–", "–")
                continue
            }
            // A gate that times out counts down to its deadline in the TIME column.
            let time = state.gateDeadline(index).map { (unicode ? "⏲" : "T") + Format.duration(max(0, $0 - state.now)) + " left" }
            cells[row] = (Format.attempts(record, allowed: state.workflow.steps[index].retry.attempts),
                          time ?? Format.stepTime(record, now: state.now, unicode: unicode))
        }
        return cells
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.width > 0, area.height > 0 else { return }
        let column = state.panes.steps.column
        guard column > 0 else { return renderUnshifted(into: &buffer, area: area) }
        // Scrolled sideways: the table as a pane `column` cells wider would draw it, seen
        // from that column on (its last column, NEEDS, takes the extra room).
        var wide = Buffer(width: area.width + column, height: area.height, fill: Cell(" ", style: theme.style(.text)))
        renderUnshifted(into: &wide, area: wide.area)
        for y in 0..<area.height {
            for x in 0..<area.width {
                let cell = wide[x + column, y]
                // Half of a wide character cut by the left edge shows as a blank.
                buffer[area.x + x, area.y + y] = cell.isContinuation && x == 0 ? Cell(" ", style: cell.style) : cell
            }
        }
    }

    private func renderUnshifted(into buffer: inout Buffer, area: Rect) {
        let rows = Self.rows(for: state, grouping: grouping)
        let idWidth = grouping.stepColumnWidth(unicode: unicode)
        let visible = PaneFrame.listRows(inHeight: area.height)
        let top = Self.firstShown(top: state.panes.steps.top, count: rows.count, area: area)
        let shown = rows.dropFirst(top).prefix(visible)
        // Only the rows on screen are formatted, however many steps the run has. TRY and TIME
        // grow when a row shown needs it: an operator's retry, a rollback's time.
        let formatted = cells(shown)
        let tryWidth = max(5, (formatted.values.map { TextWidth.of($0.tries) }.max() ?? 0) + 1)
        let timeWidth = max(7, (formatted.values.map { TextWidth.of($0.time) }.max() ?? 0) + 1)
        // A narrow table shows the state as its glyph alone, so the other columns still fit
        // (NEEDS, last, with at least 8 columns).
        // HOST only for a workflow whose steps run on hosts.
        let hostWidth = state.workflow.steps.contains { $0.host != nil }
            ? min(17, max(8, (state.workflow.steps.lazy.compactMap { $0.host.map(TextWidth.of) }.max() ?? 0) + 1)) : 0
        let fixed = idWidth + 1 + tryWidth + timeWidth + 9 + hostWidth
        let compactState = area.width < fixed + 15 + 8
        let columns: [(String, Int)] = [
            ("STEP", idWidth + 1), (compactState ? "S" : "STATE", compactState ? 2 : 15), ("TRY", tryWidth), ("TIME", timeWidth),
            ("START", 9), ("NEEDS", max(8, area.width - fixed - (compactState ? 2 : 15))),
        ]
        // NEEDS stays last, taking what is left.
        let ordered = hostWidth > 0 ? Array(columns.prefix(5)) + [("HOST", hostWidth), columns[5]] : columns
        var header = ""
        for (title, width) in ordered { header += TextWidth.pad(title, to: width) }
        buffer.write(TextWidth.truncate(header, to: area.width), x: area.x, y: area.y, style: theme.style(.muted).with(.bold), clip: area)
        if rows.isEmpty {
            buffer.write(state.emptyTableText, x: area.x, y: area.y + 1, style: theme.style(.muted), clip: area)
            return
        }
        let selectedGroup = state.selectedGroup
        for (offset, row) in shown.enumerated() {
            let y = area.y + 1 + offset
            let (tries, time) = formatted[row] ?? ("–", "–")
            let line: Line
            let isSelected: Bool
            switch row {
            case .step(let index, let indented):
                line = stepLine(index, indented: indented, compactState: compactState, needsWidth: columns[5].1)
                isSelected = index == state.selected && selectedGroup == nil
            case .group(let group, let expanded):
                line = groupLine(group, expanded: expanded, compactState: compactState, needsWidth: columns[5].1)
                isSelected = !expanded && group == selectedGroup
            }
            let texts = [line.id, line.state, tries, time, line.start] + (hostWidth > 0 ? [hostText(row)] : []) + [line.needs]
            var x = area.x
            for (position, text) in texts.enumerated() {
                var style = position == 1 ? theme.style(for: line.shownState) : theme.style(.text)
                if position == 0 && row.group != nil { style = style.with(.bold) }
                // A column the pane's edge cuts (NEEDS, at its minimum width) ends with `…` too.
                buffer.write(TextWidth.truncate(text, to: min(ordered[position].1 - 1, area.maxX - x)), x: x, y: y, style: style, clip: area)
                x += ordered[position].1
            }
            if isSelected {
                buffer.applyStyle(theme.style(.selection), to: Rect(x: area.x, y: y, width: area.width, height: 1))
            }
        }
        if rows.count > visible {
            // With no room for a row there is no range to claim.
            let note = visible > 0 ? " \(top + 1)–\(min(rows.count, top + visible)) of \(rows.count) " : " none of \(rows.count) shown "
            buffer.write(note, x: area.maxX - TextWidth.of(note), y: area.maxY, style: theme.style(.muted))
        }
    }

    /// A row's host: a step's, or for a group the one its instances share, else how many.
    private func hostText(_ row: StepRow) -> String {
        switch row {
        case .step(let index, _):
            return state.workflow.steps[index].host ?? "–"
        case .group(let group, _):
            let hosts = Set((state.workflow.groups.first { $0.id == group }?.instances ?? []).compactMap { state.workflow[$0]?.host })
            return hosts.count <= 1 ? hosts.first ?? "–" : "\(hosts.count) hosts"
        }
    }

    /// A row's texts other than TRY and TIME, and the state its STATE cell is styled for.
    private struct Line {
        var id: String
        var state: String
        var shownState: StepState
        var start: String
        var needs: String
    }

    private func stepLine(_ index: Int, indented: Bool, compactState: Bool, needsWidth: Int) -> Line {
        let step = state.workflow.steps[index]
        let stepState = state.stepState(index)
        return Line(
            id: (indented ? String(repeating: " ", count: StepGrouping.indent) : "") + step.id,
            state: compactState ? theme.glyph(for: stepState) : "\(theme.glyph(for: stepState)) \(stepState.rawValue)",
            shownState: stepState,
            start: Self.record(state, index)?.startedAt.map(Format.clock) ?? "–",
            needs: Self.needsText([index], in: state, width: needsWidth))
    }

    /// A group's header: its counts as its state (the state that most needs an eye, while no
    /// instance has succeeded, runs or failed), its first start and its instances' needs.
    private func groupLine(_ group: String, expanded: Bool, compactState: Bool, needsWidth: Int) -> Line {
        let members = grouping.members[group] ?? []
        let states = members.map(state.stepState)
        let shown = GroupedGraph.attentionState(states)
        let counts = GroupedGraph.counts(states, unicode: unicode)
        let glyph = theme.glyph(for: shown)
        return Line(
            id: StepGrouping.header(group, count: members.count, expanded: expanded, unicode: unicode),
            state: compactState ? glyph : counts.isEmpty ? "\(glyph) \(shown.rawValue)" : counts,
            shownState: shown,
            start: Self.span(of: members, in: state).map { Format.clock($0.start) } ?? "–",
            needs: Self.needsText(members, in: state, width: needsWidth))
    }

    /// What the steps at `positions` need, from outside them, as the table names it: an
    /// instance of a collapsed group by its group's id, once. Made only as long as `width`
    /// shows, however many needs there are.
    static func needsText(_ positions: [Int], in state: AppState, width: Int) -> String {
        let inside = positions.count > 1 ? Set(positions) : []
        var named: Set<String> = []
        var text = ""
        for position in positions {
            for need in state.workflow.steps[position].needs {
                let needed = state.workflow.position(of: need)
                if let needed, inside.contains(needed) { continue }
                let group = needed.flatMap { state.workflow.steps[$0].group }
                let name = group.flatMap { state.expandedGroups.contains($0) ? nil : $0 } ?? need
                guard named.insert(name).inserted else { continue }
                text += (text.isEmpty ? "" : ", ") + name
                if TextWidth.of(text) > width { return text }
            }
        }
        return text.isEmpty ? "–" : text
    }
}
