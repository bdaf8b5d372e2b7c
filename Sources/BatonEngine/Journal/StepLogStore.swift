import Foundation
import Synchronization

/// Writes each step's output, byte for byte, to `logs/<step>.log`, with an index of its chunks.
///
/// The log holds exactly the bytes the step printed (secrets masked), stdout and stderr in
/// the order they were read, with Baton's own lines (`baton` stream) between them: escape
/// sequences, NUL bytes, invalid UTF-8 and a `\r` before `\n` are kept as they were, and
/// `cat` shows the output as a terminal would have. The index has a header line, then one
/// line per chunk, `<offset> <length> <UTC time> <stream>`, which says when each byte range
/// was read and on which stream. One timestamp per chunk instead of one per line is what lets
/// a step print a gigabyte of short lines at disk speed, into a log no bigger than the output.
///
/// Logs written before the index existed (`<UTC time> <stream> <text>` per line, no index
/// file) are still read, and so is such a log that a resumed run appended to in the new
/// form (see `StepLogStore+Reading`).
///
/// Files are opened on first use and written from whatever thread delivers the output; a
/// lock keeps chunks and their index lines together. The first failure to open or write a
/// file is reported through `onWriteFailure`, with the path and the system's reason.
public final class StepLogStore: Sendable {
    /// The first line of every index file.
    static let indexHeader = "baton-log-index 1\n"

    /// The open files of one step's log.
    private struct Files {
        var log: Int32
        var index: Int32
        /// Whether the log's last byte is a newline (or the log is empty).
        var endsLine: Bool
        /// When the files were last written, in writes: the least recent are closed first.
        var lastUse: UInt64 = 0
    }

    /// The open files of the steps written most recently, and the count of writes.
    private struct OpenFiles {
        var byStep: [String: Files] = [:]
        var writes: UInt64 = 0
    }

    /// The most steps whose logs stay open at once: a run of 10,000 steps must not hold
    /// 20,000 descriptors. A step's files reopen (in append mode) when it writes again.
    static let maximumOpenSteps = 64

    private let directory: String
    private let files = Mutex(OpenFiles())
    private let onWriteFailure: @Sendable (String) -> Void
    private let failed = Atomic<Bool>(false)

    /// Uses (and creates) `directory` for the log files.
    ///
    /// - Parameter onWriteFailure: called once, with a sentence naming the file and the
    ///   system's reason, the first time a log cannot be opened or written (a full disk, an
    ///   I/O error, a file size limit, a removed directory). The output goes on being
    ///   published; what the log lacks from then on is lost.
    public init(directory: String, onWriteFailure: @escaping @Sendable (String) -> Void) throws(JournalError) {
        self.directory = directory
        self.onWriteFailure = onWriteFailure
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw JournalError(path: directory, message: "cannot create the log directory: \(error.localizedDescription)")
        }
    }

    /// The path of a step's log.
    public func path(for stepID: String) -> String { "\(directory)/\(stepID).log" }

    /// The path of the index of the log at `logPath`.
    public static func indexPath(forLog logPath: String) -> String { logPath + ".index" }

    /// Appends a chunk's bytes, as they are, to the step's log, and its line to the index.
    ///
    /// A line of Baton's own after output that did not end its line (a step's last line
    /// without a newline) starts on a line of its own: a newline goes before it, outside
    /// every chunk, so `cat` shows the two apart and readers never see it.
    ///
    /// Returns where the chunk's bytes start in the log, or nil when they were not written.
    @discardableResult
    public func write(_ chunk: OutputChunk) -> Int? {
        guard !chunk.bytes.isEmpty else { return nil }
        let stamp = " \(chunk.bytes.count) \(Self.timestamp(chunk.time)) \(chunk.stream.rawValue)\n"
        return files.withLock { files -> Int? in
            guard var open = files.byStep[chunk.stepID] ?? self.open(chunk.stepID, closingOneOf: &files) else { return nil }
            files.writes += 1
            open.lastUse = files.writes
            if chunk.stream == .baton && !open.endsLine, let error = DescriptorIO.writeAll("\n", to: open.log) {
                report("cannot write the log of step '\(chunk.stepID)' (\(path(for: chunk.stepID)))", error)
                return nil
            }
            open.endsLine = chunk.bytes.last == 0x0A
            files.byStep[chunk.stepID] = open
            if let error = chunk.bytes.withUnsafeBytes({ DescriptorIO.writeAll($0, to: open.log) }) {
                report("cannot write the log of step '\(chunk.stepID)' (\(path(for: chunk.stepID)))", error)
                return nil
            }
            // An append leaves the file position at the end of what it wrote, wherever the
            // end was (a resumed run's older log, or something else appending), so the index
            // points at the bytes where they really are.
            let offset = Int(lseek(open.log, 0, SEEK_CUR)) - chunk.bytes.count
            if let error = DescriptorIO.writeAll("\(offset)" + stamp, to: open.index) {
                report("cannot write the log index of step '\(chunk.stepID)' (\(Self.indexPath(forLog: path(for: chunk.stepID))))", error)
                return offset
            }
            // Writes to a file whose folder was removed succeed, and go nowhere anyone can read.
            var status = stat()
            if fstat(open.log, &status) == 0 && status.st_nlink == 0 {
                report("the log of step '\(chunk.stepID)' (\(path(for: chunk.stepID))) was removed while the step wrote it", ENOENT)
            }
            return offset
        }
    }

    /// Opens a step's index (first, so that a log without one is known to be of the older
    /// form) and log, first closing the least recently written step's files if as many as
    /// allowed are open; reports a failure and returns nil if either cannot be opened.
    private func open(_ stepID: String, closingOneOf files: inout OpenFiles) -> Files? {
        if files.byStep.count >= Self.maximumOpenSteps, let oldest = files.byStep.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            Foundation.close(oldest.value.log)
            Foundation.close(oldest.value.index)
            files.byStep.removeValue(forKey: oldest.key)
        }
        let logPath = path(for: stepID)
        let indexPath = Self.indexPath(forLog: logPath)
        let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC
        let index = Foundation.open(indexPath, flags, 0o644)
        guard index >= 0 else {
            report("cannot open the log index of step '\(stepID)' (\(indexPath))", errno)
            return nil
        }
        var info = stat()
        if fstat(index, &info) == 0, info.st_size == 0 {
            if let error = DescriptorIO.writeAll(Self.indexHeader, to: index) {
                report("cannot write the log index of step '\(stepID)' (\(indexPath))", error)
            }
        }
        let log = Foundation.open(logPath, flags, 0o644)
        guard log >= 0 else {
            report("cannot open the log of step '\(stepID)' (\(logPath))", errno)
            Foundation.close(index)
            return nil
        }
        // A resumed run goes on in the log the previous Baton left, which may end mid-line.
        var last: UInt8 = 0x0A
        var size = stat()
        if fstat(log, &size) == 0, size.st_size > 0 { _ = pread(log, &last, 1, size.st_size - 1) }
        return Files(log: log, index: index, endsLine: last == 0x0A)
    }

    /// Reports the first failure only: one full disk should not bury the run in messages.
    private func report(_ what: String, _ code: Int32) {
        guard !failed.exchange(true, ordering: .relaxed) else { return }
        onWriteFailure("\(what): \(String(cString: strerror(code)))")
    }

    /// Closes every open log file.
    public func closeAll() {
        files.withLock { files in
            for open in files.byStep.values {
                Foundation.close(open.log)
                Foundation.close(open.index)
            }
            files.byStep.removeAll()
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
