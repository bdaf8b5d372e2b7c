import Yams

/// Turns workflow text into a YAML node tree, and turns Yams errors into problems.
///
/// A plain document is built by `YAMLTreeBuilder` straight from libyaml's events; anything it
/// leaves (errors, anchors, repeated keys) Yams composes.
///
/// Yams stops at the first mapping with a repeated key. To still report every problem, the
/// composer renames the repeated key it was told about to a unique placeholder of the same length,
/// so that no line or column moves, and composes again. The placeholders are listed with their
/// original text so that later stages can see the real keys. Each attempt composes the whole
/// text, so the number of attempts shrinks as the text grows.
///
/// A text that may use aliases is first measured by `AliasExpansionCheck`, so Yams never builds
/// a tree too large or too deep to hash and release.
package enum YAMLComposer {
    /// A composed document.
    package struct Document {
        /// The root node, or nil when the text holds no document at all.
        package var root: Node?
        /// The original text of keys replaced by placeholders, by position.
        package var renamedKeys: [SourceLocation: String]
        /// What the scanner would count of the tree, when `YAMLTreeBuilder` built it.
        var shape: YAMLTreeBuilder.Shape?
    }

    /// How many repeated keys are worked around before giving up.
    static let maximumRenames = 50
    /// How much text the attempts after the first may compose in all, in bytes: a large file
    /// gets fewer attempts, so repeated keys cannot make loading quadratic.
    static let maximumRecomposedBytes = 4 << 20

    /// The node tree of `text`; throws the problem that prevented building it.
    static func compose(_ text: String, file: String) throws(WorkflowLoadError) -> Document {
        var current = text
        var lines: SourceLines?
        var renamed: [SourceLocation: String] = [:]
        let size = max(1, text.utf8.count)
        let checksAliases = AliasExpansionCheck.mayExpand(text)
        let budget = DocumentScanner.budget(forTextOfSize: text.utf8.count)
        while true {
            do {
                if checksAliases, let problem = try AliasExpansionCheck.check(current, file: file, budget: budget) {
                    throw WorkflowLoadError(problems: [problem])
                }
                switch YAMLTreeBuilder.build(current) {
                case .document(let root, let shape): return Document(root: root, renamedKeys: renamed, shape: shape)
                case .empty: return Document(root: nil, renamedKeys: renamed)
                case nil: break
                }
                let root = try Yams.compose(yaml: current, .basic, .default, .utf8)
                return Document(root: root, renamedKeys: renamed)
            } catch let error as WorkflowLoadError {
                throw error
            } catch let error as YamlError {
                if case .duplicatedKeysInMapping(let duplicates, let context) = error {
                    let location = SourceLocation(line: context.mark.line, column: context.mark.column)
                    var source = lines ?? SourceLines(current)
                    // The alias check composes `*` as `~`; a key it names is read back from the text.
                    let key = original(of: duplicates.first ?? "", at: location, in: source)
                    if renamed.count < maximumRenames, (renamed.count + 1) * size <= maximumRecomposedBytes,
                       let placeholder = placeholder(for: key, at: location, in: source, number: renamed.count),
                       let start = source.index(of: location) {
                        source.replace(start..<start + placeholder.count, with: placeholder)
                        renamed[location] = key
                        current = source.text
                        lines = source
                        continue
                    }
                    throw WorkflowLoadError(problems: [SourceProblem(file: file, location: location, message: "duplicate key '\(key)'")])
                }
                throw WorkflowLoadError(problems: [problem(for: error, in: current, file: file)])
            } catch {
                throw WorkflowLoadError(problems: [SourceProblem(file: file, location: .start, message: "YAML error: \(error)")])
            }
        }
    }

    /// The key as written at `location` when `key` is that text with some `*` read as `~`;
    /// otherwise `key` itself.
    private static func original(of key: String, at location: SourceLocation, in source: SourceLines) -> String {
        guard key.unicodeScalars.contains("~"), let start = source.index(of: location) else { return key }
        let scalars = source.scalars
        var index = start
        for scalar in key.unicodeScalars {
            guard index < scalars.count, scalars[index] == scalar || (scalar == "~" && scalars[index] == "*") else { return key }
            index += 1
        }
        return String(String.UnicodeScalarView(scalars[start..<index]))
    }

    /// A same-length stand-in for the key written at `location`, made of private-use characters
    /// and keeping the key's quotes; nil when the text there does not hold the key.
    private static func placeholder(for key: String, at location: SourceLocation, in source: SourceLines, number: Int) -> [Unicode.Scalar]? {
        guard let start = source.index(of: location) else { return nil }
        let scalars = source.scalars
        let first = scalars[start]
        var length: Int
        var quote: Unicode.Scalar?
        if first == "\"" || first == "'" {
            quote = first
            var index = start + 1
            var closing: Int?
            while index < scalars.count, !SourceLines.isBreak(scalars[index]) {
                if first == "\"", scalars[index] == "\\" {
                    index += 2
                    continue
                }
                if scalars[index] == first {
                    if first == "'", index + 1 < scalars.count, scalars[index + 1] == "'" {
                        index += 2
                        continue
                    }
                    closing = index
                    break
                }
                index += 1
            }
            guard let closing, closing - start >= 2 else { return nil }
            length = closing - start + 1
        } else {
            guard !key.isEmpty, source.text(at: location, matches: key.unicodeScalars) else { return nil }
            length = key.unicodeScalars.count
        }
        let inner = quote == nil ? length : length - 2
        guard inner >= 1, let marker = Unicode.Scalar(0xE000 + UInt32(number % 0x1000)),
              let filler = Unicode.Scalar(0xF000 as UInt32) else { return nil }
        var result = [marker] + [Unicode.Scalar](repeating: filler, count: inner - 1)
        if let quote { result = [quote] + result + [quote] }
        return result
    }

    /// A problem describing a Yams error at the position Yams gives, or at the end of `text`
    /// when Yams points past it.
    private static func problem(for error: YamlError, in text: String, file: String) -> SourceProblem {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let location = placed(SourceLocation(line: max(1, mark.line), column: max(1, mark.column)), in: text)
            if problem == "but found another document" {
                return SourceProblem(
                    file: file, location: location,
                    message: "the file holds more than one YAML document; remove the extra '---' and what follows"
                )
            }
            if problem.hasPrefix("Maximum nesting level reached") {
                return SourceProblem(file: file, location: location, message: "YAML syntax error: nesting is too deep")
            }
            var message = "YAML syntax error: \(problem)"
            if let context, !context.text.isEmpty {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            let source = SourceLines(text)
            if let index = source.index(of: location), source.scalars[index] == "\t" {
                message += "; YAML indents with spaces, not tabs"
            }
            return SourceProblem(file: file, location: location, message: message)
        case .reader(let problem, _, _, _):
            return SourceProblem(file: file, location: .start, message: "YAML cannot read the file: \(problem)")
        default:
            return SourceProblem(file: file, location: .start, message: "YAML error: \(error)")
        }
    }

    /// `location`, or the end of the last line when it lies past the end of `text`. At the end
    /// of a text without a final line break, libyaml counts one more line than there is.
    private static func placed(_ location: SourceLocation, in text: String) -> SourceLocation {
        guard location.column == 1, location.line > 1 else { return location }
        var line = 1
        var column = 1
        var afterCarriageReturn = false
        for scalar in text.unicodeScalars {
            if scalar == "\n", afterCarriageReturn {
                afterCarriageReturn = false
                continue
            }
            afterCarriageReturn = scalar == "\r"
            if SourceLines.isBreak(scalar) {
                line += 1
                column = 1
            } else if !(line == 1 && column == 1 && scalar == "\u{FEFF}") {
                column += 1
            }
        }
        return location.line > line ? SourceLocation(line: line, column: column) : location
    }
}
