import BatonEngine
import BatonTerminal

/// The timeline pane: a Gantt chart of the run, one row per step, with a bar for each attempt,
/// approval wait and rollback over a time axis, and the critical path marked.
///
/// A fan-out group is one row, `▸ deploy ×12`, whose bar runs from its instances' first start
/// to their last end — solid where an instance was at work, a thin line between — with its
/// counts beside it; expanded (`▾`), its instances follow, indented, each with its own bars.
///
/// ```
///   STEP             0s     15s     30s     45s    1m     1m35s
/// ◆ build            ███████ ████████
///   lint             ████
/// ◆ test                            ██████████████
/// ◆ approve-release                              ░░░░░░░░░░
/// ◆ deploy                                                ████████
///   docs             pending
/// ```
///
/// The first row is the axis: tick labels over the bar area and the run's total length on
/// the right. Each step row holds the critical-path marker, the step id (at most
/// `maxIDWidth` cells) and the step's segments, scaled over `RunTimeline.span(now:)`. Only
/// the visible rows are drawn, so the work does not grow with the size of the workflow
/// beyond one pass over the ids for the column width (and a group row's look at its
/// instances' segments).
public struct TimelineView: Widget, Sendable {
    public var workflow: Workflow
    /// The rows, groups under their headers (`StepGrouping.rows`), and each group's instances.
    public var grouping: StepGrouping
    public var timeline: RunTimeline
    /// Step positions on the critical path, marked and drawn bold.
    public var critical: Set<Int>
    /// The current state of each step, by file position; missing ones count as pending.
    public var states: [StepState]
    /// The selected step's position; its id, or its collapsed group's header, is drawn in the
    /// selection style.
    public var selected: Int
    /// The first row shown below the axis (see `top(keeping:from:height:stepCount:)`).
    public var top: Int
    /// The current time, seconds since 1970: where ongoing segments end.
    public var now: Double
    public var theme: Theme
    /// False for ASCII marker and bars (`*`, `#`, `.`) and ids with `?` for other characters.
    public var unicode: Bool

    /// The widest the step id column grows.
    public static let maxIDWidth = 20
    /// Cells before the id: the critical-path marker and a space.
    static let markerWidth = 2
    /// The bar area the id column leaves at least, when the area is narrow.
    static let minimumBarWidth = 10

    public init(
        workflow: Workflow, grouping: StepGrouping, timeline: RunTimeline, critical: Set<Int>, states: [StepState], selected: Int,
        top: Int, now: Double, theme: Theme, unicode: Bool
    ) {
        self.workflow = workflow
        self.grouping = grouping
        self.timeline = timeline
        self.critical = critical
        self.states = states
        self.selected = selected
        self.top = top
        self.now = now
        self.theme = theme
        self.unicode = unicode
    }

    /// How many rows fit in an area of `height` rows, below the axis.
    public static func visibleRows(height: Int) -> Int { PaneFrame.listRows(inHeight: height) }

    /// The first row to show so that row `selected` stays visible in an area of `height`
    /// rows, moving from `top` as little as possible.
    public static func top(keeping selected: Int, from top: Int, height: Int, stepCount: Int) -> Int {
        let visible = visibleRows(height: height)
        guard visible > 0, stepCount > 0 else { return 0 }
        var first = min(max(0, top), max(0, stepCount - visible))
        let selected = min(max(0, selected), stepCount - 1)
        if selected < first { first = selected }
        if selected >= first + visible { first = selected - visible + 1 }
        return first
    }

    /// The first of `count` rows drawn below the axis in an area of `height` rows, for a top
    /// row asked for: the timeline never leaves rows empty that rows could fill.
    public static func firstShown(top: Int, count: Int, height: Int) -> Int {
        ListScroll(top: top).first(count: count, visible: visibleRows(height: height))
    }

    /// The row drawn at screen row `y` of the pane's inner `area`; nil on the axis or below the
    /// last row.
    public static func row(atY y: Int, in area: Rect, rows: [StepRow], top: Int) -> StepRow? {
        let offset = y - area.y - 1
        guard offset >= 0, offset < visibleRows(height: area.height) else { return nil }
        let index = firstShown(top: top, count: rows.count, height: area.height) + offset
        return rows.indices.contains(index) ? rows[index] : nil
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        buffer.fill(area, with: Cell(" ", style: theme.style(.text)))
        guard timeline.hasStarted else {
            buffer.write("the run has not started", x: area.x, y: area.y, style: theme.style(.muted), clip: area)
            return
        }
        guard !workflow.steps.isEmpty else {
            buffer.write("no steps", x: area.x, y: area.y, style: theme.style(.muted), clip: area)
            return
        }
        let columns = columns(in: area)
        let span = timeline.span(now: now)
        let length = span.end - span.start
        let scale = Scale(start: span.start, length: length.isFinite ? max(0, length) : 0, width: columns.barWidth).evenlyTicked()
        drawAxis(into: &buffer, area: area, columns: columns, scale: scale)
        let rows = grouping.rows
        let visible = Self.visibleRows(height: area.height)
        let first = Self.firstShown(top: top, count: rows.count, height: area.height)
        for offset in 0..<max(0, min(visible, rows.count - first)) {
            let y = area.y + 1 + offset
            switch rows[first + offset] {
            case .step(let index, let indented):
                drawRow(index, indented: indented, y: y, into: &buffer, area: area, columns: columns, scale: scale)
            case .group(let group, let expanded):
                drawGroupRow(group, expanded: expanded, y: y, into: &buffer, area: area, columns: columns, scale: scale)
            }
        }
    }

