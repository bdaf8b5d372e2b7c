import BatonEngine
import Yams

/// The text of a theme file: checks its bytes, composes its YAML with Yams, and finds
/// positions in it again.
///
/// Lines and columns are counted as the YAML parser counts them: columns in Unicode scalars,
/// line breaks at LF, CR, CR LF, NEL, LS and PS.
struct ThemeSource {
    /// The text and its line starts, shared with the workflow loader.
    private(set) var lines: SourceLines

    init(_ text: String) {
        lines = SourceLines(text)
    }

    var scalars: [Unicode.Scalar] { lines.scalars }

    var text: String { lines.text }

    var lineCount: Int { lines.lineCount }

    /// The scalar index of a position, if it lies within its line.
    func index(of location: ThemeLocation) -> Int? {
        lines.index(of: SourceLocation(line: location.line, column: location.column))
    }

    /// A `#rrggbb` that YAML took for a comment because it was not quoted: the first one on
    /// `line` at or after `column`, after only blanks. Returns its column and text.
    func unquotedHexComment(line: Int, from column: Int) -> (column: Int, text: String)? {
        guard var index = index(of: ThemeLocation(line: line, column: column)) else { return nil }
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
            guard next == " " || next == "\t" || next == "," || next == "}" || Self.isBreak(next) else { return nil }
        }
        return (current, candidate)
    }

    /// Every unquoted `#rrggbb` that follows `key:` and a blank, anywhere in the text.
    func unquotedHexComments() -> [(ThemeLocation, String)] {
        var found: [(ThemeLocation, String)] = []
        for line in 1...lines.lineCount {
            guard let range = lines.range(ofLine: line) else { break }
            let (start, end) = (range.lowerBound, range.upperBound)
            var index = start
            while index + 1 < end {
                if scalars[index] == ":", scalars[index + 1] == " " || scalars[index + 1] == "\t",
                   let hit = unquotedHexComment(line: line, from: index - start + 2) {
                    found.append((ThemeLocation(line: line, column: hit.column), hit.text))
                    break
                }
                index += 1
            }
        }
        return found
    }

    /// Replaces the scalars in `range` with as many others that hold no line break.
    mutating func replace(_ range: Range<Int>, with replacement: [Unicode.Scalar]) {
        lines.replace(range, with: replacement)
    }

    static func isBreak(_ scalar: Unicode.Scalar) -> Bool { SourceLines.isBreak(scalar) }
}

// MARK: - Checking the bytes

extension ThemeSource {
    /// Why `bytes` are not text a theme can be read from, and where; nil for good text.
    ///
    /// Refuses bytes that are not UTF-8, NUL and other control characters (tab and line
    /// breaks excepted), and the non-characters U+FFFE and U+FFFF. A byte-order mark at the
    /// start is allowed.
    static func checkText(_ bytes: [UInt8]) -> ThemeProblem? {
        var line = 1
        var column = 1
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        var iterator = bytes[start...].makeIterator()
        var decoder = Unicode.UTF8()
        var previousWasCR = false
        while true {
            switch decoder.decode(&iterator) {
            case .emptyInput:
                return nil
            case .error:
                return ThemeProblem(line: line, column: column, message: "not valid UTF-8 text at line \(line), column \(column)")
            case .scalarValue(let scalar):
                let value = scalar.value
                defer { previousWasCR = value == 0x0D }
                switch value {
                case 0x0A:
                    if !previousWasCR { line += 1 }
                    column = 1
                case 0x0D, 0x85, 0x2028, 0x2029:
                    line += 1
                    column = 1
                case 0x09, 0x20...0x7E, 0xA0...0xFFFD, 0x10000...:
                    column += 1
                default:
                    let code = String(value, radix: 16, uppercase: true)
                    let padded = String(repeating: "0", count: max(0, (value < 0x80 ? 2 : 4) - code.count)) + code
                    let what = value < 0x80 ? "byte 0x\(padded)" : "character U+\(padded)"
                    return ThemeProblem(
                        line: line, column: column,
                        message: "not a text file: \(what) at line \(line), column \(column)"
                    )
                }
            }
        }
    }
}

// MARK: - Composing the YAML

extension ThemeSource {
    /// A composed document.
    struct Document {
        /// The root node, or nil when the text holds no document.
        var root: Node?
        /// The original text of keys that were renamed so that Yams would accept the file.
        var renamedKeys: [ThemeLocation: String]
    }

