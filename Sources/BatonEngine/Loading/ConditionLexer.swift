/// Splits a `when:` expression into tokens.
///
/// Positions are counted in Unicode scalars, the unit YAML uses for columns.
struct ConditionLexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// Every token of the expression, ending with `.end`.
    static func tokenize(_ text: String) throws(ConditionSyntaxError) -> [ConditionToken] {
        var lexer = ConditionLexer(text)
        var tokens: [ConditionToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    /// The tokens of one character that no other token starts with.
    private static let punctuation: [Unicode.Scalar: ConditionToken.Kind] = [
        "(": .openParen, ")": .closeParen, "?": .question, ":": .colon, ",": .comma, "[": .openBracket, "]": .closeBracket,
    ]

    private mutating func next() throws(ConditionSyntaxError) -> ConditionToken {
        while index < scalars.count, Self.isSpace(scalars[index]) { index += 1 }
        let start = index
        guard index < scalars.count else { return ConditionToken(kind: .end, offset: start, text: "") }
        let scalar = scalars[index]
        let following = index + 1 < scalars.count ? scalars[index + 1] : nil
        if let kind = Self.punctuation[scalar] {
            index += 1
            return token(kind, from: start)
        }
        switch scalar {
        case "!":
            if following == "=" {
                index += 2
                return token(.notEqual, from: start)
            }
            index += 1
            return token(.not, from: start)
        case "=":
            guard following == "=" else {
                throw ConditionSyntaxError(offset: start, message: "expected '==' to compare; a single '=' is not an operator")
            }
            index += 2
            return token(.equal, from: start)
        case "&":
            guard following == "&" else {
                throw ConditionSyntaxError(offset: start, message: "expected '&&'; a single '&' is not an operator")
            }
            index += 2
            return token(.and, from: start)
        case "|":
            guard following == "|" else {
                throw ConditionSyntaxError(offset: start, message: "expected '||'; a single '|' is not an operator")
            }
            index += 2
            return token(.or, from: start)
        case "<", ">":
            let orEqual = following == "="
            index += orEqual ? 2 : 1
            let kind: ConditionToken.Kind = scalar == "<" ? (orEqual ? .lessOrEqual : .less) : (orEqual ? .greaterOrEqual : .greater)
            return token(kind, from: start)
        case "'", "\"":
            return try string(quote: scalar)
        default:
            guard Self.isWordCharacter(scalar) else {
                throw ConditionSyntaxError(
                    offset: start,
                    message: "unexpected character '\(Character(scalar))'; strings must be in quotes"
                )
            }
            while index < scalars.count, Self.isWordCharacter(scalars[index]) { index += 1 }
            let text = String(String.UnicodeScalarView(scalars[start..<index]))
            return ConditionToken(kind: .word(text), offset: start, text: text)
        }
    }

    private func token(_ kind: ConditionToken.Kind, from start: Int) -> ConditionToken {
        ConditionToken(kind: kind, offset: start, text: String(String.UnicodeScalarView(scalars[start..<index])))
    }

    /// Reads a quoted string; a backslash escapes the quote character or another backslash.
    private mutating func string(quote: Unicode.Scalar) throws(ConditionSyntaxError) -> ConditionToken {
        let start = index
        index += 1
        var value = String.UnicodeScalarView()
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == quote {
                index += 1
                let text = String(String.UnicodeScalarView(scalars[start..<index]))
                return ConditionToken(kind: .string(String(value)), offset: start, text: text)
            }
            if scalar == "\\", index + 1 < scalars.count, scalars[index + 1] == quote || scalars[index + 1] == "\\" {
                value.append(scalars[index + 1])
                index += 2
                continue
            }
            value.append(scalar)
            index += 1
        }
        throw ConditionSyntaxError(offset: start, message: "unterminated string; add a closing \(quote)")
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    /// Letters, digits, `_`, `-` and `.`: the characters of words, numbers, function names and
    /// `steps.<id>.…` and `params.<name>` references.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".": return true
        default: return false
        }
    }
}
