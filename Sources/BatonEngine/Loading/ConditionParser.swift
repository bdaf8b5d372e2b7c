/// Parses `when:` expressions into ``Condition`` values.
///
/// The grammar, loosest binding first:
///
///     ternary    := or ("?" ternary ":" ternary)?
///     or         := and ("||" and)*
///     and        := comparison ("&&" comparison)*
///     comparison := unary (("==" | "!=" | "<" | "<=" | ">" | ">=") unary)?
///     unary      := "!" unary | primary
///     primary    := "(" ternary ")" | string | "true" | "false" | number
///                 | function "(" (ternary ("," ternary)*)? ")"
///                 | "steps." id ".outputs." key | "steps." id ".outputs[" string "]"
///                 | "steps." id ".state" | "params." name
///
/// Function names and their numbers of arguments are checked here, as is a `format` template
/// written as a string, so a mistake is reported when the file loads, not when the step is due.
/// Nesting, by parentheses, `!`, calls, `? :` or long chains of operators, is capped at
/// ``maximumDepth`` levels so that neither parsing nor evaluation can exhaust the stack.
public enum ConditionParser {
    /// The deepest an expression tree may be.
    public static let maximumDepth = 100

    /// Parses `text` into a condition.
    public static func parse(_ text: String) throws(ConditionSyntaxError) -> Condition {
        try parseWithReferences(text).condition
    }

    /// Parses `text` and lists where it reads other steps and run parameters.
    static func parseWithReferences(_ text: String) throws(ConditionSyntaxError) -> (
        condition: Condition, references: [ConditionReference], params: [ConditionParamReference]
    ) {
        var parser = Parser(tokens: try ConditionLexer.tokenize(text))
        let (expression, _) = try parser.parseExpression()
        return (Condition(source: text, expression: expression), parser.references, parser.paramReferences)
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
        var paramReferences: [ConditionParamReference] = []

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
            let result = try parseTernary()
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

        /// `condition ? whenTrue : whenFalse`, binding loosest and grouping to the right:
        /// `a ? b : c ? d : e` is `a ? b : (c ? d : e)`.
        mutating func parseTernary() throws(ConditionSyntaxError) -> Parsed {
            let condition = try parseOr()
            guard current.kind == .question else { return condition }
            let questionToken = current
            try enter(at: questionToken)
            defer { depth -= 1 }
            advance()
            let whenTrue = try parseTernary()
            guard current.kind == .colon else {
                throw ConditionSyntaxError(
                    offset: current.offset,
                    message: "expected ':' for the '?' at character \(questionToken.offset + 1), found \(current.quoted)"
                )
            }
            advance()
            let whenFalse = try parseTernary()
            let height = max(condition.height, whenTrue.height, whenFalse.height) + 1
            if height > ConditionParser.maximumDepth { throw tooDeep(at: questionToken) }
            return (.conditional(condition.expression, whenTrue.expression, whenFalse.expression), height)
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
            guard let makeComparison = Self.comparison(operatorToken.kind) else { return left }
            advance()
            let right = try parseUnary()
            if Self.comparison(current.kind) != nil {
                throw ConditionSyntaxError(
                    offset: current.offset,
                    message: "comparisons cannot be chained; add parentheses"
                )
            }
            return try combine(makeComparison(left.expression, right.expression), left, right, at: operatorToken)
        }

        /// What a comparison operator builds, or nil for a token that is not one.
        static func comparison(_ kind: ConditionToken.Kind) -> ((ConditionExpression, ConditionExpression) -> ConditionExpression)? {
            switch kind {
            case .equal: return { .equal($0, $1) }
            case .notEqual: return { .notEqual($0, $1) }
            case .less: return { .order(.less, $0, $1) }
            case .lessOrEqual: return { .order(.lessOrEqual, $0, $1) }
            case .greater: return { .order(.greater, $0, $1) }
            case .greaterOrEqual: return { .order(.greaterOrEqual, $0, $1) }
            default: return nil
            }
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
                let inner = try parseTernary()
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
                if current.kind == .openParen, !word.contains(".") {
                    return try call(word, at: token)
                }
                if current.kind == .openBracket, word.hasPrefix("steps.") {
                    return (try bracketOutput(word, at: token.offset), 1)
                }
                return (try value(ofWord: word, at: token.offset), 1)
            case .end:
                let after = position > 0 ? " after '\(tokens[position - 1].text)'" : ""
                throw ConditionSyntaxError(offset: token.offset, message: "expected a value\(after), found the end of the expression")
            case .closeParen, .and, .or, .equal, .notEqual, .not, .less, .lessOrEqual, .greater, .greaterOrEqual,
                 .question, .colon, .comma, .openBracket, .closeBracket:
                throw ConditionSyntaxError(
                    offset: token.offset,
                    message: "expected a value (a quoted string, true, false, a number, a function call or a steps.… or params.… reference), found \(token.quoted)"
                )
            }
        }

