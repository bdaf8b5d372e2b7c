import Testing
@testable import BatonEngine

/// `SecretsInDefinition` refuses what would put a secret on disk or mask ordinary text, and
/// names the secret, never its value.
@Suite struct SecretsInDefinitionTests {
    private func problems(_ text: String, _ environment: [String: String]) throws -> [SourceProblem] {
        let workflow = try WorkflowLoader.load(yaml: text, file: "wf.yaml")
        return SecretsInDefinition.problems(in: text, of: workflow, file: "wf.yaml", environment: environment)
    }

    @Test func aSecretValueInACommandIsRefusedAtItsPlace() throws {
        let text = "secrets: [BUILD_TOKEN]\nsteps:\n  clean:\n    run: rm -rf /tmp/x/cache-build42\n"
        let found = try problems(text, ["BUILD_TOKEN": "build42"])
        #expect(found.map(\.description) == [
            "wf.yaml:4:30: the file holds the value of the secret 'BUILD_TOKEN'; Baton stores the file as written, "
                + "so a secret may only come from the environment: write $BUILD_TOKEN in its place",
        ])
        #expect(try problems(text.replacingOccurrences(of: "build42", with: "$BUILD_TOKEN"), ["BUILD_TOKEN": "build42"]).isEmpty)
    }

    @Test func aLineOfASecretOfSeveralLinesIsRefused() throws {
        let text = "secrets: [KEY]\nsteps:\n  a:\n    run: echo MlineOneAbCdEf\n"
        let found = try problems(text, ["KEY": "-----BEGIN-----\nMlineOneAbCdEf\n-----END-----"])
        #expect(found.map(\.location) == [SourceLocation(line: 4, column: 15)])
    }

    @Test func secretsShorterThanFourCharactersAreRefusedAndEmptyOnesAllowed() throws {
        let text = "name: abc\nsecrets: [TOKEN]\nsteps:\n  a: {run: echo}\n"
        for value in ["a", "ab", "abc", "é€"] {
            let found = try problems(text, ["TOKEN": value])
            #expect(found.count == 1)
            #expect(found.first?.location == SourceLocation(line: 2, column: 11))
            #expect(found.first?.message.hasPrefix("the secret 'TOKEN' is \(value.unicodeScalars.count) character") == true)
            #expect(found.first?.message.contains("at least 4 characters") == true)
        }
        #expect(try problems(text, ["TOKEN": ""]).isEmpty, "an empty value hides nothing")
        #expect(try problems(text, [:]).isEmpty, "an unset secret is not checked at the start")
        #expect(try problems(text, ["TOKEN": "abcd"]).isEmpty)
    }

    @Test func aSecretGivenAValueInTheFileIsRefused() throws {
        let text = "secrets: [TOKEN]\nenv:\n  TOKEN: from-the-file\nsteps:\n  a:\n    env: {TOKEN: other}\n    run: echo\n"
        let found = try problems(text, [:])
        #expect(found.map(\.location) == [SourceLocation(line: 3, column: 3), SourceLocation(line: 6, column: 11)])
        #expect(found.allSatisfy { $0.message.hasPrefix("the file gives the secret 'TOKEN' a value") })
    }
}
