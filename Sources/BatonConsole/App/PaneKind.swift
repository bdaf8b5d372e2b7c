/// What a slot of the layout shows: each of the four slots (`Pane`) has its own content and an
/// alternative, which its key switches to (`t`, `A`, `i`).
///
/// Each kind is drawn, scrolled and hit-tested by its type (`pane`, a `ConsolePane`). Adding a
/// kind of pane means its type's file in Panes/, a case here with its type, slot and
/// alternative, and its keys in the keymap (`Keymap.defaultBindings`).
public enum PaneKind: String, Sendable, CaseIterable, Hashable {
    case graph
    case timeline
    case steps
    case log
    case audit
    case details
    case notes

    /// The type that draws, scrolls and hit-tests this kind of pane.
    var pane: any ConsolePane.Type {
        switch self {
        case .graph: return GraphPane.self
        case .timeline: return TimelinePane.self
        case .steps: return StepsPane.self
        case .log: return LogPane.self
        case .audit: return AuditPane.self
        case .details: return DetailsPane.self
        case .notes: return NotesPane.self
        }
    }

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
