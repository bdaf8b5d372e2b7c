import BatonEngine

/// The most recent output lines of one step, kept in memory for the log pane.
///
/// The full log is on disk (`logs/<step>.log`); the console keeps the last `limit` lines so
/// that a chatty step cannot exhaust memory. Lines are kept as they are shown: their text is
/// escaped by `VisibleText` on the way in (and cut to its display limit), and their raw bytes
/// are dropped, so the log pane and its search see the same safe text.
public struct StepLog: Sendable, Hashable {
    public static let limit = 5_000

    public private(set) var lines: [OutputLine] = []
    /// Lines dropped from the front to stay within the limit.
    public private(set) var dropped = 0

    public init() {}

    public mutating func append(_ line: OutputLine) {
        var shown = line
        shown.text = VisibleText.escape(line)
        shown.raw = nil
        lines.append(shown)
        if lines.count > Self.limit + Self.limit / 4 {
            let excess = lines.count - Self.limit
            lines.removeFirst(excess)
            dropped += excess
        }
    }
}