        /// A function call; `current` is its `(`. The name must be known and the number of
        /// arguments right.
        mutating func call(_ name: String, at nameToken: ConditionToken) throws(ConditionSyntaxError) -> Parsed {
            guard let function = ConditionFunction(rawValue: name) else {
                let names = ConditionFunction.allCases.map(\.name)
                let hint = Suggestion.hint(for: name, among: names)
                throw ConditionSyntaxError(
                    offset: nameToken.offset,
                    message: "unknown function '\(name)'" + (hint.isEmpty ? "; the functions are \(names.joined(separator: ", "))" : hint)
                )
            }
            let openToken = current
            try enter(at: openToken)
            defer { depth -= 1 }
            advance()
            var arguments: [Parsed] = []
            var argumentTokens: [ConditionToken] = []
            if current.kind != .closeParen {
                while true {
                    argumentTokens.append(current)
                    arguments.append(try parseTernary())
                    if current.kind == .comma {
                        advance()
                        continue
                    }
                    guard current.kind == .closeParen else {
                        throw ConditionSyntaxError(
                            offset: current.offset,
                            message: "expected ',' or ')' after an argument of '\(name)', found \(current.quoted)"
                        )
                    }
                    break
                }
            }
            advance()
            guard function.arity.contains(arguments.count) else {
                throw ConditionSyntaxError(
                    offset: nameToken.offset,
                    message: "'\(name)' takes \(function.expectedCount), as in \(function.signature); found \(arguments.count)"
                )
            }
            if function == .format, case .string(let template) = argumentTokens[0].kind, arguments[0].height == 1 {
                try checkFormat(template, token: argumentTokens[0], values: arguments.count - 1)
            }
            let height = (arguments.map(\.height).max() ?? 0) + 1
            if height > ConditionParser.maximumDepth { throw tooDeep(at: nameToken) }
            return (.call(function, arguments.map(\.expression)), height)
        }

        /// Checks a `format` template written as a string: its braces, and that every
        /// placeholder has a value.
        func checkFormat(_ template: String, token: ConditionToken, values: Int) throws(ConditionSyntaxError) {
            // Positions inside the string map onto the line only when it has no escapes.
            let exact = !token.text.contains("\\")
            let parsed: ConditionFormatTemplate
            do {
                parsed = try ConditionFormatTemplate(template)
            } catch {
                throw ConditionSyntaxError(
                    offset: exact ? token.offset + 1 + error.offset : token.offset,
                    message: "the format template does not read: \(error.message)"
                )
            }
            if let highest = parsed.highestPlaceholder, highest >= values {
                let follow = values == 0 ? "no value follows" : values == 1 ? "only 1 value follows" : "only \(values) values follow"
                throw ConditionSyntaxError(offset: token.offset, message: "the format template uses {\(highest)}, but \(follow) it")
            }
        }

