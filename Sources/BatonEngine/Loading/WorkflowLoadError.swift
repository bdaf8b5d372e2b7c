/// The error thrown when a workflow file cannot be loaded; lists every problem found.
public struct WorkflowLoadError: Error, Sendable, CustomStringConvertible {
    /// The problems in the order they were found, never empty.
    public var problems: [SourceProblem]

    public init(problems: [SourceProblem]) {
        self.problems = problems
    }

    /// Every problem on a line of its own.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
