import BatonEngine

/// Lines read from a step's log file around one line, shown in the log pane in place of the
/// lines in memory: how the operator sees a match that only the file holds.
public struct LogExcerpt: Sendable, Hashable {
    /// How many lines are read on each side of the line asked for.
    public static let radius = 200

    public var stepID: String
    /// The number in the log (from 1) of the first line.
    public var firstLine: Int
    /// The lines, as the log pane shows them (`StepLog.visible`).
    public var lines: [OutputLine]
    /// The line the excerpt was read for: the match being shown.
    public var focus: Int
    /// True when the log ended before `radius` lines after `focus`.
    public var reachesEnd: Bool

    public init(stepID: String, firstLine: Int, lines: [OutputLine], focus: Int, reachesEnd: Bool) {
        self.stepID = stepID
        self.firstLine = firstLine
        self.lines = lines
        self.focus = focus
        self.reachesEnd = reachesEnd
    }

    /// The number in the log of the last line.
    public var lastLine: Int { firstLine + lines.count - 1 }

    /// Whether the excerpt holds `line` with at least `margin` lines around it on each side
    /// (or all the log has on that side), so it can be shown without reading the file again.
    public func shows(_ line: Int, margin: Int) -> Bool {
        guard line >= firstLine, line <= lastLine else { return false }
        return (line - firstLine >= margin || firstLine == 1) && (lastLine - line >= margin || reachesEnd)
    }
}
