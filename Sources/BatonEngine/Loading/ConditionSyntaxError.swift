/// Why a `when:` expression could not be parsed, and where.
public struct ConditionSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 0-based character position of the problem within the expression.
    public var offset: Int
    /// What is wrong.
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "at character \(offset + 1): \(message)" }
}
