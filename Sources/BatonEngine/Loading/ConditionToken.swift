/// One lexical unit of a `when:` expression.
struct ConditionToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case openParen, closeParen, not, and, or, equal, notEqual
        /// A quoted string, with its escapes resolved.
        case string(String)
        /// A bare word: `true`, `false`, a number or a `steps.…` reference.
        case word(String)
        case end
    }

    var kind: Kind
    /// The 0-based character position of the token's first character.
    var offset: Int
    /// The token as written.
    var text: String

    /// How the token reads in an error message.
    var quoted: String {
        kind == .end ? "the end of the expression" : "'\(text)'"
    }
}
