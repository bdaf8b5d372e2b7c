/// The text of a file as Unicode scalars with the start of every line, to turn YAML line and
/// column numbers back into positions in the text.
///
/// Line breaks are counted as the YAML parser counts them: LF, CR, CR LF, NEL, LS and PS.
package struct SourceLines: Sendable {
    package private(set) var scalars: [Unicode.Scalar]
    /// The scalar index at which each line starts; line 1 is at index 0 of this array.
    private let lineStarts: [Int]

    package init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        var starts: [Int] = [scalars.first == "\u{FEFF}" ? 1 : 0]
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "\r":
                if index < scalars.count, scalars[index] == "\n" { index += 1 }
                starts.append(index)
            case "\n", "\u{85}", "\u{2028}", "\u{2029}":
                starts.append(index)
            default:
                break
            }
        }
        lineStarts = starts
    }

    /// The 1-based line and column of the scalar at `index`.
    package func location(ofScalarIndex index: Int) -> SourceLocation {
        // The last line that starts at or before `index`.
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= index { low = middle } else { high = middle - 1 }
        }
        return SourceLocation(line: low + 1, column: max(1, index - lineStarts[low] + 1))
    }

    /// The number of lines.
    package var lineCount: Int { lineStarts.count }

    /// The scalar indexes of a 1-based line, its line break included; nil past the end.
    package func range(ofLine line: Int) -> Range<Int>? {
        guard line >= 1, line <= lineStarts.count else { return nil }
        return lineStarts[line - 1]..<(line < lineStarts.count ? lineStarts[line] : scalars.count)
    }

    /// The scalar index of a 1-based line and column, if it lies within that line.
    package func index(of location: SourceLocation) -> Int? {
        guard location.line >= 1, location.line <= lineStarts.count, location.column >= 1 else { return nil }
        let start = lineStarts[location.line - 1]
        let end = location.line < lineStarts.count ? lineStarts[location.line] : scalars.count
        let index = start + location.column - 1
        return index < end ? index : nil
    }

    /// The 1-based column of the first character other than a space on `line`, if any.
    func firstNonSpaceColumn(onLine line: Int) -> Int? {
        guard line >= 1, line <= lineStarts.count else { return nil }
        var index = lineStarts[line - 1]
        while index < scalars.count, scalars[index] == " " { index += 1 }
        guard index < scalars.count, !SourceLines.isBreak(scalars[index]) else { return nil }
        return index - lineStarts[line - 1] + 1
    }

    /// Whether the text at `location` on a single line is exactly `expected`.
    func text(at location: SourceLocation, matches expected: some Collection<Unicode.Scalar>) -> Bool {
        guard let start = index(of: location) else { return false }
        let end = start + expected.count
        guard end <= scalars.count else { return false }
        var position = start
        for scalar in expected {
            if SourceLines.isBreak(scalars[position]) || scalars[position] != scalar { return false }
            position += 1
        }
        return true
    }

    /// Replaces the scalars in `range` with as many others; line starts stay valid because
    /// callers never put line breaks in.
    package mutating func replace(_ range: Range<Int>, with replacement: [Unicode.Scalar]) {
        guard replacement.count == range.count, !replacement.contains(where: SourceLines.isBreak) else { return }
        scalars.replaceSubrange(range, with: replacement)
    }

    /// The whole text.
    package var text: String { String(String.UnicodeScalarView(scalars)) }

    package static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": return true
        default: return false
        }
    }
}