    // MARK: - Layout

    /// Where the id column and the bar area sit in a row.
    struct Columns {
        var id: Int
        var idWidth: Int
        var bar: Int
        var barWidth: Int
    }

    /// The columns for an area: the id column as wide as the widest id, an instance's indented
    /// one or a group's header, whichever groups are expanded (up to `maxIDWidth`), narrower
    /// when the area would otherwise leave less than `minimumBarWidth` for bars.
    func columns(in area: Rect) -> Columns {
        var widest = 0
        for (group, members) in grouping.members {
            widest = max(widest, TextWidth.of(StepGrouping.header(shownID(group), count: members.count, expanded: false, unicode: unicode)))
        }
        for step in workflow.steps where widest < Self.maxIDWidth {
            widest = max(widest, TextWidth.of(shownID(step.id)) + (step.group == nil ? 0 : StepGrouping.indent))
        }
        let idWidth = max(1, min(widest, Self.maxIDWidth, area.width - Self.markerWidth - 1 - Self.minimumBarWidth))
        let id = area.x + Self.markerWidth
        let bar = id + idWidth + 1
        return Columns(id: id, idWidth: idWidth, bar: bar, barWidth: max(0, area.maxX - bar))
    }

    /// Maps times to columns of the bar area: cell `i` covers `[i, i + 1) · length / width`.
    struct Scale {
        var start: Double
        /// The run's length, which the axis ends with.
        var length: Double
        var width: Int
        /// The seconds the `width` cells stand for: `length`, or a little more so that each
        /// tick step is a whole number of cells and the labels stand evenly.
        var span: Double
        /// The tick step and how many cells it takes; nil when no round step fits.
        var tick: (step: Double, cells: Int)?

        init(start: Double, length: Double, width: Int) {
            self.start = start
            self.length = length
            self.width = width
            span = length
        }

        /// The same scale stretched to a whole number of cells per tick step (the bars
        /// shrink by less than one cell per tick).
        func evenlyTicked() -> Scale {
            guard length > 0, width > 0, let step = TimelineView.tickStep(length: length, width: width) else { return self }
            let cells = max(1, Int((step / length * Double(width)).rounded(.down)))
            var scale = self
            scale.span = max(length, step * Double(width) / Double(cells))
            scale.tick = (step, cells)
            return scale
        }

        /// The cell a time falls in.
        func firstColumn(_ time: Double) -> Int {
            clamp(((time - start) / span * Double(width)).rounded(.down))
        }

        /// The last cell a stretch ending at `time` touches.
        func lastColumn(_ time: Double) -> Int {
            clamp(((time - start) / span * Double(width)).rounded(.up) - 1)
        }

        private func clamp(_ raw: Double) -> Int {
            guard span > 0, width > 0, !raw.isNaN, raw > 0 else { return 0 }
            return raw >= Double(width - 1) ? width - 1 : Int(raw)
        }
    }

    // MARK: - Axis

    private func drawAxis(into buffer: inout Buffer, area: Rect, columns: Columns, scale: Scale) {
        let y = area.y
        let heading = theme.style(.muted).with(.bold)
        if columns.idWidth >= 4 { buffer.write("STEP", x: columns.id, y: y, style: heading, clip: area) }
        guard columns.barWidth > 0 else { return }
        let total = scale.length < 1e12 ? Format.duration(scale.length) : "?"
        let totalX = area.maxX - TextWidth.of(total)
        // Tick labels end a space before the total, or at the area's edge if it does not fit.
        var limit = area.maxX
        if totalX >= columns.bar {
            buffer.write(total, x: totalX, y: y, style: theme.style(.text).with(.bold), clip: area)
            limit = totalX - 1
        }
        guard let tick = scale.tick else {
            buffer.write(Self.tickLabel(0), x: columns.bar, y: y, style: theme.style(.muted), clip: area)
            return
        }
        // Ticks stand a whole number of cells apart: the labels are evenly spaced.
        for index in 0...Int((scale.length / tick.step).rounded(.down)) {
            let label = Self.tickLabel(Double(index) * tick.step)
            let x = columns.bar + index * tick.cells
            guard x + TextWidth.of(label) <= limit else { break }
            buffer.write(label, x: x, y: y, style: theme.style(.muted), clip: area)
        }
    }

