import Foundation

extension StepLogStore {
    /// The last `limit` lines of a step's log file, as the store wrote them; lines that are
    /// not in its `<UTC time> <stream> <text>` form are skipped. Text that is not valid UTF-8
    /// is decoded with U+FFFD and its bytes kept in `raw`. A missing file has none.
    /// Only the last `maximumBytes` of the file are read, however large it grew.
    ///
    /// `baton resume` uses this to show what the steps printed before the interruption.
    public static func readLines(path: String, stepID: String, limit: Int = 5_000, maximumBytes: Int = 4 << 20) -> [OutputLine] {
        guard let file = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? file.close() }
        guard let size = try? file.seekToEnd() else { return [] }
        let start = size > UInt64(maximumBytes) ? size - UInt64(maximumBytes) : 0
        guard (try? file.seek(toOffset: start)) != nil, var data = try? file.readToEnd() else { return [] }
        // A read that starts mid-file starts mid-line: drop that partial line.
        if start > 0, let newline = data.firstIndex(of: 0x0A) { data = data[data.index(after: newline)...] }
        var lines: [OutputLine] = []
        for raw in data.split(separator: 0x0A).suffix(limit) {
            let parts = raw.split(separator: 0x20, maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, let time = parseTimestamp(String(decoding: parts[0], as: UTF8.self)),
                  let stream = OutputLine.Stream(rawValue: String(decoding: parts[1], as: UTF8.self)) else { continue }
            let bytes = parts.count == 3 ? parts[2] : Data()
            let text = String(decoding: bytes, as: UTF8.self)
            // Bytes that are not UTF-8 are read back as the live line had them: raw as well.
            let raw = String(validating: bytes, as: UTF8.self) == nil ? Array(bytes) : nil
            lines.append(OutputLine(stepID: stepID, stream: stream, text: text, time: time, raw: raw))
        }
        return lines
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
