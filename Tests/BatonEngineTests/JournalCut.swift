import BatonEngine
import BatonTestSupport
import Foundation

/// A recorded journal cut short, as a crash would leave it: its first `eventCount` events,
/// and, when `tornBytes` is not zero, that many bytes of the next line without its newline
/// (all of them: a whole event that lost only its newline, which a resume keeps).
struct JournalCut: Sendable, CustomStringConvertible {
    var recording: RecordedScenario.Recording
    var eventCount: Int
    var tornBytes: Int

    var description: String {
        let rest = tornBytes == 0 ? "" : tornBytes == recording.lines[eventCount].count ? " and the next line without its newline" : " and \(tornBytes) bytes of the next line"
        return "\(recording.scenario) cut after event \(eventCount)\(rest)"
    }

    /// The journal's bytes up to the cut.
    var bytes: [UInt8] {
        var bytes: [UInt8] = recording.lines.prefix(eventCount).flatMap { line -> [UInt8] in line + [0x0A] }
        if tornBytes > 0 { bytes += recording.lines[eventCount].prefix(tornBytes) }
        return bytes
    }

    /// The events the cut keeps: those before it, and the next if only its newline is missing.
    var events: [RunEvent] {
        let whole = tornBytes > 0 && tornBytes == recording.lines[eventCount].count
        return Array(recording.events.prefix(eventCount + (whole ? 1 : 0)))
    }

    /// Every cut of a recording: at each event boundary, from the empty journal to the whole
    /// one, in the middle of each line, and just before each newline.
    static func all(of recording: RecordedScenario.Recording) -> [JournalCut] {
        var cuts: [JournalCut] = []
        for count in 0...recording.lines.count {
            cuts.append(JournalCut(recording: recording, eventCount: count, tornBytes: 0))
            if count < recording.lines.count {
                cuts.append(JournalCut(recording: recording, eventCount: count, tornBytes: recording.lines[count].count / 2))
                cuts.append(JournalCut(recording: recording, eventCount: count, tornBytes: recording.lines[count].count))
            }
        }
        return cuts
    }
}