        /// `steps.<id>.outputs['<key>']`; `current` is the `[`.
        mutating func bracketOutput(_ word: String, at offset: Int) throws(ConditionSyntaxError) -> ConditionExpression {
            let parts = word.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[2] == "outputs", !parts[1].isEmpty else {
                throw ConditionSyntaxError(
                    offset: offset,
                    message: "'[' can only follow steps.<id>.outputs, as in steps.<id>.outputs['a.b']"
                )
            }
            advance()
            let keyToken = current
            guard case .string(let key) = keyToken.kind else {
                throw ConditionSyntaxError(
                    offset: keyToken.offset,
                    message: "expected an output name in quotes inside '[]', as in steps.\(parts[1]).outputs['a.b'], found \(keyToken.quoted)"
                )
            }
            advance()
            guard current.kind == .closeBracket else {
                throw ConditionSyntaxError(offset: current.offset, message: "expected ']' after the output name, found \(current.quoted)")
            }
            advance()
            try checkOutputKey(key, at: keyToken.offset)
            let id = String(parts[1])
            references.append(ConditionReference(step: id, offset: offset, reads: .output(key)))
            return .output(step: id, key: key)
        }

        /// Refuses a key no step could write, so the condition cannot silently read nothing.
        func checkOutputKey(_ key: String, at offset: Int) throws(ConditionSyntaxError) {
            // The output file's own rule: a key a step can write is one a condition can read.
            guard StepOutputFile.isValidKey(Substring(key)) else {
                throw ConditionSyntaxError(
                    offset: offset,
                    message: "'\(key)' cannot be an output name: a step writes outputs as KEY=value, where KEY is letters, digits, '_', '-' and '.', starting with a letter or '_'"
                )
            }
        }

        /// A bare word: a literal, or a reference to a step or a run parameter.
        mutating func value(ofWord word: String, at offset: Int) throws(ConditionSyntaxError) -> ConditionExpression {
            if word == "true" || word == "false" || ConditionJSONReader.number(word) != nil {
                return .literal(word)
            }
            if let function = ConditionFunction(rawValue: word) {
                throw ConditionSyntaxError(offset: offset, message: "'\(word)' is a function; call it as \(function.signature)")
            }
            let parts = word.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            if parts.first == "params" {
                let name = parts.dropFirst().joined(separator: ".")
                guard parts.count == 2, WorkflowParameter.isValidName(name) else {
                    throw ConditionSyntaxError(
                        offset: offset,
                        message: parts.count == 1
                            ? "unknown reference 'params'; read a run parameter with params.<name>"
                            : "'\(name)' cannot be a parameter name: names are letters, digits, '_' and '-', starting with a letter or '_'"
                    )
                }
                paramReferences.append(ConditionParamReference(name: name, offset: offset))
                return .param(name)
            }
            if word == "run.outcome" { return .runOutcome }
            guard parts.first == "steps" else {
                throw ConditionSyntaxError(
                    offset: offset,
                    message: "unknown word '\(word)'; put strings in quotes, e.g. '\(word)', or read a step with steps.<id>.outputs.<key> or steps.<id>.state"
                )
            }
            let id = parts.count > 1 ? parts[1] : ""
            if parts.count == 3, ConditionExpression.groupCounts.contains(parts[2]), !id.isEmpty {
                references.append(ConditionReference(step: id, offset: offset, reads: .count))
                return .groupCount(step: id, count: parts[2])
            }
            if parts.count == 3, parts[2] == "state", !id.isEmpty {
                references.append(ConditionReference(step: id, offset: offset, reads: .state))
                return .state(step: id)
            }
            if parts.count >= 4, parts[2] == "outputs", !id.isEmpty, !parts[3...].contains(where: \.isEmpty) {
                let key = parts[3...].joined(separator: ".")
                // Past `outputs.` a dot could one day read a field of a JSON output, so keys
                // with dots take the bracket form, which can never mean anything else.
                guard parts.count == 4 else {
                    throw ConditionSyntaxError(
                        offset: offset,
                        message: "an output name with '.' must be written in brackets: steps.\(id).outputs['\(key)']"
                    )
                }
                try checkOutputKey(key, at: offset)
                references.append(ConditionReference(step: id, offset: offset, reads: .output(key)))
                return .output(step: id, key: key)
            }
            throw ConditionSyntaxError(
                offset: offset,
                message: "unknown reference '\(word)'; use steps.<id>.outputs.<key>, steps.<id>.outputs['<key>'] or steps.<id>.state"
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
