/// A place where a `when:` expression reads a run parameter, `params.<name>`.
struct ConditionParamReference: Sendable, Hashable {
    /// The parameter's name.
    var name: String
    /// The 0-based character position of the reference within the expression.
    var offset: Int
}
