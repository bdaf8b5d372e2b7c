import BatonEngine
import BatonTerminal

/// What the console shows of a workflow's fan-out groups for one set of expanded groups: the
/// graph, with each collapsed group as one node, and the rows of the steps table and the
/// timeline, with each group under a header row and an expanded group's instances indented
/// beneath it.
///
/// It is made from the workflow and the expanded set alone. `ConsoleContext.grouping(_:)`
/// makes it and keeps it, so that the graph of thousands of steps is laid out once per
/// expand or collapse, not once per frame.
public struct StepGrouping: Sendable {
    /// The groups shown expanded: only groups of the workflow.
    public let expanded: Set<String>
    /// Each group's instances, by file position, in file order.
    public let members: [String: [Int]]
    /// The dynamic fan-out steps, by group: each stands for its group (its header is where the
    /// step stands) and is not one of its instances.
    public let standIns: [String: Int]
    /// The graph with the collapsed groups as nodes; nil when no group is collapsed, and the
    /// workflow's own graph shows every step.
    public let graph: GroupedGraph?
    /// The timeline's rows, which are also the steps table's in file order, unfiltered: each
    /// plain step, and each group's header where its first instance stands, followed by its
    /// instances when it is expanded.
    public let rows: [StepRow]
    /// The steps table's STEP column, in cells, with Unicode and with ASCII headers: wide
    /// enough for every id, an instance's indented id and a group's header, whichever groups
    /// are expanded (4 to 24).
    private let stepColumnWidths: (unicode: Int, ascii: Int)

    /// The cells an instance is indented by, under its group's header.
    public static let indent = 2

    public init(workflow: Workflow, expanded: Set<String> = []) {
        var members: [String: [Int]] = [:]
        var standIns: [String: Int] = [:]
        for (index, step) in workflow.steps.enumerated() {
            guard let group = step.group else { continue }
            if step.fanOutSource != nil { standIns[group] = index } else { members[group, default: []].append(index) }
        }
        var order: [StepRow] = []
        var headed: Set<String> = []
        var widest = 4, widestASCII = 4
        for (index, step) in workflow.steps.enumerated() {
            // Until its instances are made, a dynamic fan-out is a step like any other.
            guard let group = step.group, members[group] != nil else {
                order.append(.step(index, indented: false))
                widest = max(widest, TextWidth.of(step.id))
                continue
            }
            if headed.insert(group).inserted { order.append(.group(group, expanded: expanded.contains(group))) }
            widest = max(widest, Self.indent + TextWidth.of(step.id))
        }
        var rows: [StepRow] = []
        rows.reserveCapacity(order.count)
        for row in order {
            rows.append(row)
            guard case .group(let group, let isExpanded) = row, let instances = members[group] else { continue }
            widest = max(widest, TextWidth.of(Self.header(group, count: instances.count, expanded: isExpanded, unicode: true)))
            widestASCII = max(widestASCII, TextWidth.of(Self.header(group, count: instances.count, expanded: isExpanded, unicode: false)))
            guard isExpanded else { continue }
            if let standIn = standIns[group] { rows.append(.step(standIn, indented: true)) }
            rows += instances.map { .step($0, indented: true) }
        }
        self.expanded = expanded.filter { members[$0] != nil }
        self.members = members
        self.standIns = standIns.filter { members[$0.key] != nil }
        self.rows = rows
        stepColumnWidths = (min(24, widest), min(24, max(widest, widestASCII)))
        graph = GroupedGraph(workflow: workflow, expanded: expanded)
    }

    /// The steps table's STEP column, in cells.
    public func stepColumnWidth(unicode: Bool) -> Int {
        unicode ? stepColumnWidths.unicode : stepColumnWidths.ascii
    }

    /// Whether the workflow has groups at all.
    public var hasGroups: Bool { !members.isEmpty }

    /// A group's header text: `▸ deploy ×12` collapsed, `▾ deploy ×12` expanded; in ASCII
    /// `[+] deploy x12` and `[-] deploy x12`, since a lone `+` is the glyph of success.
    public static func header(_ group: String, count: Int, expanded: Bool, unicode: Bool) -> String {
        let marker = unicode ? (expanded ? "▾" : "▸") : (expanded ? "[-]" : "[+]")
        return "\(marker) \(group) \(unicode ? "×" : "x")\(count)"
    }

    /// The step a row selects: a step row, its step; a collapsed group's header, its first
    /// instance (as the group's node does in the graph); an expanded group's header, none.
    public func selection(of row: StepRow) -> Int? {
        switch row {
        case .step(let index, _): return index
        case .group(let group, let isExpanded): return isExpanded ? nil : standIns[group] ?? members[group]?.first
        }
    }

    /// The row among `rows` that stands for the selection: the selected step's own row, or the
    /// header of the collapsed group it belongs to (`collapsedGroup`).
    public static func position(ofSelected selected: Int, collapsedGroup: String?, in rows: [StepRow]) -> Int? {
        if let collapsedGroup { return rows.firstIndex(of: .group(collapsedGroup, expanded: false)) }
        return rows.firstIndex { $0.step == selected }
    }

    /// The first row to show so that the row at `position` is visible among `visible` rows,
    /// moving from `top` as little as possible; an instance at the top of the window brings
    /// its group's header with it when the header is just above.
    public static func top(revealing position: Int, in rows: [StepRow], from top: Int, visible: Int) -> Int {
        let visible = max(1, visible)
        var first = top
        var upper = position
        if upper > 0, rows[upper - 1].isExpandedHeader, visible > 1 { upper -= 1 }
        if upper < first { first = upper }
        if position >= first + visible { first = position - visible + 1 }
        return max(0, first)
    }
}
