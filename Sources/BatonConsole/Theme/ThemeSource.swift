import BatonEngine

/// The text of a theme file, searched for the one mistake YAML hides in themes: a `#rrggbb`
/// colour written without quotes, which YAML reads as a comment.
///
/// Lines and columns are counted as the YAML parser counts them (`SourceLines`).
struct ThemeSource {
    let lines: SourceLines

    init(_ text: String) {
        lines = SourceLines(text)
    }

    private var scalars: [Unicode.Scalar] { lines.scalars }

    /// A `#rrggbb` that YAML took for a comment because it was not quoted: the first one on
    /// `line` at or after `column`, after only blanks. Returns its column and text.
    func unquotedHexComment(line: Int, from column: Int) -> (column: Int, text: String)? {
        guard var index = lines.index(of: SourceLocation(line: line, column: column)) else { return nil }
        var current = column
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" {
            index += 1
            current += 1
        }
        guard index + 7 <= scalars.count, scalars[index] == "#" else { return nil }
        let candidate = String(String.UnicodeScalarView(scalars[index..<index + 7]))
        guard ThemeColour.hexComponents(candidate) != nil else { return nil }
        if index + 7 < scalars.count {
            let next = scalars[index + 7]
            guard next == " " || next == "\t" || next == "," || next == "}" || SourceLines.isBreak(next) else { return nil }
        }
        return (current, candidate)
    }

    /// Every unquoted `#rrggbb` that follows `key:` and a blank, anywhere in the text, as
    /// problems of `file`: a hint to go with a YAML syntax error they may have caused.
    func unquotedHexComments(file: String) -> [SourceProblem] {
        var found: [SourceProblem] = []
        for line in 1...lines.lineCount {
            guard let range = lines.range(ofLine: line) else { break }
            let (start, end) = (range.lowerBound, range.upperBound)
            var index = start
            while index + 1 < end {
                if scalars[index] == ":", scalars[index + 1] == " " || scalars[index + 1] == "\t",
                   let hit = unquotedHexComment(line: line, from: index - start + 2) {
                    found.append(SourceProblem(
                        file: file, location: SourceLocation(line: line, column: hit.column),
                        message: "\(hit.text) is read as a YAML comment because it is not in quotes; write \"\(hit.text)\""
                    ))
                    break
                }
                index += 1
            }
        }
        return found
    }
}
