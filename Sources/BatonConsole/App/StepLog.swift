import BatonEngine

/// The most recent output lines of one step, kept in memory for the log pane.
///
/// The full log is on disk (`logs/<step>.log`); the console keeps the last `limit` lines, and
/// no more than `byteLimit` bytes of their text, so that a chatty step cannot exhaust memory,
/// and the log pane says how many earlier lines are only on disk. The lines kept are always
/// the last ones received, without a gap, so line `i` is line `dropped + i + 1` of the step's
/// output as the console received it. Of a chunk, only the lines that can be kept are
/// decoded. Lines are kept as they are shown: their text is escaped by `VisibleText` on the
/// way in (and cut to its display limit), and their raw bytes are dropped, so the log pane
/// and its search see the same safe text.
public struct StepLog: Sendable, Hashable {
    public static let limit = 5_000
    /// The most bytes of escaped text kept (a line is at most about 8 KiB once escaped).
    public static let byteLimit = 4 << 20

    public private(set) var lines: [OutputLine] = []
    /// Lines dropped from the front (or never kept) to stay within the limits.
    public private(set) var dropped = 0
    /// The UTF-8 bytes of the kept lines' texts.
    private var bytes = 0

    public init() {}

    public mutating func append(_ line: OutputLine) {
        let shown = Self.visible(line)
        bytes += shown.text.utf8.count
        lines.append(shown)
        trim()
    }

    /// Appends a chunk's lines; of a chunk with more lines than are kept, only the last are read.
    public mutating func append(_ chunk: OutputChunk) {
        let kept = chunk.lastLines(Self.limit)
        if kept.count == Self.limit {
            let skipped = Self.lineCount(chunk.bytes) - kept.count
            if skipped > 0 {
                // The lines kept so far are older than the chunk's skipped ones: keeping them
                // would leave a hole in the window, and the count of earlier lines would be wrong.
                dropped += lines.count + skipped
                lines.removeAll(keepingCapacity: true)
                bytes = 0
            }
        }
        for line in kept { append(line) }
    }

    /// A line as the log pane shows it and searches it: its text escaped, its raw bytes dropped.
    public static func visible(_ line: OutputLine) -> OutputLine {
        var shown = line
        shown.text = VisibleText.escape(line)
        shown.raw = nil
        return shown
    }

    /// Drops lines from the front once past a limit, a quarter of the limit at a time, so
    /// the array is not shifted for every line.
    private mutating func trim() {
        guard lines.count > Self.limit + Self.limit / 4 || bytes > Self.byteLimit + Self.byteLimit / 4 else { return }
        var excess = max(0, lines.count - Self.limit)
        var left = bytes
        for line in lines.prefix(excess) { left -= line.text.utf8.count }
        while left > Self.byteLimit, excess < lines.count - 1 {
            left -= lines[excess].text.utf8.count
            excess += 1
        }
        lines.removeFirst(excess)
        bytes = left
        dropped += excess
    }

    /// How many lines bytes make: one per `\n`, and one more if the last has none.
    static func lineCount(_ bytes: [UInt8]) -> Int {
        var count = 0
        for byte in bytes where byte == 0x0A { count += 1 }
        if let last = bytes.last, last != 0x0A { count += 1 }
        return count
    }
}
