/// Each pane's own state, kept by the console as ratatui's `StatefulWidget` keeps a widget's:
/// where the pane is scrolled, and for the log its search. A pane type (`ConsolePane`) reads
/// and moves its own field; the others leave it alone.
public struct PaneStates: Sendable, Hashable {
    /// Where the graph's drawing is scrolled, in both directions.
    public var graph = GraphScroll()
    /// The timeline's rows below its axis.
    public var timeline = ListScroll()
    /// The steps table's rows below its column titles, and its columns (←/→).
    public var steps = ListScroll()
    /// The selected step's log: its scroll, wrap and search.
    public var log = LogViewState()
    /// The audit trail's entries; it follows the newest until scrolled up.
    public var audit = ListScroll(follows: true)
    /// Whether the audit pane wraps long comments and reasons (`w` while it shows).
    public var auditWraps = true
    /// The details pane's wrapped rows.
    public var details = ListScroll()
    /// The teaching notes' wrapped rows.
    public var notes = ListScroll()

    public init() {}
}
