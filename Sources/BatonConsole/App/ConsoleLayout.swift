import BatonTerminal

/// Where each pane goes for a terminal size. `update` and `view` share it, so scrolling
/// decisions and drawing agree.
public struct ConsoleLayout: Sendable, Hashable {
    /// The smallest terminal the console draws in; below it a message asks for more room.
    public static let minimumWidth = 60
    public static let minimumHeight = 16
    /// The fewest rows the panes below the graph get while the graph keeps its own fewest (6):
    /// two borders, the steps table's header and three of its rows.
    static let minimumBottomHeight = 6

    public var header: Rect
    public var graph: Rect
    public var details: Rect
    public var steps: Rect
    public var logs: Rect
    public var status: Rect
    /// The replay's scrubber row; empty outside a replay.
    public var replayBar: Rect
    public var footer: Rect
    public var isTooSmall: Bool

    /// The layout for a state's terminal size and graph; with `zoomed`, the focused pane
    /// takes every row between the header and the status line, and the others none.
    public init(_ state: AppState) {
        self.init(
            width: state.width, height: state.height, graphWidth: state.graphNaturalSize.width,
            graphHeight: state.showsTimeline ? state.workflow.steps.count + 1 : state.graphNaturalSize.height,
            replay: state.replay != nil)
        if state.zoomed { zoom(state.focus) }
    }

    /// Gives `pane` the whole body and the other panes an empty rectangle at its corner.
    mutating func zoom(_ pane: Pane) {
        let body = Rect(x: 0, y: header.maxY, width: footer.width, height: max(0, replayBar.y - header.maxY))
        let hidden = Rect(x: body.x, y: body.y, width: 0, height: 0)
        graph = pane == .graph ? body : hidden
        steps = pane == .steps ? body : hidden
        logs = pane == .logs ? body : hidden
        details = pane == .details ? body : hidden
    }

    /// Lays out the panes. `graphWidth` is the layered graph's natural width: when it does not
    /// fit beside the details pane (on a terminal at least 100 wide), the graph takes the whole
    /// top row, whether it then fits or is drawn as the selection's neighbourhood, and the
    /// details pane moves down beside the steps and the log. A short graph gives the
    /// rows it does not need to the panes below it.
    /// `replay` keeps a row above the status line for the replay's scrubber.
    public init(width: Int, height: Int, graphWidth: Int = 0, graphHeight: Int = 0, replay: Bool = false) {
        isTooSmall = width < Self.minimumWidth || height < Self.minimumHeight
        let screen = Rect(x: 0, y: 0, width: width, height: height)
        let (header, rest) = screen.splitTop(2)
        let (bodyAndStatus, footer) = rest.splitBottom(1)
        let (bodyAndBar, status) = bodyAndStatus.splitBottom(1)
        let (body, replayBar) = bodyAndBar.splitBottom(replay ? 1 : 0)
        var topHeight = max(6, body.height * 50 / 100)
        if graphHeight > 0 { topHeight = max(8, min(topHeight, graphHeight + 6)) }
        // On a short terminal the graph gives up rows before the steps table loses its own: at
        // 60×16 the table keeps three rows live and two in a replay, whose scrubber takes one.
        topHeight = min(topHeight, max(6, body.height - Self.minimumBottomHeight))
        let (top, bottom) = body.splitTop(topHeight)
        let besideWidth = max(20, top.width * 62 / 100)
        let graph: Rect, details: Rect, steps: Rect, logs: Rect
        // A graph wider than the whole row too is drawn as the selection's neighbourhood,
        // which shows more layers the wider its pane: it takes the whole row as well.
        if graphWidth + 2 > besideWidth && width >= 100 {
            graph = top
            let (left, rest) = bottom.splitLeft(bottom.width * 36 / 100)
            let (middle, right) = rest.splitLeft(rest.width * 60 / 100)
            (steps, logs, details) = (left, middle, right)
        } else {
            (graph, details) = top.splitLeft(besideWidth)
            (steps, logs) = bottom.splitLeft(max(20, bottom.width * 45 / 100))
        }
        self.header = header
        self.graph = graph
        self.details = details
        self.steps = steps
        self.logs = logs
        self.status = status
        self.replayBar = replayBar
        self.footer = footer
    }

    /// The inside of a pane's frame: where its content is drawn.
    public func inner(_ pane: Pane) -> Rect { PaneFrame.inner(of: rect(of: pane)) }

    /// The rows a list pane shows below its heading row (the table's column titles, the
    /// timeline's axis, the audit's titles): what a page of it is.
    public func listRows(_ pane: Pane) -> Int { max(1, PaneFrame.listRows(inHeight: inner(pane).height)) }

    /// The rectangle of a pane.
    public func rect(of pane: Pane) -> Rect {
        switch pane {
        case .graph: return graph
        case .steps: return steps
        case .logs: return logs
        case .details: return details
        }
    }
}
