import BatonEngine
import BatonTerminal

extension TimelineView {
    /// The collapsed group the selection stands for, whose header is drawn selected.
    var selectedGroup: String? {
        guard workflow.steps.indices.contains(selected), let group = workflow.steps[selected].group,
              !grouping.expanded.contains(group) else { return nil }
        return group
    }

    /// A group's row: its header, and one bar over its instances' activity in the state that
    /// most needs an eye, with its counts after the bar (or before it, when the bar ends at
    /// the edge).
    func drawGroupRow(_ group: String, expanded: Bool, y: Int, into buffer: inout Buffer, area: Rect, columns: Columns, scale: Scale) {
        let members = grouping.members[group] ?? []
        let isCritical = members.contains { critical.contains($0) }
        let emphasis: Style.Attributes = isCritical ? .bold : []
        if isCritical {
            buffer.write(unicode ? "◆" : "*", x: area.x, y: y, style: theme.style(.edgeHighlighted).with(.bold), clip: area)
        }
        let memberStates = members.map { states.indices.contains($0) ? states[$0] : .pending }
        let shown = GroupedGraph.attentionState(memberStates)
        let activity = Self.activity(of: members.map { timeline.segments(of: $0) }, scale: scale, now: now)
        var idStyle = (activity == nil ? theme.style(.muted) : theme.style(.text)).with(.bold)
        if !expanded && group == selectedGroup { idStyle = theme.style(.selection).with(.bold) }
        let header = StepGrouping.header(shownID(group), count: members.count, expanded: expanded, unicode: unicode)
        buffer.write(TextWidth.pad(fitted(header, to: columns.idWidth), to: columns.idWidth), x: columns.id, y: y, style: idStyle.with(emphasis), clip: area)
        guard columns.barWidth > 0 else { return }
        guard let activity else {
            buffer.write(shown.rawValue, x: columns.bar, y: y, style: theme.style(.muted), clip: area)
            return
        }
        let glyphs = unicode ? ["─", "░", "█"] : ["-", ".", "#"]
        let barStyle = theme.style(for: shown).with(emphasis)
        for column in activity.first...activity.last {
            buffer.write(glyphs[activity.levels[column - activity.first]], x: columns.bar + column, y: y, style: barStyle, clip: area)
        }
        let counts = GroupedGraph.counts(memberStates, unicode: unicode)
        let label = counts.isEmpty ? shown.rawValue : counts
        let width = TextWidth.of(label)
        let after = columns.bar + activity.last + 2
        let before = columns.bar + activity.first - 1 - width
        if after + width <= area.maxX {
            buffer.write(label, x: after, y: y, style: theme.style(for: shown), clip: area)
        } else if before >= columns.bar {
            buffer.write(label, x: before, y: y, style: theme.style(for: shown), clip: area)
        }
    }

    /// The cells a group's bar covers, from its instances' first segment to their last, and
    /// how busy each cell was: 2 where an instance was at work (an attempt, a rollback), 1
    /// where one only waited for approval, 0 between. Nil while no instance has a segment, or
    /// when there is no bar area.
    static func activity(of segments: [[RunTimeline.Segment]], scale: Scale, now: Double) -> (first: Int, last: Int, levels: [Int])? {
        // Coverage counts as differences, so a group of thousands costs its segments plus the
        // bar's width rather than their product.
        guard scale.width > 0 else { return nil }
        var working = Array(repeating: 0, count: scale.width + 1)
        var waiting = Array(repeating: 0, count: scale.width + 1)
        var first = Int.max, last = Int.min
        for instance in segments {
            for segment in instance {
                let start = scale.firstColumn(segment.start)
                let end = max(start, scale.lastColumn(segment.end(now: now)))
                first = min(first, start)
                last = max(last, end)
                if segment.kind == .waiting {
                    waiting[start] += 1
                    waiting[end + 1] -= 1
                } else {
                    working[start] += 1
                    working[end + 1] -= 1
                }
            }
        }
        guard first <= last else { return nil }
        var levels: [Int] = []
        levels.reserveCapacity(last - first + 1)
        var atWork = 0, onHold = 0
        for column in 0...last {
            atWork += working[column]
            onHold += waiting[column]
            if column >= first { levels.append(atWork > 0 ? 2 : onHold > 0 ? 1 : 0) }
        }
        return (first, last, levels)
    }
}
