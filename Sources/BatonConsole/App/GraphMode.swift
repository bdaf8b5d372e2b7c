/// How the graph pane draws the workflow: as it fits, or as the operator chose with `m`.
public enum GraphMode: Sendable, Hashable {
    /// The layered graph when it fits the pane, else the layered graph of the selection's
    /// neighbourhood (`GraphNeighbourhood`); the compact lanes only when not even that fits.
    case automatic
    /// The compact lanes, even when the layered graph would fit.
    case compact
}
