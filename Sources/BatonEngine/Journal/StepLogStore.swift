import Foundation
import Synchronization

/// Writes each step's output to `logs/<step>.log`, one line per output line.
///
/// Each line reads `<ISO-8601 time> <stream> <text>`, where the stream is `out`, `err` or
/// `baton`. Files are opened on first use and written from whatever thread delivers the
/// output; a lock keeps lines whole.
public final class StepLogStore: Sendable {
    private let directory: String
    private let files = Mutex([String: Int32]())

    /// Uses (and creates) `directory` for the log files.
    public init(directory: String) throws(JournalError) {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw JournalError(path: directory, message: "cannot create the log directory: \(error.localizedDescription)")
        }
    }

    /// The path of a step's log.
    public func path(for stepID: String) -> String { "\(directory)/\(stepID).log" }

    /// Appends one line to the step's log.
    public func write(_ line: OutputLine) {
        let text = "\(Self.timestamp(line.time)) \(line.stream.rawValue) \(line.text)\n"
        files.withLock { files in
            var fd = files[line.stepID] ?? -1
            if fd < 0 {
                fd = open(path(for: line.stepID), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
                guard fd >= 0 else { return }
                files[line.stepID] = fd
            }
            DescriptorWriter.writeAll(text, to: fd)
        }
    }

    /// Closes every open log file.
    public func closeAll() {
        files.withLock { files in
            for fd in files.values { Foundation.close(fd) }
            files.removeAll()
        }
    }

    /// Formats a time as UTC ISO 8601 with milliseconds, without Foundation's slow formatters.
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        let millis = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
    }
}
