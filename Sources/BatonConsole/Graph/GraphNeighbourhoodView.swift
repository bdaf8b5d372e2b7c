import BatonEngine
import BatonTerminal

/// The graph pane's content when the graph is wider than the pane: the layered graph of the
/// selection's neighbourhood, drawn by `GraphView` between a first row that says how many
/// steps each column leaves out above ("+12 above") and a last row for those below.
public struct GraphNeighbourhoodView: Widget, Sendable {
    public var neighbourhood: GraphNeighbourhood
    /// The shown graph's workflow (the steps, or a grouped graph's nodes): its ids are the labels.
    public var shownWorkflow: Workflow
    /// The state of each shown node.
    public var states: [StepState]
    /// What each shown node shows instead of its id (a group's counts); nil for the ids.
    public var labels: [String]?
    /// The neighbourhood's layout cell shown at the drawing area's top left.
    public var scroll: (x: Int, y: Int)
    public var theme: Theme
    public var unicode: Bool

    public init(
        neighbourhood: GraphNeighbourhood, shownWorkflow: Workflow, states: [StepState], labels: [String]? = nil,
        scroll: (x: Int, y: Int), theme: Theme, unicode: Bool
    ) {
        self.neighbourhood = neighbourhood
        self.shownWorkflow = shownWorkflow
        self.states = states
        self.labels = labels
        self.scroll = scroll
        self.theme = theme
        self.unicode = unicode
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        buffer.fill(area, with: Cell(" ", style: theme.style(.text)))
        let drawing = GraphNeighbourhood.drawingArea(in: area)
        let nodes = neighbourhood.shownNode
        let graph = GraphView(
            layout: neighbourhood.layout, workflow: neighbourhood.workflow,
            states: nodes.map { $0 < states.count ? states[$0] : .pending }, selected: neighbourhood.centreIndex,
            scroll: scroll, theme: theme, unicode: unicode, compact: false,
            labels: neighbourhood.labels({ labels?[$0] ?? shownWorkflow.steps[$0].id }, unicode: unicode))
        graph.render(into: &buffer, area: drawing)
        let layout = neighbourhood.layout
        let origin = layout.origin(scroll: scroll, area: drawing, compact: false)
        // Each column's count sits over (and under) it, running into the channel to its
        // right, where nothing is drawn on those rows.
        for column in 0..<layout.columnCount {
            let x = area.x + layout.columnX[column] - origin.x
            let end = column + 1 < layout.columnCount ? area.x + layout.columnX[column + 1] - origin.x - 1 : area.maxX
            let clip = Rect(x: x, y: area.y, width: max(0, min(end, area.maxX) - x), height: area.height).intersection(area)
            guard !clip.isEmpty else { continue }
            if neighbourhood.hiddenAbove[column] > 0 {
                write(neighbourhood.hiddenAbove[column], "above", arrow: unicode ? "↑" : "^", x: x, y: area.y, clip: clip, into: &buffer)
            }
            if neighbourhood.hiddenBelow[column] > 0, area.height > 1 {
                write(neighbourhood.hiddenBelow[column], "below", arrow: unicode ? "↓" : "v", x: x, y: area.maxY - 1, clip: clip, into: &buffer)
            }
        }
    }

    /// "+12 above", or "+12↑" where the column is too narrow for the word.
    private func write(_ count: Int, _ word: String, arrow: String, x: Int, y: Int, clip: Rect, into buffer: inout Buffer) {
        let long = "+\(count) \(word)"
        let text = TextWidth.of(long) <= clip.width ? long : "+\(count)\(arrow)"
        buffer.write(text, x: x, y: y, style: theme.style(.muted), clip: clip)
    }
}
