/// One row of the steps table or the timeline: a step, or the header of a fan-out group.
///
/// A collapsed group is its header alone; an expanded group's header is followed by its
/// instances, indented beneath it.
public enum StepRow: Sendable, Hashable {
    /// A step by file position: a plain step, or an instance of an expanded group (`indented`).
    case step(Int, indented: Bool)
    /// A group's header, by group id.
    case group(String, expanded: Bool)

    /// The step's file position, for a step row.
    public var step: Int? {
        if case .step(let index, _) = self { return index }
        return nil
    }

    /// The group's id, for a header row.
    public var group: String? {
        if case .group(let id, _) = self { return id }
        return nil
    }

    /// Whether this is the header of an expanded group, which the selection passes over: its
    /// instances beneath it are what one selects.
    public var isExpandedHeader: Bool {
        if case .group(_, expanded: true) = self { return true }
        return false
    }
}
