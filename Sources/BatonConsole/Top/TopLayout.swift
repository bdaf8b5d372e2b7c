import BatonTerminal

/// Where `baton top` draws: a header row, the column titles, the list, the status line and the
/// key hints; below `minimumWidth`×`minimumHeight`, a "terminal too small" message instead.
public struct TopLayout: Sendable, Hashable {
    /// The run id (20 columns) and a state must fit beside the liveness mark.
    public static let minimumWidth = 34
    /// The header, the titles, two runs, the status line and the footer.
    public static let minimumHeight = 6

    public var header: Rect
    public var titles: Rect
    public var list: Rect
    public var status: Rect
    public var footer: Rect
    public var isTooSmall: Bool

    public init(width: Int, height: Int) {
        isTooSmall = width < Self.minimumWidth || height < Self.minimumHeight
        guard !isTooSmall else {
            (header, titles, list, status, footer) = (.zero, .zero, .zero, .zero, .zero)
            return
        }
        let whole = Rect(x: 0, y: 0, width: width, height: height)
        let (header, rest) = whole.splitTop(1)
        let (titles, body) = rest.splitTop(1)
        let (list, bottom) = body.splitBottom(2)
        let (status, footer) = bottom.splitTop(1)
        (self.header, self.titles, self.list, self.status, self.footer) = (header, titles, list, status, footer)
    }
}
