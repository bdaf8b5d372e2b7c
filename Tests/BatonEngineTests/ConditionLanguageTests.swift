import Testing
@testable import BatonEngine

/// The functions, operators and references of `when:`, one table row each: what an expression
/// evaluates to, and how a mistake is reported with its line and column.
@Suite("Condition language")
struct ConditionLanguageTests {
    /// The outputs, states and parameters the evaluation rows read.
    static let context = ConditionContext(
        outputs: ["check": [
            "regions": #"["eu", "us"]"#, "count": "12", "small": "9", "name": "release-2.4", "my-key": "dash",
            "a.b": "dotted", "version": "1.10", "broken": "{oops",
        ]],
        states: ["check": .succeeded],
        params: ["env": "prod", "max-count": "20"]
    )

    static let evaluations: [(String, String)] = [
        // contains: a substring of text, or an element of an array.
        ("contains('release-2.4', 'se-2')", "true"),
        ("contains(steps.check.outputs.name, 'X')", "false"),
        ("contains('Hello', 'hello')", "false"),
        ("contains('abc', '')", "true"),
        ("contains(fromJSON(steps.check.outputs.regions), 'eu')", "true"),
        ("contains(fromJSON(steps.check.outputs.regions), 'e')", "false"),
        ("contains(fromJSON('[1, 2.5, true]'), '2.5')", "true"),
        ("contains(fromJSON('[1, 2.5, true]'), true)", "true"),
        // startsWith and endsWith, case-sensitive.
        ("startsWith(steps.check.outputs.name, 'release-')", "true"),
        ("startsWith(steps.check.outputs.name, 'Release-')", "false"),
        ("endsWith(steps.check.outputs.name, '.4')", "true"),
        ("endsWith('abc', 'C')", "false"),
        // fromJSON gives typed values; their text is what comparisons see.
        ("fromJSON('true') == 'true'", "true"),
        ("fromJSON(' 2.50 ')", "2.5"),
        ("fromJSON('null')", ""),
        ("!fromJSON('0')", "true"),
        ("!fromJSON('[]')", "false"),
        (#"fromJSON('"caf\\u00e9 \\ud83d\\ude00"')"#, "café 😀"),
        ("fromJSON('[1,2]') == fromJSON('[ 1, 2 ]')", "true"),
        (#"fromJSON('{"b": 1, "a": 2}') == fromJSON('{"a": 2, "b": 1}')"#, "true"),
        // toJSON writes compact JSON with sorted keys.
        (#"toJSON(fromJSON('{"b": [1, true, null], "a": "x"}'))"#, #"{"a":"x","b":[1,true,null]}"#),
        (#"toJSON('say "hi"')"#, #""say \"hi\"""#),
        ("toJSON(steps.check.outputs.count)", #""12""#),
        ("toJSON(fromJSON(steps.check.outputs.count))", "12"),
        // format, with {{ and }} for braces.
        ("format('{0} and {1}', 'a', steps.check.outputs.count)", "a and 12"),
        ("format('{{{0}}} {1}{0}', 'x', 'y')", "{x} yx"),
        ("format('plain')", "plain"),
        ("format('{0}', fromJSON('[1, \"a\"]'))", #"[1,"a"]"#),
        // The ternary binds loosest and groups to the right; only the branch taken is evaluated.
        ("params.env == 'prod' ? 'live' : 'test'", "live"),
        ("false ? 'a' : true ? 'b' : 'c'", "b"),
        ("true ? false ? 'a' : 'b' : 'c'", "b"),
        ("'' || false ? 'yes' : 'no'", "no"),
        ("true ? 'x' : fromJSON(steps.check.outputs.broken)", "x"),
        ("false && fromJSON(steps.check.outputs.broken)", "false"),
        // Numeric comparisons: both sides must read as numbers.
        ("steps.check.outputs.count > steps.check.outputs.small", "true"),
        ("steps.check.outputs.count >= 12", "true"),
        ("steps.check.outputs.count < 12", "false"),
        ("steps.check.outputs.count <= 12.0", "true"),
        ("'-1.5' < 0", "true"),
        ("-1.5 < 0", "true"),
        ("'1e3' > 999", "true"),
        ("'007' < 8", "true"),
        ("'abc' < 5", "false"),
        ("'abc' >= 5", "false"),
        ("'' <= 0", "false"),
        ("' 3' < 4", "false"),
        ("true > 0", "false"),
        ("fromJSON('3') <= 3", "true"),
        // == and != compare text, as they always did.
        ("steps.check.outputs.version == '1.1'", "false"),
        ("'1.0' == 1", "false"),
        ("steps.check.outputs.count == 12", "true"),
        // Output keys with '-', and '.' in brackets.
        ("steps.check.outputs.my-key", "dash"),
        ("steps.check.outputs['a.b']", "dotted"),
        (#"steps.check.outputs["my-key"] == 'dash'"#, "true"),
        ("steps.check.outputs['missing.key']", ""),
        // Run parameters; one that is not set reads as "".
        ("params.env", "prod"),
        ("params.max-count > steps.check.outputs.count", "true"),
        ("params.unset == ''", "true"),
        // The state functions in a run going well.
        ("success()", "true"),
        ("failure()", "false"),
        ("always()", "true"),
        ("cancelled()", "false"),
    ]

    @Test(arguments: evaluations)
    func evaluates(_ expression: String, _ expected: String) throws {
        let condition = try ConditionParser.parse(expression)
        #expect(try condition.expression.evaluate(in: Self.context).text == expected)
    }

    /// A context for the state functions, named for the test's description.
    struct Standing: Sendable, CustomTestStringConvertible {
        var name: String
        var context: ConditionContext
        /// What success(), failure(), always() and cancelled() give, in that order.
        var expected: [Bool]
        var testDescription: String { name }
    }

    static let standings: [Standing] = [
        Standing(name: "all went well", context: ConditionContext(), expected: [true, false, true, false]),
        Standing(name: "a need failed", context: ConditionContext(needsSucceeded: false, upstreamFailed: true), expected: [false, true, true, false]),
        Standing(
            name: "the needs succeeded, a step further up failed", context: ConditionContext(needsSucceeded: true, upstreamFailed: true),
            expected: [true, true, true, false]),
        Standing(name: "the run stopped", context: ConditionContext(upstreamFailed: false, runHalted: true), expected: [false, false, true, false]),
        Standing(
            name: "the run was cancelled", context: ConditionContext(needsSucceeded: false, runHalted: true, runCancelled: true),
            expected: [false, false, true, true]),
    ]

    @Test(arguments: standings)
    func stateFunctions(_ standing: Standing) throws {
        let results = try ["success()", "failure()", "always()", "cancelled()"].map { expression in
            try ConditionParser.parse(expression).evaluate(in: standing.context)
        }
        #expect(results == standing.expected)
    }

    static let evaluationErrors: [(String, String)] = [
        ("fromJSON(steps.check.outputs.broken)", "fromJSON: '{oops' is not JSON: expected a key in double quotes, found 'o' (at character 2)"),
        ("fromJSON('')", "fromJSON: '' is not JSON: expected a value, found the end of the text (at character 1)"),
        ("fromJSON('[1, 2] x')", "fromJSON: '[1, 2] x' is not JSON: unexpected 'x' after the value (at character 8)"),
        ("fromJSON('01')", "fromJSON: '01' is not JSON: '01' is not a JSON number (at character 1)"),
        (#"fromJSON('"\\u００e9"')"#, #"fromJSON: '"\u００e9"' is not JSON: expected four hexadecimal digits after \u (at character 4)"#),
        ("fromJSON(format('{0}', steps.check.outputs.name))", "fromJSON: 'release-2.4' is not JSON: expected a value, found 'r' (at character 1)"),
        (
            "format(steps.check.outputs.broken, 'x')",
            "format: the template '{oops' does not read: a '{' must start a placeholder such as {0}; write '{{' for a brace (at character 1)"
        ),
        ("format(format('{0}{1}', '{', '1}'), 'x')", "format: the template uses {1}, but only 1 value follows it"),
    ]

    @Test(arguments: evaluationErrors)
    func evaluationErrorsSayWhatFailed(_ expression: String, _ message: String) throws {
        let condition = try ConditionParser.parse(expression)
        let result = condition.check(in: Self.context)
        guard case .failure(let error) = result else {
            Issue.record("\(expression) evaluated to \(result)")
            return
        }
        #expect(error.message == message)
        #expect(condition.evaluate(in: Self.context) == false)
    }

    /// A workflow whose step `b` has `when: "<expression>"` on line 6: the expression starts
    /// at column 12.
    private static func workflow(when expression: String) -> String {
        "steps:\n  a: {run: x}\n  b:\n    run: y\n    needs: a\n    when: \"\(expression)\"\n"
    }

    static let syntaxErrors: [(String, String)] = [
        ("contans(steps.a.outputs.x, 'y')", "wf.yaml:6:12: 'when' in step 'b' does not parse: unknown function 'contans'; did you mean 'contains'?"),
        ("StartsWith('a', 'b')", "wf.yaml:6:12: 'when' in step 'b' does not parse: unknown function 'StartsWith'; did you mean 'startsWith'?"),
        ("frob()", "wf.yaml:6:12: 'when' in step 'b' does not parse: unknown function 'frob'; the functions are contains, startsWith, endsWith, fromJSON, toJSON, format, success, failure, always, cancelled"),
        ("'x' == contains('a')", "wf.yaml:6:19: 'when' in step 'b' does not parse: 'contains' takes 2 arguments, as in contains(haystack, needle); found 1"),
        ("endsWith('a', 'b', 'c')", "wf.yaml:6:12: 'when' in step 'b' does not parse: 'endsWith' takes 2 arguments, as in endsWith(text, suffix); found 3"),
        ("toJSON()", "wf.yaml:6:12: 'when' in step 'b' does not parse: 'toJSON' takes 1 argument, as in toJSON(value); found 0"),
        ("always(1)", "wf.yaml:6:12: 'when' in step 'b' does not parse: 'always' takes no arguments, as in always(); found 1"),
        ("format()", "wf.yaml:6:12: 'when' in step 'b' does not parse: 'format' takes at least 1 argument, as in format(template, value0, value1, …); found 0"),
        ("failure", "wf.yaml:6:12: 'when' in step 'b' does not parse: 'failure' is a function; call it as failure()"),
        ("contains('a' 'b')", "wf.yaml:6:25: 'when' in step 'b' does not parse: expected ',' or ')' after an argument of 'contains', found ''b''"),
        ("format('{0} {2}', 'a', 'b')", "wf.yaml:6:19: 'when' in step 'b' does not parse: the format template uses {2}, but only 2 values follow it"),
        ("format('{0} }', 'a')", "wf.yaml:6:24: 'when' in step 'b' does not parse: the format template does not read: a lone '}'; write '}}' for a brace"),
        ("format('{x}', 'a')", "wf.yaml:6:20: 'when' in step 'b' does not parse: the format template does not read: a '{' must start a placeholder such as {0}"),
        ("steps.a.outputs.x ? 'a'", "wf.yaml:6:35: 'when' in step 'b' does not parse: expected ':' for the '?' at character 19, found the end of the expression"),
        ("steps.a.outputs.x : 'a'", "wf.yaml:6:30: 'when' in step 'b' does not parse: expected '&&', '||' or the end of the expression, found ':'"),
        ("1 < 2 < 3", "wf.yaml:6:18: 'when' in step 'b' does not parse: comparisons cannot be chained; add parentheses"),
        ("steps.a.outputs.a.b == 'x'", "wf.yaml:6:12: 'when' in step 'b' does not parse: an output name with '.' must be written in brackets: steps.a.outputs['a.b']"),
        ("steps.a.outputs[x]", "wf.yaml:6:28: 'when' in step 'b' does not parse: expected an output name in quotes inside '[]', as in steps.a.outputs['a.b'], found 'x'"),
        ("steps.a.outputs['9']", "wf.yaml:6:28: 'when' in step 'b' does not parse: '9' cannot be an output name"),
        ("steps.a.outputs['k'", "wf.yaml:6:31: 'when' in step 'b' does not parse: expected ']' after the output name, found the end of the expression"),
        ("steps.a.state['k']", "wf.yaml:6:12: 'when' in step 'b' does not parse: '[' can only follow steps.<id>.outputs"),
        ("params.a.b", "wf.yaml:6:12: 'when' in step 'b' does not parse: 'a.b' cannot be a parameter name: names are letters, digits, '_' and '-', starting with a letter or '_'"),
        ("params", "wf.yaml:6:12: 'when' in step 'b' does not parse: unknown reference 'params'; read a run parameter with params.<name>"),
    ]

    @Test(arguments: syntaxErrors)
    func syntaxErrorsPointAtTheCharacter(_ expression: String, _ expected: String) {
        let problems: [String]
        do {
            _ = try WorkflowLoader.load(yaml: Self.workflow(when: expression), file: "wf.yaml")
            problems = []
        } catch {
            problems = error.problems.map(\.description)
        }
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.hasPrefix(expected) == true, "\(problems.first ?? "no problem")")
    }

    @Test func theLoaderAcceptsEveryFunction() throws {
        let yaml = """
            params:
              env: {}
            steps:
              a: {run: x}
              b:
                run: y
                needs: a
                when: >-
                  (success() || failure() || always() || cancelled())
                  && contains(fromJSON(toJSON(steps.a.outputs.list)), 'x') != startsWith('a', 'b')
                  && endsWith(format('{0}', params.env), 'd') ? steps.a.outputs['k.v'] > 1 : steps.a.outputs.my-key
            """
        let workflow = try WorkflowLoader.load(yaml: yaml, file: "wf.yaml")
        let condition = try #require(workflow["b"]?.when)
        #expect(condition.callsStateFunction)
        #expect(condition.referencedSteps == ["a"])
        #expect(condition.referencedParams == ["env"])
    }

    @Test func paramReferencesAreListedWithTheirOffsets() throws {
        let parsed = try ConditionParser.parseWithReferences("params.env == 'prod' && params.region-1 != steps.a.state")
        #expect(parsed.params == [
            ConditionParamReference(name: "env", offset: 0),
            ConditionParamReference(name: "region-1", offset: 24),
        ])
        #expect(parsed.condition.referencedParams == ["env", "region-1"])
        #expect(parsed.references == [ConditionReference(step: "a", offset: 43, reads: .state)])
        #expect(parsed.condition.expression == .and(
            .equal(.param("env"), .literal("prod")),
            .notEqual(.param("region-1"), .state(step: "a"))
        ))
    }

    @Test func stateFunctionsAreFoundInAnyBranch() throws {
        #expect(try ConditionParser.parse("steps.a.state == 'x' ? 'y' : format('{0}', always())").callsStateFunction)
        #expect(try !ConditionParser.parse("contains(steps.a.state, 'fail')").callsStateFunction)
    }

    @Test func ternaryAndCallsCountTowardsTheNestingLimit() throws {
        let chain = Array(repeating: "true ? 'a' :", count: 5_000).joined(separator: " ") + " 'b'"
        #expect(throws: ConditionSyntaxError.self) { try ConditionParser.parse(chain) }
        let calls = String(repeating: "toJSON(", count: 5_000) + "'x'" + String(repeating: ")", count: 5_000)
        #expect {
            try ConditionParser.parse(calls)
        } throws: { error in
            (error as? ConditionSyntaxError)?.message.contains("nested too deeply") == true
        }
        let deepJSON = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        let reading = try ConditionParser.parse("fromJSON(params.deep)").check(in: ConditionContext(params: ["deep": deepJSON]))
        guard case .failure(let error) = reading else {
            Issue.record("a JSON array nested 5,000 deep was read")
            return
        }
        #expect(error.message.contains("nested more than 100 levels deep"))
    }
}
