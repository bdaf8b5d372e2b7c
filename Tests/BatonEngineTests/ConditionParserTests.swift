import Testing
@testable import BatonEngine

@Suite("ConditionParser")
struct ConditionParserTests {
    private func parse(_ text: String) throws -> ConditionExpression {
        try ConditionParser.parse(text).expression
    }

    private func syntaxError(_ text: String) -> ConditionSyntaxError? {
        do {
            _ = try ConditionParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Values

    @Test func readsOutputAndStateReferences() throws {
        #expect(try parse("steps.check.outputs.exists") == .output(step: "check", key: "exists"))
        #expect(try parse("steps.build-1.state") == .state(step: "build-1"))
        #expect(try parse("steps.a.outputs._x9") == .output(step: "a", key: "_x9"))
    }

    @Test func readsOutputKeysWithDashesAndDots() throws {
        // A step may write such keys to $BATON_OUTPUT, so a condition can read them.
        #expect(try parse("steps.a.outputs.my-key") == .output(step: "a", key: "my-key"))
        #expect(try parse("steps.a.outputs['image.tag']") == .output(step: "a", key: "image.tag"))
    }

    @Test func outputKeysAStepCouldNeverWriteAreRefused() {
        for key in ["9lives", "-x", "9-9"] {
            let error = syntaxError("'v' == steps.build.outputs.\(key)")
            #expect(error?.offset == 7, "\(key)")
            #expect(error?.message.hasPrefix("'\(key)' cannot be an output name") == true, "\(key): \(error?.message ?? "accepted")")
        }
        let bracketed = syntaxError("'v' == steps.build.outputs['.hidden']")
        #expect(bracketed?.offset == 27)
        #expect(bracketed?.message.hasPrefix("'.hidden' cannot be an output name") == true)
    }

    @Test func outputKeysMayHoldDashesAndInBracketsDots() throws {
        #expect(try parse("steps.build.outputs.my-key") == .output(step: "build", key: "my-key"))
        #expect(try parse("steps.build.outputs['a.b-c']") == .output(step: "build", key: "a.b-c"))
        #expect(try parse(#"steps.build.outputs["x"]"#) == .output(step: "build", key: "x"))
        let dotted = syntaxError("steps.build.outputs.a.b")
        #expect(dotted == ConditionSyntaxError(
            offset: 0, message: "an output name with '.' must be written in brackets: steps.build.outputs['a.b']"))
    }

    @Test func readsLiterals() throws {
        #expect(try parse("true") == .literal("true"))
        #expect(try parse("false") == .literal("false"))
        #expect(try parse("42") == .literal("42"))
        #expect(try parse("'it\\'s'") == .literal("it's"))
        #expect(try parse(#""say \"hi\" \\ done""#) == .literal(#"say "hi" \ done"#))
        #expect(try parse(#"'a\nb'"#) == .literal(#"a\nb"#))
        #expect(try parse(#""it's""#) == .literal("it's"))
    }

    @Test func keepsTheSourceText() throws {
        let text = "steps.check.outputs.exists != 'true'"
        let condition = try ConditionParser.parse(text)
        #expect(condition.source == text)
        #expect(condition.expression == .notEqual(.output(step: "check", key: "exists"), .literal("true")))
        #expect(condition.referencedSteps == ["check"])
    }

    // MARK: Precedence

    @Test func notBindsTighterThanEquality() throws {
        #expect(try parse("!true == false") == .equal(.not(.literal("true")), .literal("false")))
    }

