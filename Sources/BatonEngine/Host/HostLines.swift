import Foundation

/// The run host's protocol lines for what the engine publishes, written by hand: every
/// watcher gets every event and chunk, and `JSONEncoder` costs more per line than a quick
/// step's bookkeeping. Each writes what `HostMessage.line()` would (a test holds them equal).
enum HostLines {
    private static let eventPrefix = Array(#"{"event":"#.utf8)
    private static let eventSuffix = Array(#","type":"event"}"#.utf8) + [0x0A]

    /// The `event` line for a journal line as it is on disk (the event's own encoding).
    static func appendEvent(journalLine: some Collection<UInt8>, to out: inout Data) {
        out.append(contentsOf: eventPrefix)
        out.append(contentsOf: journalLine)
        out.append(contentsOf: eventSuffix)
    }

    /// The line for an update: an `event`, the `output` lines of a chunk (cut into pieces
    /// that stay well under the longest line a client reads), or a `recording_failed`.
    static func line(for update: EngineUpdate) -> [UInt8] {
        switch update {
        case .event(let event):
            return eventPrefix + event.jsonLine() + eventSuffix
        case .output(let chunk):
            var out: [UInt8] = []
            for piece in pieces(of: chunk) { appendOutput(piece, to: &out) }
            return out
        case .recordingFailed(let problem):
            var message = HostMessage(type: .recordingFailed)
            message.message = problem
            return Array(message.line())
        case .notificationFailed(let problem):
            var message = HostMessage(type: .notificationFailed)
            message.message = problem
            return Array(message.line())
        }
    }

    /// Appends a chunk's `output` line, as `HostMessage.output(_:)` encodes it.
    static func appendOutput(_ chunk: OutputChunk, to out: inout [UInt8]) {
        out += Array(#"{"data":""#.utf8)
        out += Data(chunk.bytes).base64EncodedString().utf8
        out += Array(#"","#.utf8)
        if let offset = chunk.logOffset { out += Array(#""offset":\#(offset),"#.utf8) }
        out += Array(#""step":"#.utf8)
        RunEvent.appendJSONString(chunk.stepID, to: &out)
        out += Array(#","stream":"\#(chunk.stream.rawValue)","time":\#(chunk.time.timeIntervalSince1970),"type":"output"}"#.utf8)
        out.append(0x0A)
    }

    /// A chunk cut into pieces of at most 32 KiB (base64 makes 3 bytes 4).
    static func pieces(of chunk: OutputChunk) -> [OutputChunk] {
        let most = 32 * 1024
        guard chunk.bytes.count > most else { return [chunk] }
        return stride(from: 0, to: chunk.bytes.count, by: most).map { start in
            var piece = chunk
            piece.bytes = Array(chunk.bytes[start..<min(start + most, chunk.bytes.count)])
            piece.logOffset = chunk.logOffset.map { $0 + start }
            return piece
        }
    }
}
