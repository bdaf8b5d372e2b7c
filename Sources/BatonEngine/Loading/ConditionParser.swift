/// Parses `when:` expressions into ``Condition`` values.
///
/// The grammar, loosest binding first:
///
///     or         := and ("||" and)*
///     and        := comparison ("&&" comparison)*
///     comparison := unary (("==" | "!=") unary)?
///     unary      := "!" unary | primary
///     primary    := "(" or ")" | string | "true" | "false" | digits
///                 | "steps." id ".outputs." key | "steps." id ".state"
///
/// Nesting, by parentheses, `!` or long chains of operators, is capped at ``maximumDepth`` levels
/// so that neither parsing nor evaluation can exhaust the stack.
public enum ConditionParser {
    /// The deepest an expression tree may be.
    public static let maximumDepth = 100

    /// Parses `text` into a condition.
    public static func parse(_ text: String) throws(ConditionSyntaxError) -> Condition {
        try parseWithReferences(text).condition
    }

    /// Parses `text` and lists where it reads other steps.
    static func parseWithReferences(_ text: String) throws(ConditionSyntaxError) -> (condition: Condition, references: [ConditionReference]) {
        var parser = Parser(tokens: try ConditionLexer.tokenize(text))
        let (expression, _) = try parser.parseExpression()
        return (Condition(source: text, expression: expression), parser.references)
    }
}

