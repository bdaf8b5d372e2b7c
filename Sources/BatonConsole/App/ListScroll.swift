/// Where a list-like pane is scrolled: the first row it shows, whether it follows its newest
/// rows, and how far it is scrolled to the right.
///
/// The steps table, the timeline, the log, the audit trail, the details and the notes each
/// keep one (`PaneStates`). This is the one place that says how a movement key and a turn of
/// the wheel move a list, and where a list that grew or shrank starts.
public struct ListScroll: Sendable, Hashable {
    /// The first row shown while the list does not follow its end.
    public var top: Int
    /// Keep the newest rows in view: the log and the audit trail, until scrolled up.
    public var follows: Bool
    /// Columns scrolled to the right (the table and the log, ←/→).
    public var column: Int

    public init(top: Int = 0, follows: Bool = false, column: Int = 0) {
        self.top = top
        self.follows = follows
        self.column = column
    }

    /// The furthest first row of `count` rows shown `visible` at a time: the last page's.
    public static func lastTop(count: Int, visible: Int) -> Int { max(0, count - max(0, visible)) }

    /// The first row shown of `count` rows, `visible` at a time: the last page's while
    /// following, else `top` kept within the list, so no row is left empty that a row could fill.
    public func first(count: Int, visible: Int) -> Int {
        let last = Self.lastTop(count: count, visible: visible)
        return follows ? last : min(max(0, top), last)
    }

    /// Moves as a movement key does, from the first row shown: a row, a page of `visible`, or
    /// either end. A list that `tails` (the log, the audit trail) follows again when moved down
    /// to its end, or by `bottom`, and stops following on any other move.
    public mutating func move(_ action: ConsoleAction, count: Int, visible: Int, tails: Bool) {
        let last = Self.lastTop(count: count, visible: visible)
        top = ListMotion.position(after: action, from: first(count: count, visible: visible), page: visible, count: last + 1)
        if tails { follows = action == .bottom || (top >= last && Self.movesDown(action)) }
    }

    /// Scrolls by `rows` (down when positive), as the wheel does, from the first row shown. A
    /// list that `tails` follows again when scrolled down to its end, and stops following on
    /// any other turn.
    public mutating func scroll(by rows: Int, count: Int, visible: Int, tails: Bool) {
        let last = Self.lastTop(count: count, visible: visible)
        top = min(max(0, first(count: count, visible: visible) + rows), last)
        if tails { follows = rows > 0 && top >= last }
    }

    /// How many columns ← and → scroll a list sideways.
    public static let sidewaysStep = 8

    /// Scrolls sideways for ← or → by `sidewaysStep` columns, between the left edge and `limit`.
    public mutating func scrollSideways(_ action: ConsoleAction, limit: Int) {
        let step = action == .right ? Self.sidewaysStep : action == .left ? -Self.sidewaysStep : 0
        column = max(0, min(column + step, limit))
    }

    /// Whether a movement key moves towards the end of a list (`ListMotion` takes → as ↓).
    private static func movesDown(_ action: ConsoleAction) -> Bool {
        action == .down || action == .right || action == .pageDown
    }
}
