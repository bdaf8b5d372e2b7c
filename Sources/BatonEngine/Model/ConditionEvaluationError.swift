/// Why a `when:` expression that parsed could not be evaluated with the run's values, such as
/// `fromJSON` of text that is not JSON.
///
/// The scheduler fails the step with this message rather than guess a value: a condition that
/// cannot be read says nothing about whether the step should run.
public struct ConditionEvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, naming the function and the value.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
