/// How the graph pane draws the workflow: as it fits, or as the operator chose with `m`.
public enum GraphMode: Sendable, Hashable {
    /// The layered graph when it fits the pane, else the compact lanes.
    case automatic
    /// The compact lanes, even when the layered graph would fit.
    case compact
    /// The layered graph even when it is wider than the pane; it scrolls to the selection.
    case layered
}
