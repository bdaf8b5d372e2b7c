import Foundation

/// One line a step printed, with the stream it came on.
public struct OutputLine: Sendable, Hashable, Codable {
    public enum Stream: String, Sendable, Hashable, Codable {
        case stdout = "out"
        case stderr = "err"
        /// A line Baton itself writes into the step's log (for example "attempt 2 of 3").
        case baton = "baton"
    }

    public var stepID: String
    public var stream: Stream
    /// The line as text. It is untrusted: it may hold escape sequences and any other control
    /// characters the step printed, so a front end must escape it before showing it.
    public var text: String
    public var time: Date
    /// The bytes exactly as the step printed them, kept only when they are not valid UTF-8;
    /// `text` then has U+FFFD in place of each bad sequence. Nil when `text` is the bytes.
    public var raw: [UInt8]?

    public init(stepID: String, stream: Stream, text: String, time: Date = Date(), raw: [UInt8]? = nil) {
        self.stepID = stepID
        self.stream = stream
        self.text = text
        self.time = time
        self.raw = raw
    }
}