    /// The smallest round tick step whose labels fit with two cells between them.
    static func tickStep(length: Double, width: Int) -> Double? {
        let round: [Double] = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200]
        var candidates = round
        var day = 86400.0
        for _ in 0..<40 {
            candidates.append(day)
            day *= 2
        }
        for step in candidates {
            let cells = step / length * Double(width)
            guard cells >= 4 else { continue }
            let count = Int((length / step).rounded(.down))
            var widest = 0
            for index in 0...count { widest = max(widest, tickLabel(Double(index) * step).count) }
            if cells >= Double(widest + 2) { return step }
        }
        return nil
    }

    /// A compact label for an offset: `0s`, `2.5s`, `30s`, `1m`, `1m30s`, `2h`, `1h15m`.
    static func tickLabel(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0, seconds < 1e12 else { return "?" }
        let tenths = Int((seconds * 10).rounded())
        if tenths < 600 {
            return tenths % 10 == 0 ? "\(tenths / 10)s" : "\(tenths / 10).\(tenths % 10)s"
        }
        let whole = Int(seconds.rounded())
        if whole < 3600 {
            let minutes = whole / 60, rest = whole % 60
            return rest == 0 ? "\(minutes)m" : "\(minutes)m\(twoDigits(rest))s"
        }
        let hours = whole / 3600, minutes = whole % 3600 / 60
        return minutes == 0 ? "\(hours)h" : "\(hours)h\(twoDigits(minutes))m"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    // MARK: - Rows

    private func drawRow(_ index: Int, indented: Bool, y: Int, into buffer: inout Buffer, area: Rect, columns: Columns, scale: Scale) {
        let isCritical = critical.contains(index)
        let emphasis: Style.Attributes = isCritical ? .bold : []
        let segments = timeline.segments(of: index)
        if isCritical {
            buffer.write(unicode ? "◆" : "*", x: area.x, y: y, style: theme.style(.edgeHighlighted).with(.bold), clip: area)
        }
        var idStyle = segments.isEmpty ? theme.style(.muted) : theme.style(.text)
        if index == selected && selectedGroup == nil { idStyle = theme.style(.selection) }
        let indent = indented ? String(repeating: " ", count: StepGrouping.indent) : ""
        let id = TextWidth.pad(fitted(indent + shownID(workflow.steps[index].id), to: columns.idWidth), to: columns.idWidth)
        buffer.write(id, x: columns.id, y: y, style: idStyle.with(emphasis), clip: area)
        guard columns.barWidth > 0 else { return }
        guard !segments.isEmpty else {
            let state = states.indices.contains(index) ? states[index] : .pending
            buffer.write(state.rawValue, x: columns.bar, y: y, style: theme.style(.muted), clip: area)
            return
        }
        let cells = Self.cells(for: segments, scale: scale, now: now)
        for (segment, range) in zip(segments, cells) {
            let glyph = segment.kind == .waiting ? (unicode ? "░" : ".") : (unicode ? "█" : "#")
            let text = String(repeating: glyph, count: range.count)
            buffer.write(text, x: columns.bar + range.lowerBound, y: y, style: theme.style(for: segment.state).with(emphasis), clip: area)
        }
    }

    /// The bar cells of each segment: at least one cell each, and a blank cell kept between
    /// solid bars that are apart in time (retries), even when the scale would make them touch.
    static func cells(for segments: [RunTimeline.Segment], scale: Scale, now: Double) -> [ClosedRange<Int>] {
        var ranges: [(first: Int, last: Int)] = segments.map { segment in
            let first = scale.firstColumn(segment.start)
            return (first, max(first, scale.lastColumn(segment.end(now: now))))
        }
        for index in ranges.indices.dropFirst() {
            let earlier = segments[index - 1], later = segments[index]
            guard earlier.kind != .waiting, later.kind != .waiting, earlier.end(now: now) < later.start,
                  ranges[index].first <= ranges[index - 1].last + 1 else { continue }
            if ranges[index].first - 2 >= ranges[index - 1].first {
                ranges[index - 1].last = ranges[index].first - 2
            } else if ranges[index - 1].last + 2 <= scale.width - 1 {
                ranges[index].first = ranges[index - 1].last + 2
                ranges[index].last = max(ranges[index].last, ranges[index].first)
            }
        }
        return ranges.map { $0.first...$0.last }
    }

    // MARK: - Text

    /// The id as shown: ASCII mode puts `?` for every character outside ASCII.
    func shownID(_ id: String) -> String {
        unicode ? id : String(id.map { $0.isASCII ? $0 : "?" })
    }

    /// Text cut to `columns`, ending with `…` (ASCII `~`) when it had to be cut.
    func fitted(_ text: String, to columns: Int) -> String {
        guard TextWidth.of(text) > columns else { return text }
        guard columns > 0 else { return "" }
        return TextWidth.prefix(text, fitting: columns - 1).0 + (unicode ? "…" : "~")
    }
}
