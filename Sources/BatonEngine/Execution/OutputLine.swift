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
    public var text: String
    public var time: Date

    public init(stepID: String, stream: Stream, text: String, time: Date = Date()) {
        self.stepID = stepID
        self.stream = stream
        self.text = text
        self.time = time
    }
}
