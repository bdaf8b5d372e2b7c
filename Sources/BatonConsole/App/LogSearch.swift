import Foundation

/// The log pane's search: case-insensitive substring matching.
public enum LogSearch {
    /// Whether a line contains the query, ignoring case.
    public static func matches(_ line: String, query: String) -> Bool {
        !query.isEmpty && line.range(of: query, options: .caseInsensitive) != nil
    }

    /// The column ranges (in characters) of every match in a line, for highlighting.
    public static func ranges(in line: String, query: String) -> [Range<String.Index>] {
        guard !query.isEmpty else { return [] }
        var result: [Range<String.Index>] = []
        var start = line.startIndex
        while start < line.endIndex, let found = line.range(of: query, options: .caseInsensitive, range: start..<line.endIndex) {
            result.append(found)
            start = found.upperBound > found.lowerBound ? found.upperBound : line.index(after: start)
        }
        return result
    }
}
