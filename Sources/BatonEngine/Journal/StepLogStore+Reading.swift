import Foundation

extension StepLogStore {
    /// The last `limit` lines of a step's log, each with its chunk's time and stream.
    ///
    /// Only the last `maximumBytes` of the log (and as much of its index) are read, however
    /// large it grew, so a read that starts mid-file drops the partial line it starts in. Text
    /// that is not valid UTF-8 is decoded with U+FFFD and its bytes kept in `raw`; a `\r` that
    /// ended a line is left out, as it is from live lines. A missing file has no lines.
    ///
    /// Both forms of log are read: with an index (see `StepLogStore`), and the older form,
    /// `<UTC time> <stream> <text>` per line, whose lines not in that form are skipped. A log
    /// of the older form that a resumed run went on in the new form is read as both: the
    /// bytes before the index's first chunk are of the older form.
    ///
    /// `baton resume`, `baton replay` and the headless summary read logs with this.
    public static func readLines(path: String, stepID: String, limit: Int = 5_000, maximumBytes: Int = 4 << 20) -> [OutputLine] {
        readTail(path: path, stepID: stepID, limit: limit, maximumBytes: maximumBytes).lines
    }

    /// The last `limit` lines of a step's log (see `readLines`), and the offset the read
    /// ended at: a watcher that goes on with the chunks published live leaves out those that
    /// start before it (`OutputChunk.logOffset`).
    ///
    /// A relative `path` is taken from the open folder `directory`: a reader of every log in
    /// a folder then spares the kernel the walk down its path for each file.
    public static func readTail(
        path: String, relativeTo directory: Int32 = AT_FDCWD, stepID: String, limit: Int = 5_000, maximumBytes: Int = 4 << 20
    ) -> (lines: [OutputLine], end: Int) {
        guard limit > 0, let log = TailFile(path: path, relativeTo: directory, maximumBytes: maximumBytes) else { return ([], 0) }
        let end = log.start + log.bytes.count
        // Index lines are short, but a log of tiny chunks has many: read at least 64 KiB of it.
        let index = TailFile(path: indexPath(forLog: path), relativeTo: directory, maximumBytes: max(maximumBytes, 64 * 1024))
        let records = index.map { indexRecords($0.bytes[...], startsMidLine: $0.start > 0) }
        guard let records, let first = records.first else {
            // No index, or none of it in reach: the older form.
            return (Array(olderFormLines(log.bytes[...], startsMidLine: log.start > 0, stepID: stepID).suffix(limit)), end)
        }
        var lines: [OutputLine] = []
        if first.offset > log.start, index?.start == 0 {
            // The older form, before the first chunk that was written with an index (only
            // when the index was read from its start: else those bytes are chunks whose
            // index lines were out of reach, and they are left out).
            let end = min(first.offset - log.start, log.bytes.count)
            lines += olderFormLines(log.bytes[..<end], startsMidLine: log.start > 0, stepID: stepID)
        }
        for (number, record) in records.enumerated() {
            // Bytes past the last indexed chunk were written just before a crash: they are
            // the last chunk's stream as far as anyone knows.
            let recordEnd = number == records.count - 1 ? max(end, record.offset + record.length) : record.offset + record.length
            let lower = max(record.offset, log.start)
            let upper = min(recordEnd, end)
            guard lower < upper else { continue }
            let startsMidLine = lower > record.offset && lower == log.start
            var slice = log.bytes[(lower - log.start)..<(upper - log.start)]
            if startsMidLine {
                // The read began inside this chunk: drop the partial line it began in.
                guard let newline = slice.firstIndex(of: 0x0A) else { continue }
                slice = slice[(newline + 1)...]
            }
            let chunkLines = slice.withUnsafeBytes { OutputChunk.lines(in: $0, last: limit) }
            for (text, raw) in chunkLines {
                lines.append(OutputLine(stepID: stepID, stream: record.stream, text: text, time: record.time, raw: raw))
            }
        }
        return (Array(lines.suffix(limit)), end)
    }

