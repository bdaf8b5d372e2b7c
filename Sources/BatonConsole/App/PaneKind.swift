/// What a slot of the layout shows: each of the four slots (`Pane`) has its own content and an
/// alternative, which its key switches to (`t`, `A`, `i`).
///
/// Adding a kind of pane means a case here, its slot, its title and its drawing in
/// `ConsoleView.drawSlot`, and a key in the keymap.
public enum PaneKind: String, Sendable, CaseIterable, Hashable {
    case graph
    case timeline
    case steps
    case log
    case audit
    case details
    case notes

    /// The slot it is drawn in.
    public var slot: Pane {
        switch self {
        case .graph, .timeline: return .graph
        case .steps: return .steps
        case .log, .audit: return .logs
        case .details, .notes: return .details
        }
    }

    /// What a slot shows until its key switches it.
    public static func standard(in slot: Pane) -> PaneKind {
        switch slot {
        case .graph: return .graph
        case .steps: return .steps
        case .logs: return .log
        case .details: return .details
        }
    }

    /// The other content of its slot, if it has one: what its key switches to.
    public var alternative: PaneKind? {
        switch self {
        case .graph: return .timeline
        case .timeline: return .graph
        case .log: return .audit
        case .audit: return .log
        case .details: return .notes
        case .notes: return .details
        case .steps: return nil
        }
    }
}
