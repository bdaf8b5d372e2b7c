import BatonEngine
import BatonTerminal

/// The graph pane's content: the workflow DAG as a layered graph with box-drawing edges, or,
/// in compact mode, one row per step with what it needs.
///
/// Only the window the scroll offset shows is drawn: the work is proportional to the visible
/// cells plus the edges that cross them, whatever the size of the workflow.
public struct GraphView: Widget, Sendable {
    public var layout: GraphLayout
    /// The workflow the layout was made from; labels are its step ids.
    public var workflow: Workflow
    /// The state of each step, by file position; missing ones show as pending.
    public var states: [StepState]
    public var selected: Int?
    /// The layout cell shown at the area's top left (compact mode uses only `y`, a list row).
    public var scroll: (x: Int, y: Int)
    public var theme: Theme
    /// False for ASCII edges, arrows and glyphs.
    public var unicode: Bool
    public var compact: Bool
    /// What each node shows instead of its id (a fan-out group's counts); nil for the ids.
    public var labels: [String]?

    public init(
        layout: GraphLayout, workflow: Workflow, states: [StepState], selected: Int?, scroll: (x: Int, y: Int),
        theme: Theme, unicode: Bool, compact: Bool, labels: [String]? = nil
    ) {
        self.labels = labels
        self.layout = layout
        self.workflow = workflow
        self.states = states
        self.selected = selected
        self.scroll = scroll
        self.theme = theme
        self.unicode = unicode
        self.compact = compact
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        buffer.fill(area, with: Cell(" ", style: theme.style(.text)))
        guard workflow.steps.count == layout.stepCount else {
            buffer.write("graph out of date", x: area.x, y: area.y, style: theme.style(.muted), clip: area)
            return
        }
        guard layout.stepCount > 0 else {
            buffer.write("no steps", x: area.x, y: area.y, style: theme.style(.muted), clip: area)
            return
        }
        if compact {
            renderCompact(into: &buffer, area: area)
        } else {
            renderLayered(into: &buffer, area: area)
        }
    }

    // MARK: - Layered

    private func renderLayered(into buffer: inout Buffer, area: Rect) {
        let offset = layout.origin(scroll: scroll, area: area, compact: false)
        var canvas = EdgeCanvas(originX: offset.x, originY: offset.y, width: area.width, height: area.height)
        let columns = visibleColumns(from: offset.x, width: area.width)
        for column in columns {
            if column < layout.channelNets.count {
                for net in layout.channelNets[column] where canvas.overlapsRows(layout.netTop[net], layout.netBottom[net]) {
                    drawNet(net, on: &canvas)
                }
            }
            forEachVisibleSlot(in: column, rows: offset.y, area.height) { slot in
                guard !layout.isStep(slot) else { return }
                let x = layout.columnX[column]
                canvas.horizontal(y: layout.slotRow[slot], from: x, to: x + layout.columnWidth[column] - 1, openLeft: true, openRight: true)
            }
        }
        if let selected, selected >= 0, selected < layout.stepCount {
            let window = Rect(x: offset.x, y: offset.y, width: area.width, height: area.height)
            // The selection's own nets, drawn alone: a lit cell shows only their lines, so
            // another edge that shares the cells (a bundle, a run two nets overlap on) cannot
            // read as one of the selection's.
            var own = EdgeCanvas(originX: offset.x, originY: offset.y, width: area.width, height: area.height)
            var ownNets = Set<Int>()
            for piece in Set(highlightedPieces(of: selected)) where layout.pieceBounds(piece).intersection(window).area > 0 {
                for segment in layout.segments(ofPiece: piece) { canvas.light(segment) }
                if ownNets.insert(layout.pieceNet[piece]).inserted { drawNet(layout.pieceNet[piece], on: &own) }
                let target = layout.pieceTo[piece]
                if !layout.isStep(target) {
                    let column = layout.slotColumn[target], x = layout.columnX[column]
                    own.horizontal(y: layout.slotRow[target], from: x, to: x + layout.columnWidth[column] - 1, openLeft: true, openRight: true)
                }
            }
            canvas.showOnlyOwnLinesWhereLit(own)
        }
        canvas.draw(into: &buffer, area: area, edge: theme.style(.edge), highlighted: theme.style(.edgeHighlighted), unicode: unicode)
        for column in columns {
            forEachVisibleSlot(in: column, rows: offset.y, area.height) { slot in
                guard layout.isStep(slot) else { return }
                drawNode(slot, into: &buffer, at: (area.x + layout.columnX[column] - offset.x, area.y + layout.slotRow[slot] - offset.y), area: area)
            }
        }
        drawIndicators(into: &buffer, area: area, offset: offset)
    }

