import Yams

extension SecretRedactor {
    /// The text of a workflow file with every secret masked, kept a YAML document that loads
    /// (`baton resume` and `baton replay` read it back).
    ///
    /// Masking the text alone turns `TOKEN: s3cret` into `TOKEN: ***`, which YAML reads as an
    /// alias, and misses a secret spelt with escapes (`"s3\x63ret"`) or folded over two lines.
    /// So each scalar whose value holds a secret is first rewritten in place as a double-quoted
    /// string of its masked value; then the whole text, comments and block scalars included, is
    /// masked as text. A rewrite that would not compose is dropped for the text masking alone.
    public func redactYAML(_ text: String) -> String {
        guard !isEmpty, !text.isEmpty else { return text }
        let rewritten = LargeStackThread.run { [self] in rewriteScalars(in: text) }
        return redact(rewritten ?? text)
    }

    /// The text with every scalar that holds a secret replaced by its masked value, quoted;
    /// nil when the text does not compose or the result would not.
    private func rewriteScalars(in text: String) -> String? {
        guard let document = try? YAMLComposer.compose(text, file: ""), let root = document.root else { return nil }
        let source = SourceLines(text)
        var edits: [(range: Range<Int>, replacement: [Unicode.Scalar])] = []
        // Aliases share nodes; each is visited once, known by where it starts and what it is.
        var seen: Set<[Int]> = []
        var stack = [root]
        while let node = stack.popLast() {
            let place = SourceLocation(of: node)
            let kind: Int
            switch node {
            case .scalar: kind = 0
            case .sequence: kind = 1
            case .mapping: kind = 2
            case .alias: continue
            }
            guard seen.insert([place.line, place.column, kind]).inserted else { continue }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping { stack.append(value); stack.append(key) }
            case .sequence(let sequence):
                stack.append(contentsOf: sequence.reversed())
            case .scalar(let scalar):
                guard reveals(scalar.string), let mark = scalar.mark, let start = source.index(of: SourceLocation(mark)),
                      let range = Self.extent(of: scalar, from: start, in: source) else { continue }
                edits.append((range, Self.doubleQuoted(redact(scalar.string))))
            case .alias:
                continue
            }
        }
        guard !edits.isEmpty else { return text }
        var scalars = source.scalars
        var limit = scalars.count
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) where edit.range.upperBound <= limit {
            scalars.replaceSubrange(edit.range, with: edit.replacement)
            limit = edit.range.lowerBound
        }
        let result = String(String.UnicodeScalarView(scalars))
        guard (try? YAMLComposer.compose(result, file: "")) != nil else { return nil }
        return result
    }

    /// Where the text of `scalar` lies, from its mark at `start` (which may hold its anchor
    /// and tag first); nil for block scalars and text that does not match the value.
    private static func extent(of scalar: Node.Scalar, from start: Int, in source: SourceLines) -> Range<Int>? {
        let text = source.scalars
        let begin = skippingProperties(from: start, in: text)
        guard begin < text.count else { return nil }
        switch scalar.style {
        case .singleQuoted:
            guard text[begin] == "'" else { return nil }
            var index = begin + 1
            while index < text.count {
                if text[index] == "'" {
                    if index + 1 < text.count, text[index + 1] == "'" { index += 2; continue }
                    return begin..<(index + 1)
                }
                index += 1
            }
            return nil
        case .doubleQuoted:
            guard text[begin] == "\"" else { return nil }
            var index = begin + 1
            while index < text.count {
                if text[index] == "\\" { index += 2; continue }
                if text[index] == "\"" { return begin..<(index + 1) }
                index += 1
            }
            return nil
        case .plain:
            // The value is the text with each line break and the indentation around it folded
            // into a single space (or line breaks, for blank lines).
            let value = Array(scalar.string.unicodeScalars)
            var position = 0
            var index = begin
            while position < value.count {
                guard index < text.count else { return nil }
                if value[position] == text[index] {
                    position += 1
                    index += 1
                } else if isFolding(value[position]), isFolding(text[index]) {
                    while position < value.count, isFolding(value[position]) { position += 1 }
                    while index < text.count, isFolding(text[index]) { index += 1 }
                } else {
                    return nil
                }
            }
            return begin..<index
        default:
            return nil
        }
    }

    /// The index after any `&anchor` and `!tag` at `start` and the white space after them.
    private static func skippingProperties(from start: Int, in text: [Unicode.Scalar]) -> Int {
        var index = start
        for _ in 0..<2 {
            guard index < text.count, text[index] == "&" || text[index] == "!" else { break }
            while index < text.count, !isFolding(text[index]) { index += 1 }
            while index < text.count, isFolding(text[index]) { index += 1 }
        }
        return index
    }

    private static func isFolding(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || SourceLines.isBreak(scalar)
    }

    /// `value` as a YAML double-quoted scalar on one line.
    static func doubleQuoted(_ value: String) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = ["\""]
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": result += ["\\", "\\"]
            case "\"": result += ["\\", "\""]
            case "\n": result += ["\\", "n"]
            case "\r": result += ["\\", "r"]
            case "\t": result += ["\\", "t"]
            case "\u{85}": result += ["\\", "N"]
            case "\u{2028}": result += ["\\", "L"]
            case "\u{2029}": result += ["\\", "P"]
            case "\u{FEFF}": result += Array("\\uFEFF".unicodeScalars)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let digits = String(scalar.value, radix: 16, uppercase: true)
                    result += Array(("\\x" + (digits.count < 2 ? "0" : "") + digits).unicodeScalars)
                } else {
                    result.append(scalar)
                }
            }
        }
        result.append("\"")
        return result
    }
}