    /// How many repeated keys are worked around before giving up.
    static let maximumRenames = 50

    /// The node tree of the text.
    ///
    /// Yams refuses a mapping with a repeated key. To still report every problem of the file,
    /// the repeated key Yams names is replaced by a private-use placeholder of the same length,
    /// so no line or column moves, and the text is composed again; the decoder sees through
    /// the placeholders and reports each repeat.
    func compose() throws(ThemeProblems) -> Document {
        // Aliases that expand too far would hang or overflow the stack inside Yams.
        if let refusal = YAMLAliasGuard.problem(in: text) {
            throw ThemeProblems(at: ThemeLocation(line: refusal.line, column: refusal.column), refusal.message)
        }
        var source = self
        var renamed: [ThemeLocation: String] = [:]
        while true {
            do {
                let root = try Yams.compose(yaml: source.text, .basic, .default, .utf8)
                return Document(root: root, renamedKeys: renamed)
            } catch let error as YamlError {
                if case .duplicatedKeysInMapping(let duplicates, let context) = error {
                    let location = ThemeLocation(line: context.mark.line, column: context.mark.column)
                    let key = duplicates.first ?? ""
                    if renamed.count < Self.maximumRenames,
                       let range = source.keyRange(of: key, at: location),
                       let placeholder = Self.placeholder(length: range.count, number: renamed.count, quoted: source.scalars[range.lowerBound] == "\"" || source.scalars[range.lowerBound] == "'") {
                        source.replace(range, with: placeholder)
                        renamed[location] = key
                        continue
                    }
                    throw ThemeProblems(at: location, "duplicate key '\(key)'")
                }
                throw ThemeProblems(syntaxProblems(for: error))
            } catch {
                throw ThemeProblems(at: .start, "YAML error: \(error)")
            }
        }
    }

    /// The scalars of the key `key` written at `location`, quotes included, if they are there.
    private func keyRange(of key: String, at location: ThemeLocation) -> Range<Int>? {
        guard !key.isEmpty, let start = index(of: location) else { return nil }
        let expected = Array(key.unicodeScalars)
        let first = scalars[start]
        let quoted = first == "\"" || first == "'"
        let textStart = quoted ? start + 1 : start
        let end = textStart + expected.count + (quoted ? 1 : 0)
        guard end <= scalars.count, Array(scalars[textStart..<textStart + expected.count]) == expected else { return nil }
        if quoted, scalars[end - 1] != first { return nil }
        guard !scalars[start..<end].contains(where: Self.isBreak) else { return nil }
        return start..<end
    }

    /// A same-length stand-in made of private-use characters, keeping quotes.
    private static func placeholder(length: Int, number: Int, quoted: Bool) -> [Unicode.Scalar]? {
        let inner = quoted ? length - 2 : length
        guard inner >= 1, let marker = Unicode.Scalar(0xE000 + UInt32(number % 0x1000)),
              let filler = Unicode.Scalar(0xF000 as UInt32) else { return nil }
        let body = [marker] + [Unicode.Scalar](repeating: filler, count: inner - 1)
        return quoted ? ["\""] + body + ["\""] : body
    }

    /// Problems describing a Yams error at the position Yams gives, with a hint when an
    /// unquoted `#rrggbb` is the likely cause.
    private func syntaxProblems(for error: YamlError) -> [ThemeProblem] {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let location = ThemeLocation(line: max(1, mark.line), column: max(1, mark.column))
            var problems = unquotedHexComments().map { location, hex in
                ThemeProblem(at: location, "\(hex) is read as a YAML comment because it is not in quotes; write \"\(hex)\"")
            }
            if problem == "but found another document" {
                problems.append(ThemeProblem(
                    at: location,
                    "the file holds more than one YAML document; remove the extra '---' and what follows"
                ))
            } else if problem.hasPrefix("Maximum nesting level reached") {
                problems.append(ThemeProblem(at: location, "YAML syntax error: nesting is too deep"))
            } else {
                var message = "YAML syntax error: \(problem)"
                if let context, !context.text.isEmpty {
                    message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
                }
                if let index = index(of: location), scalars[index] == "\t" {
                    message += "; YAML indents with spaces, not tabs"
                }
                problems.append(ThemeProblem(at: location, message))
            }
            return problems
        case .reader(let problem, _, _, _):
            return [ThemeProblem(at: .start, "YAML cannot read the file: \(problem)")]
        default:
            return [ThemeProblem(at: .start, "YAML error: \(error)")]
        }
    }
}
