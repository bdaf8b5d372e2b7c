import BatonEngine

/// Why the config file cannot be used: every problem found, each as `file:line:column: message`
/// like the workflow loader's (the same `SourceProblem`).
public struct ConsoleConfigError: Error, Sendable, CustomStringConvertible {
    /// The problems in the order of their position in the file, never empty.
    public var problems: [SourceProblem]

    public init(problems: [SourceProblem]) {
        self.problems = problems
    }

    /// Every problem on a line of its own.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
