/// How the log pane is scrolled, searched and wrapped.
public struct LogViewState: Sendable, Hashable {
    /// Keep the newest line in view.
    public var follow = true
    /// The first visible line (in wrapped rows when wrapping) when not following.
    public var top = 0
    public var wrap = false
    /// The search being typed, while the search prompt is open.
    public var typing: String?
    /// The last search.
    public var query = ""
    /// Indexes of the lines that match `query`.
    public var matches: [Int] = []
    /// Which match is current.
    public var current = 0

    public init() {}
}