    /// The columns whose node column or right-hand channel meets the window.
    private func visibleColumns(from x: Int, width: Int) -> Range<Int> {
        let xs = layout.columnX
        var low = 0, high = xs.count
        while low < high {
            let middle = (low + high) / 2
            if xs[middle] <= x { low = middle + 1 } else { high = middle }
        }
        let first = max(0, low - 1)
        var last = first
        while last < xs.count && xs[last] < x + width { last += 1 }
        return first..<last
    }

    private func forEachVisibleSlot(in column: Int, rows top: Int, _ count: Int, _ body: (Int) -> Void) {
        let slots = layout.columnSlots[column]
        var index = layout.firstSlot(atOrBelow: top, in: column)
        while index < slots.count && layout.slotRow[slots[index]] < top + count {
            body(slots[index])
            index += 1
        }
    }

    private func drawNet(_ net: Int, on canvas: inout EdgeCanvas) {
        let lefts = layout.netLefts[net], rights = layout.netRights[net]
        guard let x = layout.trackX(net) else {
            guard let from = lefts.first, let to = rights.first else { return }
            let y = layout.slotRow[from]
            canvas.horizontal(y: y, from: layout.leftAnchor(from), to: layout.rightAnchor(to), openLeft: !layout.isStep(from), openRight: true)
            if layout.isStep(to) { canvas.arrow(x: layout.rightAnchor(to) + 1, y: y) }
            return
        }
        canvas.vertical(x: x, from: layout.netTop[net], to: layout.netBottom[net])
        for from in lefts {
            let y = layout.slotRow[from]
            guard canvas.containsRow(y) else { continue }
            canvas.horizontal(y: y, from: layout.leftAnchor(from), to: x, openLeft: !layout.isStep(from))
            canvas.branch(x: x, y: y)
        }
        for to in rights {
            let y = layout.slotRow[to]
            guard canvas.containsRow(y) else { continue }
            canvas.horizontal(y: y, from: x, to: layout.rightAnchor(to), openRight: true)
            canvas.branch(x: x, y: y)
            if layout.isStep(to) { canvas.arrow(x: layout.rightAnchor(to) + 1, y: y) }
        }
    }

    /// The pieces of every edge into or out of a step.
    private func highlightedPieces(of step: Int) -> [Int] {
        var pieces: [Int] = []
        pieces.append(contentsOf: layout.chainPieces[layout.chainStart[layout.outStart[step]]..<layout.chainStart[layout.outStart[step + 1]]])
        for need in layout.needs[step] {
            if let chain = layout.chain(from: need, to: step) { pieces.append(contentsOf: chain) }
        }
        return pieces
    }

    private func drawNode(_ step: Int, into buffer: inout Buffer, at origin: (x: Int, y: Int), area: Rect) {
        let state = step < states.count ? states[step] : .pending
        let label = Self.cut(labels?[step] ?? workflow.steps[step].id, to: layout.labelLimit, unicode: unicode)
        let isSelected = step == selected
        let glyphStyle = isSelected ? selectedGlyphStyle(state) : theme.style(for: state)
        let labelStyle = isSelected ? theme.style(.selection) : theme.style(.text)
        buffer.write(glyph(for: state), x: origin.x, y: origin.y, style: glyphStyle, clip: area)
        buffer.write(" " + label, x: origin.x + 1, y: origin.y, style: labelStyle, clip: area)
    }

