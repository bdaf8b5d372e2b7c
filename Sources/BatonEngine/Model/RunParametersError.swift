/// Why a run's parameters cannot be set: every problem, each a sentence.
public struct RunParametersError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [String]

    public var description: String { problems.joined(separator: "\n") }
}
