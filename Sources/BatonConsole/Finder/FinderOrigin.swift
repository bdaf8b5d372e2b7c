/// Where the console stood when the step finder opened: the selection, the table's narrowing
/// and every pane's scroll. The finder moves the selection as the operator types; Esc puts
/// all of it back.
public struct FinderOrigin: Sendable {
    public var selected: Int
    public var focus: Pane
    public var tableNarrowing: StepNarrowing?
    public var panes: PaneStates

    /// Where `state` stands now.
    public init(_ state: AppState) {
        selected = state.selected
        focus = state.focus
        tableNarrowing = state.tableNarrowing
        panes = state.panes
    }

    /// Puts `state` back where it stood.
    public func restore(_ state: inout AppState) {
        state.selected = selected
        state.focus = focus
        state.tableNarrowing = tableNarrowing
        state.panes = panes
    }
}
