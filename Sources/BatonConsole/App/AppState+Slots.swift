/// What each slot of the layout shows (`PaneKind`), and the switches between a slot's two
/// contents (`t`, `A`, `i`).
extension AppState {
    /// What the slot `pane` shows.
    public func content(of pane: Pane) -> PaneKind { slotContents[pane] ?? PaneKind.standard(in: pane) }

    /// Whether `kind` is on screen, in its slot.
    public func shows(_ kind: PaneKind) -> Bool { content(of: kind.slot) == kind }

    /// Puts `kind` in its slot, or that slot's standard content back when `shown` is false.
    public mutating func show(_ kind: PaneKind, _ shown: Bool = true) {
        slotContents[kind.slot] = shown ? kind : PaneKind.standard(in: kind.slot)
    }

    /// Switches the slot of `kind` between its two contents.
    public mutating func toggle(_ kind: PaneKind) { show(kind, !shows(kind)) }

    /// The graph slot shows the timeline instead of the graph.
    public var showsTimeline: Bool { shows(.timeline) }
    /// The details slot shows the teaching notes instead of the details.
    public var showsNotes: Bool { shows(.notes) }
    /// The log slot shows the run's audit trail instead of the selected step's log.
    public var showsAudit: Bool { shows(.audit) }
}
