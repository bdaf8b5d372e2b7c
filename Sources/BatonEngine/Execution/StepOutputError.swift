/// Why a step's output file could not be taken: a line of no known form, a multi-line value
/// never closed, two keys for one variable, a file too big or unreadable.
///
/// Any of them fails the attempt, whatever its exit code: publishing part of what the step
/// meant to publish would let its dependents run on outputs that are silently missing.
public struct StepOutputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line the problem is on (where a multi-line value began), if it is on one.
    public var line: Int?
    /// What is wrong, worded to follow "its output file": "line 3 is not key=value: …".
    public var message: String

    public init(line: Int? = nil, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "the output file \(message)" }
}
