import Foundation
import Synchronization

/// Writes each step's output to `logs/<step>.log`, one line per output line.
///
/// Each line reads `<ISO-8601 time> <stream> <text>`, where the stream is `out`, `err` or
/// `baton`, and the text is the bytes the step printed (secrets masked), not escaped: escape
/// sequences, NUL bytes and invalid UTF-8 are kept as they were. Files are opened on first use and written from whatever thread delivers the
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

    /// Appends one line to the step's log: its raw bytes when it has them (see
    /// `OutputLine.raw`), else its text, unescaped either way.
    public func write(_ line: OutputLine) {
        if let raw = line.raw {
            var bytes = Array("\(Self.timestamp(line.time)) \(line.stream.rawValue) ".utf8)
            bytes.reserveCapacity(bytes.count + raw.count + 1)
            bytes.append(contentsOf: raw)
            bytes.append(0x0A)
            append(to: line.stepID) { fd in bytes.withUnsafeBytes { DescriptorWriter.writeAll($0, to: fd) } }
        } else {
            // One string for the whole line, as before raw bytes were kept: the common path.
            let text = "\(Self.timestamp(line.time)) \(line.stream.rawValue) \(line.text)\n"
            append(to: line.stepID) { fd in DescriptorWriter.writeAll(text, to: fd) }
        }
    }

    /// Runs `write` with the step's log descriptor, opening the file on first use, under the lock.
    private func append(to stepID: String, _ write: (Int32) -> Int32?) {
        files.withLock { files in
            var fd = files[stepID] ?? -1
            if fd < 0 {
                fd = open(path(for: stepID), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
                guard fd >= 0 else { return }
                files[stepID] = fd
            }
            _ = write(fd)
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