    /// The state glyph, one column wide: the theme's, or ASCII when asked for or when the
    /// theme's is not one column.
    func glyph(for state: StepState) -> String {
        let themed = unicode ? theme.glyph(for: state) : (Theme.asciiGlyphs[state] ?? "?")
        if TextWidth.of(themed) == 1 { return themed }
        return Theme.asciiGlyphs[state] ?? "?"
    }

    /// The selection colours with the state's foreground, so the glyph keeps its meaning.
    func selectedGlyphStyle(_ state: StepState) -> Style {
        let selection = theme.style(.selection), stateStyle = theme.style(for: state)
        return Style(
            foreground: stateStyle.foreground == .default ? selection.foreground : stateStyle.foreground,
            background: selection.background, attributes: selection.attributes.union(stateStyle.attributes))
    }

    /// `text` cut to `columns`, ending in `…` (or `~` in ASCII) when cut.
    static func cut(_ text: String, to columns: Int, unicode: Bool) -> String {
        if unicode || TextWidth.of(text) <= columns { return TextWidth.truncate(text, to: columns) }
        guard columns > 0 else { return "" }
        return TextWidth.prefix(text, fitting: columns - 1).0 + "~"
    }

    // MARK: - Scroll indicators

    private func drawIndicators(into buffer: inout Buffer, area: Rect, offset: (x: Int, y: Int)) {
        let above = layout.stepsAboveRow[min(layout.height, offset.y)]
        let below = layout.stepCount - layout.stepsAboveRow[min(layout.height, offset.y + area.height)]
        // Columns are ordered by x, so the hidden ones are a prefix and a suffix.
        let hiddenLeft = layout.stepsBeforeColumn[firstColumn { layout.columnX[$0] + layout.columnWidth[$0] > offset.x }]
        let hiddenRight = layout.stepCount - layout.stepsBeforeColumn[firstColumn { layout.columnX[$0] >= offset.x + area.width }]
        // Under the drawing when it is shorter than the pane, else on the pane's last row.
        let drawn = max(1, min(area.height, layout.height - offset.y))
        let row = drawn < area.height ? area.y + drawn : area.maxY - 1
        drawIndicators(above: above, below: below, left: hiddenLeft, right: hiddenRight, bottomRow: row, into: &buffer, area: area)
    }

    /// The first column satisfying a predicate that holds for every column after it, or the column count.
    private func firstColumn(where predicate: (Int) -> Bool) -> Int {
        var low = 0, high = layout.columnCount
        while low < high {
            let middle = (low + high) / 2
            if predicate(middle) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// "▲ n more" at the right of the top row; "◀ n" at the left and "▼ n more  n ▶" at the right
    /// of `bottomRow`: how many steps lie beyond each edge of the pane.
    func drawIndicators(above: Int, below: Int, left: Int, right: Int, bottomRow: Int, into buffer: inout Buffer, area: Rect) {
        let style = theme.style(.muted)
        if above > 0 {
            let text = " " + (unicode ? "▲" : "^") + " \(above) more"
            buffer.write(text, x: area.maxX - TextWidth.of(text), y: area.y, style: style, clip: area)
        }
        var trailing: [String] = []
        if below > 0 { trailing.append((unicode ? "▼" : "v") + " \(below) more") }
        if right > 0 { trailing.append("\(right) " + (unicode ? "▶" : ">")) }
        if !trailing.isEmpty {
            let text = " " + trailing.joined(separator: "  ")
            buffer.write(text, x: area.maxX - TextWidth.of(text), y: bottomRow, style: style, clip: area)
        }
        if left > 0 {
            buffer.write((unicode ? "◀ " : "< ") + "\(left) ", x: area.x, y: bottomRow, style: style, clip: area)
        }
    }
}