extension ConditionParser {
    /// The recursive-descent parser over a token list; every parse function returns the
    /// expression with its height.
    fileprivate struct Parser {
        typealias Parsed = (expression: ConditionExpression, height: Int)

        let tokens: [ConditionToken]
        var position = 0
        var depth = 0
        var references: [ConditionReference] = []

        init(tokens: [ConditionToken]) {
            self.tokens = tokens
        }

        var current: ConditionToken {
            tokens[min(position, tokens.count - 1)]
        }

        mutating func advance() {
            if position < tokens.count - 1 { position += 1 }
        }

        mutating func parseExpression() throws(ConditionSyntaxError) -> Parsed {
            if current.kind == .end {
                throw ConditionSyntaxError(offset: current.offset, message: "the expression is empty")
            }
            let result = try parseOr()
            switch current.kind {
            case .end:
                return result
            case .closeParen:
                throw ConditionSyntaxError(offset: current.offset, message: "unmatched ')'")
            default:
                throw ConditionSyntaxError(
                    offset: current.offset,
                    message: "expected '&&', '||' or the end of the expression, found \(current.quoted)"
                )
            }
        }

        mutating func parseOr() throws(ConditionSyntaxError) -> Parsed {
            var left = try parseAnd()
            while current.kind == .or {
                let operatorToken = current
                advance()
                let right = try parseAnd()
                left = try combine(.or(left.expression, right.expression), left, right, at: operatorToken)
            }
            return left
        }

        mutating func parseAnd() throws(ConditionSyntaxError) -> Parsed {
            var left = try parseComparison()
            while current.kind == .and {
                let operatorToken = current
                advance()
                let right = try parseComparison()
                left = try combine(.and(left.expression, right.expression), left, right, at: operatorToken)
            }
            return left
        }

        mutating func parseComparison() throws(ConditionSyntaxError) -> Parsed {
            let left = try parseUnary()
            let operatorToken = current
            let isEqual: Bool
            switch operatorToken.kind {
            case .equal: isEqual = true
            case .notEqual: isEqual = false
            default: return left
            }
            advance()
            let right = try parseUnary()
            if current.kind == .equal || current.kind == .notEqual {
                throw ConditionSyntaxError(
                    offset: current.offset,
                    message: "comparisons cannot be chained; add parentheses"
                )
            }
            let expression: ConditionExpression = isEqual
                ? .equal(left.expression, right.expression)
                : .notEqual(left.expression, right.expression)
            return try combine(expression, left, right, at: operatorToken)
        }

        mutating func parseUnary() throws(ConditionSyntaxError) -> Parsed {
            guard current.kind == .not else { return try parsePrimary() }
            let notToken = current
            try enter(at: notToken)
            defer { depth -= 1 }
            advance()
            let operand = try parseUnary()
            return try combine(.not(operand.expression), operand, operand, at: notToken)
        }

        mutating func parsePrimary() throws(ConditionSyntaxError) -> Parsed {
            let token = current
            switch token.kind {
            case .openParen:
                try enter(at: token)
                defer { depth -= 1 }
                advance()
                if current.kind == .closeParen {
                    throw ConditionSyntaxError(offset: current.offset, message: "expected an expression inside '()'")
                }
                let inner = try parseOr()
                guard current.kind == .closeParen else {
                    throw ConditionSyntaxError(
                        offset: current.offset,
                        message: "expected a closing ')' for the '(' at character \(token.offset + 1), found \(current.quoted)"
                    )
                }
                advance()
                return inner
            case .string(let value):
                advance()
                return (.literal(value), 1)
            case .word(let word):
                advance()
                return (try value(ofWord: word, at: token.offset), 1)
            case .end:
                let after = position > 0 ? " after '\(tokens[position - 1].text)'" : ""
                throw ConditionSyntaxError(offset: token.offset, message: "expected a value\(after), found the end of the expression")
            case .closeParen, .and, .or, .equal, .notEqual, .not:
                throw ConditionSyntaxError(
                    offset: token.offset,
                    message: "expected a value (a quoted string, true, false or a steps.… reference), found \(token.quoted)"
                )
            }
        }

        /// A bare word: a literal or a reference to a step.
        mutating func value(ofWord word: String, at offset: Int) throws(ConditionSyntaxError) -> ConditionExpression {
            if word == "true" || word == "false" || word.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                return .literal(word)
            }
            let parts = word.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard parts.first == "steps" else {
                throw ConditionSyntaxError(
                    offset: offset,
                    message: "unknown word '\(word)'; put strings in quotes, e.g. '\(word)', or read a step with steps.<id>.outputs.<key> or steps.<id>.state"
                )
            }
            let id = parts.count > 1 ? parts[1] : ""
            if parts.count == 3, parts[2] == "state", !id.isEmpty {
                references.append(ConditionReference(step: id, offset: offset))
                return .state(step: id)
            }
            if parts.count >= 4, parts[2] == "outputs", !id.isEmpty, !parts[3...].contains(where: \.isEmpty) {
                let key = parts[3...].joined(separator: ".")
                guard StepOutputFile.isValidKey(Substring(key)) else {
                    // A step could never write this key, so the condition would silently read nothing.
                    throw ConditionSyntaxError(
                        offset: offset,
                        message: "'\(key)' cannot be an output name: a step writes outputs as KEY=value, where KEY is letters, digits and '_' and does not start with a digit"
                    )
                }
                references.append(ConditionReference(step: id, offset: offset))
                return .output(step: id, key: key)
            }
            throw ConditionSyntaxError(
                offset: offset,
                message: "unknown reference '\(word)'; use steps.<id>.outputs.<key> or steps.<id>.state"
            )
        }

        /// Counts one more level of `(` or `!` and fails past the limit.
        mutating func enter(at token: ConditionToken) throws(ConditionSyntaxError) {
            depth += 1
            if depth > ConditionParser.maximumDepth {
                throw tooDeep(at: token)
            }
        }

        func combine(_ expression: ConditionExpression, _ left: Parsed, _ right: Parsed, at token: ConditionToken) throws(ConditionSyntaxError) -> Parsed {
            let height = max(left.height, right.height) + 1
            if height > ConditionParser.maximumDepth { throw tooDeep(at: token) }
            return (expression, height)
        }

        func tooDeep(at token: ConditionToken) -> ConditionSyntaxError {
            ConditionSyntaxError(
                offset: token.offset,
                message: "the expression is nested too deeply (more than \(ConditionParser.maximumDepth) levels)"
            )
        }
    }
}
