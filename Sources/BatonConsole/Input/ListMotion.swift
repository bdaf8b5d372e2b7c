/// Where a movement key takes a position in a list: one row, a page, or either end.
///
/// The step table, the timeline, the log and the audit trail all scroll the same way; this is
/// the one place that says how.
enum ListMotion {
    /// The position `action` moves `position` to in a list of `count` rows showing `page` at
    /// once, kept within the list; `position` itself for actions that do not move.
    static func position(after action: ConsoleAction, from position: Int, page: Int, count: Int) -> Int {
        guard count > 0 else { return 0 }
        var next = position
        switch action {
        case .up, .left: next -= 1
        case .down, .right: next += 1
        case .pageUp: next -= max(1, page)
        case .pageDown: next += max(1, page)
        case .top: next = 0
        case .bottom: next = count - 1
        default: break
        }
        return min(max(0, next), count - 1)
    }
}
