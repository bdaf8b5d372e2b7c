import BatonEngine
import Foundation

/// Decides whether a line of a log file matches a search exactly as the line would in the
/// log pane, where its text is escaped by `VisibleText` first, but without decoding most lines.
///
/// A line of printable ASCII no longer than `VisibleText.displayLimit` is shown as it is, so
/// an ASCII query is matched against its bytes, ignoring ASCII case, which is what a
/// case-insensitive search of that text does. Every other line (a tab, a control character,
/// UTF-8, a very long line) and every line for a query that is not ASCII is decoded and
/// escaped as the log pane would, then matched with `LogSearch`. Searching a large log is
/// mostly the first kind, at the speed of a byte scan.
struct LogLineMatcher {
    let query: String
    /// The query's bytes in lower case, when every one of them is ASCII.
    private let asciiQuery: [UInt8]?

    init(query: String) {
        self.query = query
        let bytes = Array(query.utf8)
        asciiQuery = bytes.allSatisfy { $0 < 0x80 } ? bytes.map(Self.lowercased) : nil
    }

    /// Whether the line, as the log pane would show it, contains the query.
    func matches(_ line: StepLogScanner.Line) -> Bool {
        guard !query.isEmpty else { return false }
        var bytes = line.bytes
        // The decoded text leaves out a `\r` that ended the line.
        if bytes.last == 0x0D { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast()) }
        if let asciiQuery, bytes.count <= VisibleText.displayLimit, Self.isPrintableASCII(bytes) {
            return Self.contains(bytes, lowercased: asciiQuery)
        }
        return LogSearch.matches(StepLog.visible(line.outputLine(stepID: "")).text, query: query)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// Whether every byte is printable ASCII (a space to a tilde), which `VisibleText` keeps as it is.
    private static func isPrintableASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes where byte < 0x20 || byte > 0x7E { return false }
        return true
    }

    /// Whether `bytes`, ignoring ASCII case, contain `needle`, which is in lower case.
    private static func contains(_ bytes: UnsafeRawBufferPointer, lowercased needle: [UInt8]) -> Bool {
        guard needle.count <= bytes.count else { return false }
        guard let first = needle.first else { return true }
        let last = bytes.count - needle.count
        var start = 0
        while start <= last {
            if lowercased(bytes[start]) == first {
                var offset = 1
                while offset < needle.count, lowercased(bytes[start + offset]) == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            start += 1
        }
        return false
    }
}
