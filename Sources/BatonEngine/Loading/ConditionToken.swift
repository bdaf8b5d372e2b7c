/// One lexical unit of a `when:` expression.
struct ConditionToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case openParen, closeParen, not, and, or, equal, notEqual
        case less, lessOrEqual, greater, greaterOrEqual
        /// `?` and `:` of `condition ? a : b`.
        case question, colon
        /// `,` between a function's arguments.
        case comma
        /// `[` and `]` around a quoted output key: `steps.<id>.outputs['a.b']`.
        case openBracket, closeBracket
        /// A quoted string, with its escapes resolved.
        case string(String)
        /// A bare word: `true`, `false`, a number, a function name, or a `steps.…` or
        /// `params.…` reference.
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
