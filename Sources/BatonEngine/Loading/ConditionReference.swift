/// A place where a `when:` expression reads another step.
struct ConditionReference: Sendable, Hashable {
    /// What the expression reads of the step.
    enum Reading: Sendable, Hashable {
        /// `steps.<id>.outputs.<key>`.
        case output(String)
        /// `steps.<id>.state`.
        case state
        /// `steps.<id>.succeeded` and the other counts.
        case count
    }

    /// The id of the step read.
    var step: String
    /// The 0-based character position of the reference within the expression.
    var offset: Int
    var reads: Reading
}
