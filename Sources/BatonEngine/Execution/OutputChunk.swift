import Foundation

/// A run of bytes one step printed on one stream, read at one time: the unit output travels in.
///
/// A chunk holds whole lines, each ending with `\n`, except that its last line may lack one:
/// a piece of a line longer than `ProcessLineSplitter.defaultMaxLineBytes`, or the step's last
/// line. The bytes are what the step printed (secrets masked once the engine has them):
/// escape sequences, NUL bytes, invalid UTF-8 and a `\r` before `\n` included. Moving output in
/// chunks, not lines, is what lets a chatty step run at pipe speed: nothing is decoded or
/// allocated per line unless a front end asks for the lines (`lines`, `lastLines(_:)`).
public struct OutputChunk: Sendable, Hashable {
    public var stepID: String
    public var stream: OutputLine.Stream
    public var time: Date
    /// The bytes, untrusted: a front end must escape them before showing them.
    public var bytes: [UInt8]
    /// Ties the chunk to the engine's count of published output still in memory, so that
    /// count drops when the last copy of the chunk is freed (see `OutputBacklog`).
    var ticket: OutputBacklog.Ticket?
    /// Where the chunk's bytes start in its step's log, once written there: a watcher that
    /// read the log up to some offset leaves out what it already has.
    public var logOffset: Int?

    public init(stepID: String, stream: OutputLine.Stream, bytes: [UInt8], time: Date = Date()) {
        self.stepID = stepID
        self.stream = stream
        self.bytes = bytes
        self.time = time
    }

    /// A chunk of one line of text (a newline is added).
    public init(line: OutputLine) {
        var bytes = line.raw ?? Array(line.text.utf8)
        bytes.append(0x0A)
        self.init(stepID: line.stepID, stream: line.stream, bytes: bytes, time: line.time)
    }

    /// The chunk's lines, decoded (see `lines(in:)`).
    public var lines: [OutputLine] { lastLines(.max) }

    /// The last `count` lines only: a front end that keeps a tail decodes no more than that.
    public func lastLines(_ count: Int) -> [OutputLine] {
        bytes.withUnsafeBytes { buffer in
            Self.lines(in: buffer, last: count).map { text, raw in
                OutputLine(stepID: stepID, stream: stream, text: text, time: time, raw: raw)
            }
        }
    }

    /// Splits bytes at `\n` into the texts of their last `count` lines, a `\r` before the
    /// `\n` left out of the text; bytes after the last `\n` count as a line too. Each text
    /// comes with its bytes when they are not valid UTF-8 (see `ProcessLineSplitter.decode`).
    static func lines(in bytes: UnsafeRawBufferPointer, last count: Int) -> [(String, [UInt8]?)] {
        guard !bytes.isEmpty, count > 0 else { return [] }
        // Walk back from the end, so only the lines asked for are looked at.
        var end = bytes.count
        if bytes[end - 1] == 0x0A { end -= 1 }
        var found: [Range<Int>] = []
        while found.count < count {
            var start = end
            while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
            found.append(start..<end)
            if start == 0 { break }
            end = start - 1
        }
        return found.reversed().map { ProcessLineSplitter.decode(UnsafeRawBufferPointer(rebasing: bytes[$0])) }
    }

    public static func == (lhs: OutputChunk, rhs: OutputChunk) -> Bool {
        lhs.stepID == rhs.stepID && lhs.stream == rhs.stream && lhs.time == rhs.time && lhs.bytes == rhs.bytes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(stepID)
        hasher.combine(stream)
        hasher.combine(time)
        hasher.combine(bytes)
    }
}
