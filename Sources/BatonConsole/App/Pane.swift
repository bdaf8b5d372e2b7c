/// The panes that can hold the keyboard focus, in Tab order.
public enum Pane: String, Sendable, CaseIterable, Hashable {
    case graph
    case steps
    case logs
    case details

    public var title: String {
        switch self {
        case .graph: return "Graph"
        case .steps: return "Steps"
        case .logs: return "Log"
        case .details: return "Details"
        }
    }
}
