import BatonTerminal

/// Where each pane goes for a terminal size. `update` and `view` share it, so scrolling
/// decisions and drawing agree.
public struct ConsoleLayout: Sendable, Hashable {
    /// The smallest terminal the console draws in; below it a message asks for more room.
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    public var header: Rect
    public var graph: Rect
    public var details: Rect
    public var steps: Rect
    public var logs: Rect
    public var status: Rect
    public var footer: Rect
    public var isTooSmall: Bool

    public init(width: Int, height: Int) {
        isTooSmall = width < Self.minimumWidth || height < Self.minimumHeight
        let screen = Rect(x: 0, y: 0, width: width, height: height)
        let (header, rest) = screen.splitTop(2)
        let (bodyAndStatus, footer) = rest.splitBottom(1)
        let (body, status) = bodyAndStatus.splitBottom(1)
        let topHeight = max(6, body.height * 55 / 100)
        let (top, bottom) = body.splitTop(topHeight)
        let (graph, details) = top.splitLeft(max(20, top.width * 62 / 100))
        let (steps, logs) = bottom.splitLeft(max(20, bottom.width * 45 / 100))
        self.header = header
        self.graph = graph
        self.details = details
        self.steps = steps
        self.logs = logs
        self.status = status
        self.footer = footer
    }

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
