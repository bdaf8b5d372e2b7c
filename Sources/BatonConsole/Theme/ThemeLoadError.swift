/// The error thrown when a theme cannot be loaded or found; lists every problem found.
///
/// Each problem is already formatted, usually as `file:line:column: message`, like a compiler
/// diagnostic; problems that belong to no file (an unknown theme name) are plain sentences.
public struct ThemeLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems in the order of their position in the file, never empty.
    public var problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    /// One problem at a position in `file`.
    init(file: String, line: Int = 1, column: Int = 1, message: String) {
        self.problems = [ThemeProblem(line: line, column: column, message: message).formatted(file: file)]
    }

    /// Every problem on a line of its own.
    public var description: String { problems.joined(separator: "\n") }
}

/// One thing wrong with a theme file, before it is formatted with the file's name.
struct ThemeProblem: Sendable, Hashable {
    var line: Int
    var column: Int
    var message: String

    init(line: Int, column: Int, message: String) {
        self.line = max(1, line)
        self.column = max(1, column)
        self.message = message
    }

    init(at location: ThemeLocation, _ message: String) {
        self.init(line: location.line, column: location.column, message: message)
    }

    var location: ThemeLocation { ThemeLocation(line: line, column: column) }

    func formatted(file: String) -> String { "\(file):\(line):\(column): \(message)" }

    /// The most problems one error lists; a file past this has something structurally wrong.
    static let maximumReported = 200

    /// `problems` in order of position (then of discovery), each once, formatted for `file`.
    static func error(_ problems: [ThemeProblem], file: String) -> ThemeLoadError {
        var seen: Set<ThemeProblem> = []
        let unique = problems.filter { seen.insert($0).inserted }
        let ordered = unique.enumerated().sorted { lhs, rhs in
            lhs.element.location != rhs.element.location
                ? lhs.element.location < rhs.element.location
                : lhs.offset < rhs.offset
        }.map(\.element)
        var lines = ordered.prefix(maximumReported).map { $0.formatted(file: file) }
        if ordered.count > maximumReported {
            lines.append("\(file): \(ordered.count - maximumReported) more problems not shown")
        }
        return ThemeLoadError(problems: lines)
    }
}

/// A position in a theme file, counted from 1; columns count Unicode scalars as YAML does.
struct ThemeLocation: Sendable, Hashable, Comparable {
    var line: Int
    var column: Int

    static let start = ThemeLocation(line: 1, column: 1)

    static func < (lhs: ThemeLocation, rhs: ThemeLocation) -> Bool {
        lhs.line != rhs.line ? lhs.line < rhs.line : lhs.column < rhs.column
    }
}

/// Problems that stopped a stage of loading; formatted with the file name at the end.
struct ThemeProblems: Error, Sendable {
    var problems: [ThemeProblem]

    init(_ problems: [ThemeProblem]) { self.problems = problems }
    init(at location: ThemeLocation, _ message: String) { problems = [ThemeProblem(at: location, message)] }
}
