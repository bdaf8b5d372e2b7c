import Yams

/// Turns workflow text into a YAML node tree with Yams, and turns Yams errors into problems.
///
/// Yams stops at the first mapping with a repeated key. To still report every problem, the
/// composer renames the repeated key it was told about to a unique placeholder of the same length,
/// so that no line or column moves, and composes again. The placeholders are listed with their
/// original text so that later stages can see the real keys.
enum YAMLComposer {
    /// A composed document.
    struct Document {
        /// The root node, or nil when the text holds no document at all.
        var root: Node?
        /// The original text of keys replaced by placeholders, by position.
        var renamedKeys: [SourceLocation: String]
    }

    /// How many repeated keys are worked around before giving up.
    static let maximumRenames = 50

    /// The node tree of `text`; throws the problem that prevented building it.
    static func compose(_ text: String, file: String) throws(WorkflowLoadError) -> Document {
        var current = text
        var lines: SourceLines?
        var renamed: [SourceLocation: String] = [:]
        while true {
            do {
                let root = try Yams.compose(yaml: current, .basic, .default, .utf8)
                return Document(root: root, renamedKeys: renamed)
            } catch let error as YamlError {
                if case .duplicatedKeysInMapping(let duplicates, let context) = error {
                    let location = SourceLocation(line: context.mark.line, column: context.mark.column)
                    let key = duplicates.first ?? ""
                    if renamed.count < maximumRenames {
                        var source = lines ?? SourceLines(current)
                        if let placeholder = placeholder(for: key, at: location, in: source, number: renamed.count),
                           let start = source.index(of: location) {
                            source.replace(start..<start + placeholder.count, with: placeholder)
                            renamed[location] = key
                            current = source.text
                            lines = source
                            continue
                        }
                    }
                    throw WorkflowLoadError(problems: [WorkflowProblem(file: file, location: location, message: "duplicate key '\(key)'")])
                }
                throw WorkflowLoadError(problems: [problem(for: error, file: file)])
            } catch {
                throw WorkflowLoadError(problems: [WorkflowProblem(file: file, location: .start, message: "YAML error: \(error)")])
            }
        }
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

    /// A problem describing a Yams error at the position Yams gives.
    private static func problem(for error: YamlError, file: String) -> WorkflowProblem {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let location = SourceLocation(line: max(1, mark.line), column: max(1, mark.column))
            if problem == "but found another document" {
                return WorkflowProblem(
                    file: file, location: location,
                    message: "the file holds more than one YAML document; remove the extra '---' and what follows"
                )
            }
            if problem.hasPrefix("Maximum nesting level reached") {
                return WorkflowProblem(file: file, location: location, message: "YAML syntax error: nesting is too deep")
            }
            var message = "YAML syntax error: \(problem)"
            if let context, !context.text.isEmpty {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            return WorkflowProblem(file: file, location: location, message: message)
        case .reader(let problem, _, _, _):
            return WorkflowProblem(file: file, location: .start, message: "YAML cannot read the file: \(problem)")
        default:
            return WorkflowProblem(file: file, location: .start, message: "YAML error: \(error)")
        }
    }
}