    @Test func equalityBindsTighterThanAnd() throws {
        #expect(try parse("'a' == 'b' && 'c' != 'd'") == .and(
            .equal(.literal("a"), .literal("b")),
            .notEqual(.literal("c"), .literal("d"))
        ))
    }

    @Test func andBindsTighterThanOr() throws {
        #expect(try parse("'a' || 'b' && 'c'") == .or(.literal("a"), .and(.literal("b"), .literal("c"))))
        #expect(try parse("'a' && 'b' || 'c'") == .or(.and(.literal("a"), .literal("b")), .literal("c")))
    }

    @Test func chainsAssociateToTheLeft() throws {
        #expect(try parse("'a' || 'b' || 'c'") == .or(.or(.literal("a"), .literal("b")), .literal("c")))
    }

    @Test func parenthesesOverridePrecedence() throws {
        #expect(try parse("('a' || 'b') && 'c'") == .and(.or(.literal("a"), .literal("b")), .literal("c")))
        #expect(try parse("!(steps.a.state == 'failed')") == .not(.equal(.state(step: "a"), .literal("failed"))))
    }

    @Test func spacesAreOptional() throws {
        #expect(try parse("steps.a.state=='x'&&!false") == .and(.equal(.state(step: "a"), .literal("x")), .not(.literal("false"))))
    }

    // MARK: Errors

    @Test func unclosedParenthesis() {
        let error = syntaxError("('a' == 'b'")
        #expect(error?.offset == 11)
        #expect(error?.message.contains("expected a closing ')'") == true)
    }

    @Test func unknownReference() {
        let error = syntaxError("'x' == steps.a.foo")
        #expect(error?.offset == 7)
        #expect(error?.message == "unknown reference 'steps.a.foo'; use steps.<id>.outputs.<key>, steps.<id>.outputs['<key>'] or steps.<id>.state")
        #expect(syntaxError("steps.a.outputs")?.message.contains("unknown reference") == true)
        #expect(syntaxError("steps..state")?.message.contains("unknown reference") == true)
    }

    @Test func bareWordsMustBeQuoted() {
        let error = syntaxError("steps.a.state == succeeded")
        #expect(error?.offset == 17)
        #expect(error?.message.contains("unknown word 'succeeded'") == true)
    }

    @Test func singleOperatorCharacters() {
        #expect(syntaxError("'a' = 'b'") == ConditionSyntaxError(offset: 4, message: "expected '==' to compare; a single '=' is not an operator"))
        #expect(syntaxError("'a' & 'b'")?.offset == 4)
        #expect(syntaxError("'a' | 'b'")?.offset == 4)
        #expect(syntaxError("'a' === 'b'")?.offset == 6)
    }

    @Test func unterminatedString() {
        let error = syntaxError("steps.a.state == 'ok")
        #expect(error?.offset == 17)
        #expect(error?.message.contains("unterminated string") == true)
        #expect(syntaxError(#"'ends with backslash\'"#)?.message.contains("unterminated") == true)
    }

    @Test func missingValues() {
        #expect(syntaxError("")?.message == "the expression is empty")
        #expect(syntaxError("   ")?.offset == 3)
        let afterOperator = syntaxError("'a' && ")
        #expect(afterOperator?.offset == 7)
        #expect(afterOperator?.message.contains("after '&&'") == true)
        #expect(syntaxError("&& 'a'")?.offset == 0)
        #expect(syntaxError("()")?.offset == 1)
    }

    @Test func leftoverTokens() {
        #expect(syntaxError("'a' 'b'") == ConditionSyntaxError(offset: 4, message: "expected '&&', '||' or the end of the expression, found ''b''"))
        #expect(syntaxError("'a')") == ConditionSyntaxError(offset: 3, message: "unmatched ')'"))
    }

    @Test func comparisonsDoNotChain() {
        let error = syntaxError("'a' == 'b' == 'c'")
        #expect(error?.offset == 11)
        #expect(error?.message.contains("cannot be chained") == true)
    }

    @Test func unexpectedCharacter() {
        #expect(syntaxError("'a' == $x")?.offset == 7)
    }

    @Test func offsetsCountCharactersNotBytes() {
        #expect(syntaxError("'héllo' = 'x'")?.offset == 8)
    }

    @Test func nestingIsCapped() {
        let deepParentheses = String(repeating: "(", count: 5_000) + "true" + String(repeating: ")", count: 5_000)
        #expect(syntaxError(deepParentheses)?.message.contains("nested too deeply") == true)
        #expect(syntaxError(String(repeating: "!", count: 5_000) + "true")?.message.contains("nested too deeply") == true)
        let longChain = Array(repeating: "'x'", count: 5_000).joined(separator: " && ")
        #expect(syntaxError(longChain)?.message.contains("nested too deeply") == true)
        let allowed = String(repeating: "(", count: 50) + "true" + String(repeating: ")", count: 50)
        #expect(syntaxError(allowed) == nil)
    }

    // MARK: Evaluation

    @Test func evaluatesWithTruthiness() throws {
        let context = ConditionContext(
            outputs: ["check": ["exists": "true", "count": "0", "empty": ""]],
            states: ["check": .succeeded, "lint": .skipped]
        )
        func holds(_ text: String) throws -> Bool { try ConditionParser.parse(text).evaluate(in: context) }
        #expect(try holds("steps.check.outputs.exists == 'true'"))
        #expect(try !holds("steps.check.outputs.exists != 'true'"))
        #expect(try !holds("steps.check.outputs.count"))
        #expect(try !holds("steps.check.outputs.empty"))
        #expect(try !holds("steps.check.outputs.missing"))
        #expect(try holds("!steps.check.outputs.missing"))
        #expect(try holds("steps.check.state == 'succeeded' && steps.lint.state == 'skipped'"))
        #expect(try holds("false || steps.check.outputs.exists"))
        #expect(try !holds("!(true && 'yes')"))
        #expect(try holds("steps.check.outputs.count == 0"))
        #expect(try holds("!false == true"))
    }

    @Test func listsReferencesWithOffsets() throws {
        let parsed = try ConditionParser.parseWithReferences("steps.a.state == 'x' || steps.b.outputs.k")
        #expect(parsed.references == [
            ConditionReference(step: "a", offset: 0, reads: .state),
            ConditionReference(step: "b", offset: 24, reads: .output("k")),
        ])
    }
}