    /// When the last chunk of any log in `directory` was read, seconds since 1970; nil when
    /// no log there has an index. Only the end of each index is read.
    ///
    /// A run whose process died was last heard of at its last event or its last output,
    /// whichever came later: a step that printed for minutes after its `running` event.
    public static func lastChunkTime(inDirectory directory: String) -> Double? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var latest: Double?
        for name in names where name.hasSuffix(".log.index") {
            guard let tail = TailFile(path: "\(directory)/\(name)", maximumBytes: 4096),
                  let last = indexRecords(tail.bytes[...], startsMidLine: tail.start > 0).last else { continue }
            latest = max(latest ?? last.time.timeIntervalSince1970, last.time.timeIntervalSince1970)
        }
        return latest
    }

    /// The end of a file: its last `maximumBytes` at most, and where they start.
    struct TailFile {
        var bytes: [UInt8]
        var start: Int

        init?(path: String, relativeTo directory: Int32 = AT_FDCWD, maximumBytes: Int) {
            let descriptor = openat(directory, path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            defer { Foundation.close(descriptor) }
            // Most logs are small: one read finds the whole of one, without asking its size
            // (a regular file's read comes up short only at its end).
            let first = min(maximumBytes, 16 * 1024)
            var head = [UInt8](repeating: 0, count: first)
            let count = head.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, first, 0) }
            if count >= 0, count < first {
                head.removeLast(first - count)
                bytes = head
                start = 0
                return
            }
            var info = stat()
            guard fstat(descriptor, &info) == 0 else { return nil }
            let size = Int(info.st_size)
            start = max(0, size - maximumBytes)
            bytes = DescriptorIO.read(descriptor, count: size - start, at: start)
        }
    }

    /// One line of an index: a chunk of the log.
    struct IndexRecord {
        var offset: Int
        var length: Int
        var time: Date
        var stream: OutputLine.Stream
    }

    /// The chunks an index's bytes describe; the header, a partial first line (of a read that
    /// began mid-file) and damaged lines are skipped.
    static func indexRecords(_ bytes: ArraySlice<UInt8>, startsMidLine: Bool) -> [IndexRecord] {
        var bytes = bytes
        if startsMidLine {
            guard let newline = bytes.firstIndex(of: 0x0A) else { return [] }
            bytes = bytes[(newline + 1)...]
        }
        return bytes.split(separator: 0x0A).compactMap { indexRecord($0) }
    }

    /// The chunk one line of an index describes (without its newline); nil for the header
    /// and damaged lines.
    static func indexRecord(_ line: some Collection<UInt8>) -> IndexRecord? {
        let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 4,
              let offset = Int(String(decoding: parts[0], as: UTF8.self)),
              let length = Int(String(decoding: parts[1], as: UTF8.self)), offset >= 0, length > 0,
              let time = parseTimestamp(String(decoding: parts[2], as: UTF8.self)),
              let stream = OutputLine.Stream(rawValue: String(decoding: parts[3], as: UTF8.self)) else { return nil }
        return IndexRecord(offset: offset, length: length, time: time, stream: stream)
    }

    /// Lines of the older form, `<UTC time> <stream> <text>`; the first is dropped when the
    /// bytes start mid-line.
    static func olderFormLines(_ data: ArraySlice<UInt8>, startsMidLine: Bool, stepID: String) -> [OutputLine] {
        var data = data
        if startsMidLine {
            guard let newline = data.firstIndex(of: 0x0A) else { return [] }
            data = data[(newline + 1)...]
        }
        var lines: [OutputLine] = []
        for raw in data.split(separator: 0x0A) {
            guard let (time, stream, text) = olderFormLine(raw) else { continue }
            let (decoded, rawBytes) = text.withUnsafeBytes { ProcessLineSplitter.decode($0) }
            lines.append(OutputLine(stepID: stepID, stream: stream, text: decoded, time: time, raw: rawBytes))
        }
        return lines
    }

    /// One line of the older form (without its newline) taken apart: its time, its stream and
    /// the bytes of its text; nil for a line not in that form.
    static func olderFormLine<Line: Collection<UInt8>>(_ line: Line) -> (Date, OutputLine.Stream, Line.SubSequence)? {
        let parts = line.split(separator: 0x20, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, let time = parseTimestamp(String(decoding: parts[0], as: UTF8.self)),
              let stream = OutputLine.Stream(rawValue: String(decoding: parts[1], as: UTF8.self)) else { return nil }
        return (time, stream, parts.count == 3 ? parts[2] : line[line.endIndex...])
    }

    /// Reads `timestamp(_:)`'s form, `2026-12-02T17:12:46.123Z`.
    static func parseTimestamp(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[4] == 0x2D, bytes[10] == 0x54, bytes[19] == 0x2E, bytes[23] == 0x5A else { return nil }
        func number(_ range: Range<Int>) -> Int32? { Int32(String(decoding: bytes[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              let millis = number(20..<23) else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: Double(seconds) + Double(millis) / 1000)
    }
}
