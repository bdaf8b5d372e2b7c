import BatonEngine

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

    /// One problem at the start of `file`.
    init(file: String, message: String) {
        self.init(problems: [SourceProblem(file: file, location: .start, message: message)])
    }

    /// `problems` each once, in order of position (then of discovery), at most
    /// ``maximumReported`` of them.
    init(problems: [SourceProblem]) {
        let ordered = SourceProblem.ordered(problems)
        var lines = ordered.prefix(Self.maximumReported).map(\.description)
        if ordered.count > Self.maximumReported, let file = ordered.first?.file {
            lines.append("\(file): \(ordered.count - Self.maximumReported) more problems not shown")
        }
        self.init(problems: lines)
    }

    /// The most problems one error lists; a file past this has something structurally wrong.
    static let maximumReported = 200

    /// Every problem on a line of its own.
    public var description: String { problems.joined(separator: "\n") }
}
