/// A place where a `when:` expression reads another step.
struct ConditionReference: Sendable, Hashable {
    /// The id of the step read.
    var step: String
    /// The 0-based character position of the reference within the expression.
    var offset: Int
}
