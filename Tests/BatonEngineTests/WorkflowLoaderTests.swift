import BatonTestSupport
import Foundation
import Testing
@testable import BatonEngine

@Suite("WorkflowLoader")
struct WorkflowLoaderTests {
    // MARK: Helpers

    /// The problems reported for `yaml`, or none if it loads.
    private func problems(_ yaml: String, file: String = "wf.yaml") -> [SourceProblem] {
        do {
            _ = try WorkflowLoader.load(yaml: yaml, file: file)
            return []
        } catch {
            return error.problems
        }
    }

    /// Expects exactly one problem whose message contains `fragment`, at `line`:`column`.
    private func expectProblem(
        _ problems: [SourceProblem], at line: Int, _ column: Int, _ fragment: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let matching = problems.filter { $0.message.contains(fragment) }
        #expect(
            matching.map(\.location) == [BatonEngine.SourceLocation(line: line, column: column)],
            "looking for \"\(fragment)\" in:\n\(problems.map(\.description).joined(separator: "\n"))",
            sourceLocation: sourceLocation
        )
    }

    private func load(_ yaml: String, file: String = "wf.yaml") throws -> Workflow {
        try WorkflowLoader.load(yaml: yaml, file: file)
    }

    // MARK: Valid files

    static let fullExample = """
        # Release a web service.
        name: release-api
        description: Build, approve and roll out the API service.
        concurrency: 4
        on_failure: rollback
        env:
          SERVICE: api
          PORT: 8080
        secrets:
          - DEPLOY_TOKEN
        steps:
          build:
            name: Build the image
            run: ./scripts/build.sh
            timeout: 10m
            notes: Builds and pushes the image.
          unit-tests:
            run: make test
            needs: build
            retry: 2
          lint:
            run: make lint
            needs: build
            continue_on_error: true
          approve:
            approval:
              prompt: Release to production?
              approvers: [alice, bob]
            needs: [unit-tests, lint]
          migrate:
            run: ./scripts/migrate.sh
            rollback: ./scripts/migrate.sh --down
            needs: [approve, build]
            when: steps.build.outputs.schema_changed == 'true'
            retry:
              attempts: 3
              backoff: 5s
              max_backoff: 30s
          deploy:
            run: ./scripts/deploy.sh "$STEPS_BUILD_OUTPUTS_IMAGE"
            needs: [migrate]
            dir: deploy
            env:
              REGION: eu-west-2
          smoke-test:
            needs: deploy
            simulate:
              duration: 1.5s
              exit_codes: [1, 0]
              output:
                - checking /health
                - "stderr: slow"
              outputs:
                latency_ms: "42"
          gate:
            approval: true
            needs: smoke-test
        """

    @Test func fullExampleLoadsEveryField() throws {
        let workflow = try load(Self.fullExample, file: "release.yaml")
        #expect(workflow.name == "release-api")
        #expect(workflow.description == "Build, approve and roll out the API service.")
        #expect(workflow.concurrency == 4)
        #expect(workflow.onFailure == .rollback)
        #expect(workflow.env == ["SERVICE": "api", "PORT": "8080"])
        #expect(workflow.secrets == ["DEPLOY_TOKEN"])
        #expect(workflow.stepIDs == ["build", "unit-tests", "lint", "approve", "migrate", "deploy", "smoke-test", "gate"])

        let build = try #require(workflow["build"])
        #expect(build.name == "Build the image")
        #expect(build.run == "./scripts/build.sh")
        #expect(build.timeout == .seconds(600))
        #expect(build.notes == "Builds and pushes the image.")
        #expect(build.location == BatonEngine.SourceLocation(line: 12, column: 3))

        #expect(workflow["unit-tests"]?.needs == ["build"])
        #expect(workflow["unit-tests"]?.retry == RetryPolicy(attempts: 2))
        #expect(workflow["lint"]?.continueOnError == true)
        #expect(workflow["build"]?.continueOnError == false)

        let approve = try #require(workflow["approve"])
        #expect(approve.approval == ApprovalGate(prompt: "Release to production?", approvers: ["alice", "bob"]))
        #expect(approve.needs == ["unit-tests", "lint"])
        #expect(approve.isPureGate)

        let migrate = try #require(workflow["migrate"])
        #expect(migrate.rollback == "./scripts/migrate.sh --down")
        #expect(migrate.when?.source == "steps.build.outputs.schema_changed == 'true'")
        #expect(migrate.when?.expression == .equal(.output(step: "build", key: "schema_changed"), .literal("true")))
        #expect(migrate.retry == RetryPolicy(attempts: 3, backoff: .seconds(5), maxBackoff: .seconds(30)))

        let deploy = try #require(workflow["deploy"])
        #expect(deploy.run == "./scripts/deploy.sh \"$STEPS_BUILD_OUTPUTS_IMAGE\"")
        #expect(deploy.dir == "deploy")
        #expect(deploy.env == ["REGION": "eu-west-2"])

        let smoke = try #require(workflow["smoke-test"])
        #expect(smoke.run == nil)
        #expect(smoke.simulate == Simulation(
            duration: .milliseconds(1500), exitCodes: [1, 0], output: ["checking /health", "stderr: slow"],
            outputs: ["latency_ms": "42"]
        ))
        #expect(workflow["gate"]?.approval == ApprovalGate())
    }

    @Test func theDocumentedExampleLoads() throws {
        let docs = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/workflow-format.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let start = try #require(text.range(of: "## A full example"))
        let body = text[start.upperBound...]
        let open = try #require(body.range(of: "```yaml\n"))
        let close = try #require(body[open.upperBound...].range(of: "```"))
        let workflow = try load(String(body[open.upperBound..<close.lowerBound]), file: "docs-example.yaml")
        #expect(workflow.name == "release-api")
        #expect(workflow.steps.count == 8)
    }

    @Test func keepsFileOrderOfManySteps() throws {
        let ids = (0..<200).map { "s\((($0 * 7919) % 200))" }
        let yaml = "steps:\n" + ids.map { "  \($0): {run: x}\n" }.joined()
        #expect(try load(yaml).stepIDs == ids)
    }

    @Test func nameDefaultsToTheFileNameWithoutExtension() throws {
        let yaml = "steps:\n  a: {run: x}\n"
        #expect(try load(yaml, file: "flows/deploy.prod.yaml").name == "deploy.prod")
        #expect(try load(yaml, file: "nightly.yml").name == "nightly")
        #expect(try load(yaml, file: "Makefile").name == "Makefile")
        #expect(try load(yaml, file: "-").name == "workflow")
    }

    @Test func shortFormsAndDefaults() throws {
        let workflow = try load("""
            steps:
              a:
                run: x
                retry: 4
                needs:
              b:
                needs: a
                approval: false
                run: y
              c:
                simulate:
                  exit_code: 3
              d:
                run: z
                retry: {attempts: 2}
                approval: {approvers: carol}
            """)
        #expect(workflow.onFailure == .wait)
        #expect(workflow.concurrency == nil)
        #expect(workflow["a"]?.retry == RetryPolicy(attempts: 4, backoff: .seconds(1)))
        #expect(workflow["a"]?.needs == [])
        #expect(workflow["b"]?.needs == ["a"])
        #expect(workflow["b"]?.approval == nil)
        #expect(workflow["c"]?.simulate == Simulation(exitCodes: [3]))
        #expect(workflow["d"]?.retry == RetryPolicy(attempts: 2, backoff: .seconds(1), maxBackoff: nil))
        #expect(workflow["d"]?.approval?.approvers == ["carol"])
    }

    @Test func repeatedNeedsAreKeptOnce() throws {
        let workflow = try load("steps:\n  a: {run: x}\n  b: {run: y, needs: [a, a]}\n")
        #expect(workflow["b"]?.needs == ["a"])
    }

    @Test func acceptsAByteOrderMarkAndCRLF() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("steps:\r\n  a:\r\n    run: x\r\n    bogus: 1\r\n".utf8)
        do {
            _ = try WorkflowLoader.load(data: bytes, file: "crlf.yaml")
            Issue.record("expected a problem")
        } catch {
            expectProblem(error.problems, at: 4, 5, "unknown key 'bogus'")
        }
    }

    // MARK: The document

    @Test func emptyFiles() {
        #expect(problems("").map(\.description) == ["wf.yaml:1:1: file is empty"])
        expectProblem(problems("# nothing here\n\n"), at: 1, 1, "file is empty")
        expectProblem(problems("---\n"), at: 1, 1, "file is empty")
    }

    @Test func noSteps() {
        expectProblem(problems("name: demo\n"), at: 1, 1, "no steps: add a 'steps:' mapping with at least one step")
        expectProblem(problems("name: demo\nsteps: {}\n"), at: 2, 8, "no steps")
        expectProblem(problems("name: demo\nsteps:\n"), at: 2, 7, "no steps")
    }

    @Test func rootMustBeAMapping() {
        expectProblem(problems("- run: x\n"), at: 1, 1, "the file must be a mapping with keys such as 'name' and 'steps', not a list")
        expectProblem(problems("just text\n"), at: 1, 1, "not 'just text'")
    }

    @Test func stepsMustBeAMapping() {
        expectProblem(problems("steps:\n  - run: x\n"), at: 2, 3, "'steps' must be a mapping from step id to step, not a list")
        expectProblem(problems("steps: build\n"), at: 1, 8, "'steps' must be a mapping from step id to step, not 'build'")
    }

    @Test func yamlSyntaxErrors() {
        let unclosed = problems("steps:\n  a:\n    run: [x, y\n  b:\n    run: z\n")
        #expect(unclosed.count == 1)
        expectProblem(unclosed, at: 4, 4, "YAML syntax error: did not find expected ',' or ']'")
        expectProblem(problems("steps:\n  a:\n    run: x\n   bad indent: y\n"), at: 4, 4, "YAML syntax error")
        expectProblem(problems("steps:\n  a: {run: x}\n---\nsteps: {}\n"), at: 3, 1, "more than one YAML document")
    }

    // MARK: Keys

    @Test func unknownKeysEverywhereWithHints() {
        let found = problems("""
            nmae: demo
            steps:
              a:
                need: [b]
                run: x
                retry: {attempts: 2, backof: 1s}
                approval: {promt: ok}
                simulate: {exit_code: 0, output: [x], outptus: {k: v}}
              b: {run: y}
            """)
        expectProblem(found, at: 1, 1, "unknown key 'nmae' at the top level; did you mean 'name'?")
        expectProblem(found, at: 4, 5, "unknown key 'need' in step 'a'; did you mean 'needs'?")
        expectProblem(found, at: 6, 26, "unknown key 'backof' in the retry of step 'a'; did you mean 'backoff'?")
        expectProblem(found, at: 7, 16, "unknown key 'promt' in the approval of step 'a'; did you mean 'prompt'?")
        expectProblem(found, at: 8, 43, "unknown key 'outptus' in the simulation of step 'a'; did you mean 'outputs'?")
        #expect(found.count == 5)
    }

    @Test func unknownKeyWithoutACloseMatchListsTheAllowedKeys() {
        expectProblem(
            problems("steps:\n  a:\n    run: x\n    frobnicate: 1\n"), at: 4, 5,
            "unknown key 'frobnicate' in step 'a'; allowed keys are 'name', 'run', 'needs'"
        )
    }

    @Test func duplicateStepIDsAreReportedAtTheRepeatAndOtherProblemsStillShow() {
        let found = problems("""
            steps:
              build:
                run: make
              test:
                run: make test
              build:
                run: make again
              deploy:
                run: ./deploy
                needs: [tset]
            """)
        expectProblem(found, at: 6, 3, "duplicate step id 'build'; it is first defined at line 2, column 3")
        expectProblem(found, at: 10, 13, "step 'deploy' needs 'tset', which is not a step in this workflow; did you mean 'test'?")
        #expect(found.count == 2)
    }

    @Test func everyRepeatOfAKeyIsReported() {
        let found = problems("steps:\n  a: {run: x}\n  'a': {run: y}\n  \"a\": {run: z}\n")
        #expect(found.map(\.location) == [.init(line: 3, column: 3), .init(line: 4, column: 3)])
        #expect(found.allSatisfy { $0.message.hasPrefix("duplicate step id 'a'") })
    }

    @Test func duplicateKeysInsideAStepAndInNestedMappings() {
        let found = problems("""
            env: {A: 1, B: 2, A: 3}
            steps:
              a:
                run: x
                timeout: 5s
                run: y
                simulate: {outputs: {k: 1, k: 2}}
            """)
        expectProblem(found, at: 1, 19, "duplicate key 'A'; it is first defined at line 1, column 7")
        expectProblem(found, at: 6, 5, "duplicate key 'run'; it is first defined at line 4, column 5")
        expectProblem(found, at: 7, 32, "duplicate key 'k'")
        #expect(found.count == 3)
    }

    @Test func simulatedOutputsTakeTheNamesAStepCanWrite() throws {
        let workflow = try load("""
            steps:
              a:
                simulate:
                  outputs: {image.tag: v1, my-key: x, notes: "one\\ntwo"}
            """)
        #expect(workflow["a"]?.simulate?.outputs == ["image.tag": "v1", "my-key": "x", "notes": "one\ntwo"])
        let found = problems("""
            steps:
              a:
                simulate:
                  outputs:
                    my-key: 1
                    9lives: 2
                    my_key: 3
                    Version: 4
                    version: 5
            """)
        expectProblem(found, at: 6, 9, "output names in 'simulate.outputs' in step 'a' must start with a letter or '_' and hold only letters, digits, '_', '-' and '.'")
        expectProblem(found, at: 7, 9, "output 'my_key' in 'simulate.outputs' in step 'a' would be the same variable as 'my-key' (line 5), $STEPS_A_OUTPUTS_MY_KEY; rename one")
        expectProblem(found, at: 9, 9, "output 'version' in 'simulate.outputs' in step 'a' would be the same variable as 'Version' (line 8), $STEPS_A_OUTPUTS_VERSION; rename one")
        #expect(found.count == 3)
    }

    // MARK: Types and values

    @Test func wrongTypes() {
        let found = problems("""
            concurrency: four
            env: [A, B]
            secrets: TOKEN
            steps:
              a:
                run: [make, test]
                needs: {b: true}
                continue_on_error: maybe
                approval: yes
                simulate: [1]
                retry: [3]
                when: {x: 1}
              b: {run: x, env: {GOOD: 1, bad-name: 2, NESTED: [1]}, dir: {}}
            """)
        expectProblem(found, at: 1, 14, "'concurrency' must be a whole number of 1 or more, not 'four'")
        expectProblem(found, at: 2, 6, "'env' must be a mapping of variable names to values, not a list")
        expectProblem(found, at: 3, 10, "'secrets' must be a list of environment variable names, not 'TOKEN'")
        expectProblem(found, at: 6, 10, "'run' in step 'a' must be a string, not a list")
        expectProblem(found, at: 7, 12, "'needs' in step 'a' must be a list of step ids, not a mapping")
        expectProblem(found, at: 8, 24, "'continue_on_error' in step 'a' must be true or false, not 'maybe'")
        expectProblem(found, at: 9, 15, "'approval' in step 'a' must be true or false, not 'yes'")
        expectProblem(found, at: 10, 15, "'simulate' in step 'a' must be a mapping")
        expectProblem(found, at: 11, 12, "'retry' in step 'a' must be a number of attempts or a mapping")
        expectProblem(found, at: 12, 11, "'when' in step 'a' must be a string, not a mapping")
        expectProblem(found, at: 13, 30, "'bad-name' in 'env' in step 'b' is not a valid variable name")
        expectProblem(found, at: 13, 51, "'NESTED' in 'env' in step 'b' must be a string, not a list")
        expectProblem(found, at: 13, 62, "'dir' in step 'b' must be a string, not a mapping")
        #expect(found.count == 13)
    }

    @Test func stepValueMustBeAMapping() {
        expectProblem(problems("steps:\n  a: make test\n"), at: 2, 6, "step 'a' must be a mapping of keys such as 'run' and 'needs', not 'make test'; write `run: make test`")
        expectProblem(problems("steps:\n  a: [x]\n"), at: 2, 6, "step 'a' must be a mapping")
    }

    @Test func stepWithNothingToDo() {
        let found = problems("steps:\n  a:\n    name: Idle\n  b:\n  c:\n    approval: false\n  d:\n    run:\n")
        let message = "has nothing to do: give it `run`, `simulate`, `approval` or `uses`"
        #expect(found.map(\.description) == [
            "wf.yaml:2:3: step 'a' \(message)",
            "wf.yaml:4:3: step 'b' \(message)",
            "wf.yaml:5:3: step 'c' \(message)",
            "wf.yaml:7:3: step 'd' \(message)",
        ])
    }

    @Test func invalidStepIDs() {
        let longID = String(repeating: "x", count: 65)
        let okID = String(repeating: "y", count: 64)
        let found = problems("steps:\n  deploy prod: {run: x}\n  \(longID): {run: x}\n  \(okID): {run: x}\n  café: {run: x}\n")
        expectProblem(found, at: 2, 3, "step id 'deploy prod' may only contain letters, digits, '_' and '-'")
        expectProblem(found, at: 3, 3, "is 65 characters long; the limit is 64")
        expectProblem(found, at: 5, 3, "step id 'café' may only contain")
        #expect(found.count == 3)
    }

    @Test func invalidSecretAndVariableNames() {
        let found = problems("secrets: [TOKEN, 1BAD, has-dash]\nenv: {9LIVES: x}\nsteps:\n  a: {run: x}\n")
        expectProblem(found, at: 1, 18, "'1BAD' in 'secrets' is not a valid variable name")
        expectProblem(found, at: 1, 24, "'has-dash' in 'secrets' is not a valid variable name")
        expectProblem(found, at: 2, 7, "'9LIVES' in 'env' is not a valid variable name")
    }

    @Test func onFailureValues() throws {
        expectProblem(problems("on_failure: rollbak\nsteps:\n  a: {run: x}\n"), at: 1, 13, "'on_failure' must be one of wait, rollback, stop, not 'rollbak'; did you mean 'rollback'?")
        #expect(try load("on_failure: stop\nsteps:\n  a: {run: x}\n").onFailure == .stop)
    }

    @Test func badDurations() {
        let found = problems("""
            steps:
              a:
                run: x
                timeout: 5 minutes
                retry: {attempts: 2, backoff: -5s, max_backoff: 30}
              b:
                run: y
                timeout: 0s
                simulate: {duration: 1.5 s}
            """)
        expectProblem(found, at: 4, 14, "'timeout' in step 'a': '5 minutes' is not a duration; write e.g. 500ms, 30s, 5m, 1h")
        expectProblem(found, at: 5, 35, "'retry.backoff' in step 'a' cannot be negative: '-5s'")
        expectProblem(found, at: 5, 53, "'retry.max_backoff' in step 'a': '30' is not a duration")
        expectProblem(found, at: 8, 14, "'timeout' in step 'b' must be longer than zero")
        expectProblem(found, at: 9, 26, "'simulate.duration' in step 'b': '1.5 s' is not a duration")
        #expect(found.count == 5)
    }

    @Test func negativeAndOutOfRangeNumbers() {
        let found = problems("""
            concurrency: -2
            steps:
              a:
                run: x
                retry: -1
              b:
                run: y
                retry: {attempts: 0}
                simulate: {exit_codes: [0, -1, 256, 1]}
              c:
                simulate: {exit_code: 99999999999999999999999}
            """)
        expectProblem(found, at: 1, 14, "'concurrency' must be a whole number of 1 or more; '-2' is negative")
        expectProblem(found, at: 5, 12, "'retry' in step 'a' must be a whole number of 1 or more; '-1' is negative")
        expectProblem(found, at: 8, 23, "'retry.attempts' in step 'b' must be a whole number of 1 or more, not '0'")
        expectProblem(found, at: 9, 32, "'simulate.exit_codes' in step 'b' must be an exit code from 0 to 255; '-1' is negative")
        expectProblem(found, at: 9, 36, "'simulate.exit_codes' in step 'b' must be an exit code from 0 to 255, not '256'")
        expectProblem(found, at: 11, 27, "'simulate.exit_code' in step 'c' must be an exit code from 0 to 255, not '99999999999999999999999'")
        #expect(found.count == 6)
    }

    @Test func retryMappingNeedsAttemptsAndExitCodesComeOnce() {
        let found = problems("steps:\n  a:\n    run: x\n    retry: {backoff: 2s}\n    simulate:\n      exit_code: 1\n      exit_codes: [1]\n")
        expectProblem(found, at: 4, 12, "'retry' in step 'a' has no 'attempts'")
        expectProblem(found, at: 7, 7, "use either 'exit_code' or 'exit_codes'")
    }

    // MARK: Dependencies

    @Test func unknownAndSelfNeeds() {
        let found = problems("""
            steps:
              build: {run: x}
              test:
                run: y
                needs: [biuld, test, nowhere]
            """)
        expectProblem(found, at: 5, 13, "step 'test' needs 'biuld', which is not a step in this workflow; did you mean 'build'?")
        expectProblem(found, at: 5, 20, "step 'test' needs itself")
        let nowhere = found.first { $0.message.contains("'nowhere'") }
        #expect(nowhere?.message == "step 'test' needs 'nowhere', which is not a step in this workflow")
        #expect(found.count == 3)
    }

    @Test func cycleIsPrintedAsAPathFromItsFirstStep() {
        let found = problems("""
            steps:
              a: {run: x, needs: [c]}
              b: {run: x, needs: [a]}
              c: {run: x, needs: [b]}
              d: {run: x, needs: [c]}
            """)
        #expect(found.map(\.description) == ["wf.yaml:2:23: dependency cycle: a → c → b → a"])
    }

    @Test func eachDistinctCycleIsReportedOnce() {
        let found = problems("""
            steps:
              a: {run: x, needs: [b]}
              b: {run: x, needs: [a]}
              c: {run: x, needs: [d, a]}
              d: {run: x, needs: [e]}
              e: {run: x, needs: [c]}
            """)
        #expect(found.map(\.message) == ["dependency cycle: a → b → a", "dependency cycle: c → d → e → c"])
        #expect(found.map(\.location) == [.init(line: 2, column: 23), .init(line: 4, column: 23)])
    }

    @Test func longCyclesAreShortenedInTheMiddle() {
        let ids = (0..<30).map { "s\($0)" }
        #expect(DependencyValidator.cycleText(["a", "b"]) == "a → b → a")
        let text = DependencyValidator.cycleText(ids)
        #expect(text.hasPrefix("s0 → s1 → "))
        #expect(text.contains("s11 → … 7 more … → s19"))
        #expect(text.hasSuffix("s29 → s0"))
    }

    @Test func longChainsNeitherOverflowNorSlowDown() throws {
        let count = 5_000
        var chain = "steps:\n  s0: {run: x}\n"
        for index in 1..<count { chain += "  s\(index): {run: x, needs: [s\(index - 1)]}\n" }
        #expect(try load(chain).steps.count == count)

        let cyclic = chain.replacingOccurrences(of: "s0: {run: x}", with: "s0: {run: x, needs: [s\(count - 1)]}")
        let found = problems(cyclic)
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("dependency cycle: s0 → s4999 → s4998") == true)
    }

    @Test func whenMayOnlyReadNeededSteps() {
        let found = problems("""
            steps:
              check: {run: x}
              other: {run: x}
              deploy:
                run: y
                needs: [check]
                when: steps.check.outputs.ok == 'true' && steps.other.state == 'succeeded' || steps.chek.state
              self:
                run: z
                when: steps.self.state == 'x'
            """)
        expectProblem(found, at: 7, 47, "when: reads step 'other', which 'deploy' does not need; add it to needs")
        expectProblem(found, at: 7, 83, "when: reads step 'chek', which is not a step in this workflow; did you mean 'check'?")
        expectProblem(found, at: 10, 11, "when: reads step 'self' itself")
        #expect(found.count == 3)
    }

    @Test func whenSyntaxErrorsPointAtTheCharacter() {
        let found = problems("""
            steps:
              a: {run: x}
              b:
                run: y
                needs: a
                when: (steps.a.state == 'succeeded'
              c:
                run: y
                needs: a
                when: "steps.a.outputs.k = 'v'"
              d:
                run: y
                needs: a
                when: >-
                  steps.a.foo
            """)
        expectProblem(found, at: 6, 40, "'when' in step 'b' does not parse: expected a closing ')'")
        expectProblem(found, at: 10, 30, "'when' in step 'c' does not parse: expected '==' to compare")
        expectProblem(found, at: 15, 7, "'when' in step 'd' does not parse: unknown reference 'steps.a.foo'")
        #expect(found.count == 3)
    }

    @Test func whenStartingWithAnExclamationMarkMustBeQuoted() throws {
        expectProblem(
            problems("steps:\n  a: {run: x}\n  b:\n    run: y\n    needs: a\n    when: !steps.a.outputs.k\n"),
            at: 6, 11, "which YAML reads as a tag; put the whole value in quotes"
        )
        let quoted = try load("steps:\n  a: {run: x}\n  b:\n    run: y\n    needs: a\n    when: \"!steps.a.outputs.k\"\n")
        #expect(quoted["b"]?.when?.expression == .not(.output(step: "a", key: "k")))
    }

    // MARK: Bytes and size

    @Test func binaryFilesAreRefusedWithThePositionOfTheByte() {
        func loadError(_ bytes: [UInt8]) -> [String] {
            do {
                _ = try WorkflowLoader.load(data: bytes, file: "f.bin")
                return []
            } catch {
                return error.problems.map(\.description)
            }
        }
        #expect(loadError(Array("steps:\n  a".utf8) + [0x00, 0x01]) == ["f.bin:2:4: not a text file: byte 0x00 at line 2, column 4"])
        #expect(loadError(Array("ab\u{7}".utf8)) == ["f.bin:1:3: not a text file: byte 0x07 at line 1, column 3"])
        #expect(loadError(Array("é\r\né".utf8) + [0xC3, 0x28]) == ["f.bin:2:2: not valid UTF-8 at line 2, column 2"])
        #expect(loadError([0xED, 0xA0, 0x80]) == ["f.bin:1:1: not valid UTF-8 at line 1, column 1"])
        #expect(loadError([0xC0, 0xAF]) == ["f.bin:1:1: not valid UTF-8 at line 1, column 1"])
        #expect(loadError(Array("x: \u{81}".utf8)) == ["f.bin:1:4: not a text file: character U+0081 at line 1, column 4"])
        #expect(loadError([0xFF, 0xFE, 0x73, 0x00]) == ["f.bin:1:1: not valid UTF-8 at line 1, column 1"])
    }

    @Test func controlCharactersInStringsAreRefusedToo() {
        expectProblem(problems("name: a\u{1B}b\nsteps:\n  a: {run: x}\n"), at: 1, 8, "not a text file: byte 0x1B at line 1, column 8")
    }

    @Test func oversizedInputIsRefusedBeforeReading() {
        let bytes = [UInt8](repeating: 0x20, count: WorkflowLoader.maximumFileSize + 1)
        do {
            _ = try WorkflowLoader.load(data: bytes, file: "big.yaml")
            Issue.record("expected a problem")
        } catch {
            #expect(error.description == "big.yaml:1:1: file is 16777217 bytes; the limit is 16 MiB")
        }
        #expect(WorkflowLoader.maximumFileSize == 16 * 1024 * 1024)
    }

    @Test func loadsFilesFromDisk() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-loader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("nightly.yaml")
        try Data("steps:\n  a: {run: x}\n".utf8).write(to: good)
        let workflow = try WorkflowLoader.load(contentsOf: good.path)
        #expect(workflow.name == "nightly")

        let bad = directory.appendingPathComponent("bad.yaml")
        try Data("steps:\n  a: {rnu: x}\n".utf8).write(to: bad)
        do {
            _ = try WorkflowLoader.load(contentsOf: bad.path)
            Issue.record("expected a problem")
        } catch {
            #expect(error.problems.map(\.description).contains("\(bad.path):2:7: unknown key 'rnu' in step 'a'; did you mean 'run'?"))
        }

        let missing = directory.appendingPathComponent("missing.yaml").path
        do {
            _ = try WorkflowLoader.load(contentsOf: missing)
            Issue.record("expected a problem")
        } catch {
            #expect(error.problems.map(\.message) == ["cannot read the file: no such file"])
        }
        do {
            _ = try WorkflowLoader.load(contentsOf: directory.path)
            Issue.record("expected a problem")
        } catch {
            #expect(error.problems.map(\.message) == ["cannot read the file: it is a directory"])
        }
    }

    // MARK: Hostile input

    @Test func deepNestingIsAProblemNotACrash() {
        let deep = "steps:\n  a:\n    run: " + String(repeating: "[", count: 900) + String(repeating: "]", count: 900) + "\n"
        let found = problems(deep)
        expectProblem(found, at: 3, 10, "'run' in step 'a' must be a string, not a list")
        expectProblem(found, at: 3, 71, "nesting is too deep: more than 64 levels")

        let deeper = "steps:\n  a:\n    run: " + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + "\n"
        #expect(problems(deeper).first?.message == "YAML syntax error: nesting is too deep")
    }

    @Test func deepNestingIsSafeOnASmallStack() async {
        // 990 levels take more than 512 KiB of stack to compose; the loader must use its own thread.
        let deep = "steps:\n  a:\n    run: " + String(repeating: "{a: ", count: 990) + "x" + String(repeating: "}", count: 990) + "\n"
        let count = await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: problems(deep).count) }
            thread.stackSize = 512 * 1024
            thread.start()
        }
        #expect(count == 2)
    }

    @Test func aliasBombsAreStopped() {
        var yaml = "x0: &a0 [y, y, y, y, y, y, y, y, y, y]\n"
        for level in 1...7 {
            yaml += "x\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        yaml += "steps:\n  a: {run: x, needs: *a7}\n"
        let found = problems(yaml)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("once its aliases are expanded") == true)
    }

    /// The problems of `yaml`, found on a thread of its own: a slow load would hold a thread of
    /// the shared pool and stall the timing-sensitive tests that run meanwhile.
    private func problemsOffThePool(_ yaml: String) async -> [SourceProblem] {
        await WorkflowFuzzTests.offThePool { () -> [SourceProblem] in
            do throws(WorkflowLoadError) {
                _ = try WorkflowLoader.load(yaml: yaml, file: "wf.yaml")
                return []
            } catch {
                return error.problems
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aliasChainsAreMeasuredBeforeTheyAreComposed() async {
        // Each anchor holds an alias of the one before, so the tree nests 100,000 deep. Used
        // as a key, Yams hashed it recursively while composing and overflowed the stack.
        let links = String(repeating: "&a [*a], ", count: 100_000)
        let found = await problemsOffThePool("chain: [&a [x], \(links)]\n? *a\n: v\nsteps:\n  a: {run: x}\n")
        #expect(found.map(\.description) == ["wf.yaml:1:8990: nesting is too deep: more than 64 levels"])

        // Released recursively, a chain this long overflowed the loader's stack even as a value.
        let longer = String(repeating: "&a [*a], ", count: 500_000)
        #expect(await problemsOffThePool("chain: [&a [x], \(longer)]\nsteps:\n  a: {run: x}\n").map(\.message) == ["nesting is too deep: more than 64 levels"])
        // A syntax error after a long chain is reported before Yams builds any of it.
        let chain = String(repeating: "&a [*a], ", count: 10_000)
        #expect(await problemsOffThePool("chain: [&a [x], \(chain)\nsteps: {\n").map(\.message).first?.hasPrefix("YAML syntax error") == true)

        // A chain within the limit is composed and left to the usual checks.
        let short = String(repeating: "&a [*a], ", count: 10)
        #expect(problems("chain: [&a [x], \(short)]\nsteps:\n  a: {run: x, needs: *a}\n").map(\.message) == [
            "unknown key 'chain' at the top level; allowed keys are 'name', 'description', 'concurrency', 'env', 'secrets', 'on_failure', 'self_approval', 'access', 'params', 'timeout', 'notify', 'outputs', 'steps', 'finally', 'hosts', 'groups', 'ssh_config'",
            "each entry of 'needs' in step 'a' must be a string, not a list",
        ])
    }

    @Test(.timeLimit(.minutes(1)))
    func aliasBombsUsedAsKeysAreStoppedBeforeYamsHashesThem() async {
        var yaml = "x0: &a0 [y, y, y, y, y, y, y, y, y, y]\n"
        for level in 1...8 {
            yaml += "x\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        // Yams hashes every key it composes: a billion values took minutes.
        let found = await problemsOffThePool(yaml + "? *a8\n: v\nsteps:\n  a: {run: x}\n")
        #expect(found.count == 1)
        #expect(found.first?.location == BatonEngine.SourceLocation(line: 1, column: 1))
        #expect(found.first?.message.contains("once its aliases are expanded") == true)
    }

    @Test func anchorsAndAliasesStillWorkAndResolveInFileOrder() throws {
        let workflow = try load("""
            env: &common
              REGION: eu
            steps:
              a: {run: x, env: *common}
              b: {run: x, env: &v {ONE: "1"}}
              c: {run: x, env: *v}
              d: {run: x, env: &v {TWO: "2", LIST: "*v"}}
              e: {run: x, env: *v, needs: [a, *b]}
            """.replacingOccurrences(of: "*b]", with: "b]"))
        #expect(workflow["a"]?.env == ["REGION": "eu"])
        #expect(workflow["c"]?.env == ["ONE": "1"])
        #expect(workflow["e"]?.env == ["TWO": "2", "LIST": "*v"])
    }

    @Test func repeatedKeysInALargeFileGiveUpSooner() async {
        // Every repeated key costs another pass over the whole text: a file of a little over
        // 1 MiB gets three more passes. Yams names the keys in sorted order: k0, k1, k10, k11.
        let big = "description: " + String(repeating: "d", count: 1 << 20) + "\nsteps:\n  a: {run: x}\n"
        let found = await problemsOffThePool(big + (0..<30).map { "k\($0): 1\nk\($0): 2\n" }.joined())
        #expect(found.map(\.description) == ["wf.yaml:26:1: duplicate key 'k11'"])
    }

    @Test(.timeLimit(.minutes(1)))
    func suggestionsForManyUnknownNamesStayWithinABudget() async {
        // Long ids that differ only in a few characters, with many unknown needs: every search
        // compares against every id, so the searches together have a budget.
        let prefix = String(repeating: "a", count: 50)
        var yaml = "steps:\n"
        for index in 0..<5_000 { yaml += "  \(index % 7)\(prefix)\(1_000_000_000 + index): {run: x}\n" }
        for index in 0..<120 { yaml += "  z\(index): {run: x, needs: [\(index % 7)\(prefix)\(1_000_000_000 + index)x]}\n" }
        let found = await problemsOffThePool(yaml)
        #expect(found.count == 120)
        let hinted = found.filter { $0.message.contains("did you mean") }
        let budget = DependencyValidator.maximumSuggestionComparisons / 5_120
        #expect(hinted.count == budget)
        #expect(found.prefix(budget).allSatisfy { $0.message.contains("did you mean") })
    }

    @Test func theBandedEditDistanceMatchesTheFullOne() {
        // The full table, for reference: insertions, deletions, substitutions and neighbour swaps.
        func reference(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
            var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in 0...a.count { table[i][0] = i }
            for j in 0...b.count { table[0][j] = j }
            for i in stride(from: 1, through: a.count, by: 1) {
                for j in stride(from: 1, through: b.count, by: 1) {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                        table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                    }
                }
            }
            return table[a.count][b.count]
        }
        var random = SplitMix64(seed: 7)
        let alphabet: [Unicode.Scalar] = ["a", "b", "c"]
        for _ in 0..<3_000 {
            let a = (0..<random.below(9)).map { _ in random.pick(alphabet) }
            let b = (0..<random.below(9)).map { _ in random.pick(alphabet) }
            let limit = random.below(4)
            let full = reference(a, b)
            #expect(Suggestion.editDistance(a, b, limit: limit) == (full <= limit ? full : nil), "\(a) \(b) limit \(limit)")
        }
    }

    @Test func problemsAtTheEndOfAFileWithoutALineBreakStayOnItsLastLine() {
        let found = problems("steps:\n  a: {run: x")
        #expect(found.count == 1)
        #expect(found.first?.location.line == 2, "\(found)")
        #expect(problems("steps:\n  a:\n    run: [x").first?.location.line == 3)
    }

    @Test(.timeLimit(.minutes(1)))
    func aNamedPipeWithoutAWriterReadsAsEmpty() throws {
        let path = NSTemporaryDirectory() + "baton-fifo-\(UUID().uuidString.prefix(8))"
        try #require(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        do {
            _ = try WorkflowLoader.load(contentsOf: path)
            Issue.record("expected a problem")
        } catch {
            #expect(error.problems.map(\.message) == ["file is empty"])
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aNamedPipeWhoseWriterStaysSilentIsGivenUpOnAfterTheWait() throws {
        let path = NSTemporaryDirectory() + "baton-fifo-\(UUID().uuidString.prefix(8))"
        try #require(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        // Opened for reading and writing, the pipe has a writer without waiting for a reader.
        let writer = open(path, O_RDWR | O_CLOEXEC)
        try #require(writer >= 0)
        defer { close(writer) }
        let half = Array("name: half".utf8)
        #expect(write(writer, half, half.count) == half.count)

        let started = ContinuousClock.now
        #expect(throws: BoundedFileReader.Failure.stalled(waited: .milliseconds(300), received: half.count)) {
            try BoundedFileReader.read(path, limit: 1 << 20, wait: .milliseconds(300))
        }
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(300) && waited < .seconds(20), "waited \(waited)")
        #expect(BoundedFileReader.describeStall(waited: .seconds(5), received: 0)
            == "gave up after waiting 5s for the pipe to end (nothing arrived): something holds it open for writing but neither writes the rest nor closes it")
    }

    @Test(.timeLimit(.minutes(1)))
    func aNamedPipeWrittenAndClosedWithinTheWaitIsReadWhole() async throws {
        let path = NSTemporaryDirectory() + "baton-fifo-\(UUID().uuidString.prefix(8))"
        try #require(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        let writer = open(path, O_RDWR | O_CLOEXEC)
        try #require(writer >= 0)
        // A second read end keeps what is written, should the writer be done and gone before the
        // reader opens the pipe (a pipe nobody has open drops its data).
        let keeper = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        try #require(keeper >= 0)
        defer { close(keeper) }
        let text = Array("name: piped\nsteps:\n  a:\n    run: 'true'\n".utf8)
        // The writer takes its time: the reader waits in poll for the rest and for the close.
        // It is a thread of its own: a task could wait for a pool thread for as long as the
        // read below holds one of them.
        let written = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            usleep(200_000)
            _ = write(writer, text, text.count)
            close(writer)
            written.signal()
        }
        let bytes = try BoundedFileReader.read(path, limit: 1 << 20, wait: .seconds(20))
        written.wait()
        #expect(bytes == text)
    }

    @Test func endlessDevicesAreTooLarge() {
        do {
            _ = try WorkflowLoader.load(contentsOf: "/dev/zero")
            Issue.record("expected a problem")
        } catch {
            #expect(error.problems.count == 1)
            #expect(error.problems.first?.message.hasSuffix("bytes; the limit is 16 MiB") == true)
        }
    }

    // MARK: Reporting

    @Test func manyProblemsFromOneFileComeInFileOrder() {
        let found = problems("""
            name: demo
            concurency: 3
            steps:
              build:
                run: make
                timeout: soon
              test:
                needs: [build, deploy]
                run: make test
              deploy:
                needs: [test]
                run: ./deploy
                when: steps.build.state == 'succeeded'
            """)
        #expect(found.map(\.description) == [
            "wf.yaml:2:1: unknown key 'concurency' at the top level; did you mean 'concurrency'?",
            "wf.yaml:6:14: 'timeout' in step 'build': 'soon' is not a duration; write e.g. 500ms, 30s, 5m, 1h",
            "wf.yaml:8:20: dependency cycle: test → deploy → test",
            "wf.yaml:13:11: when: reads step 'build', which 'deploy' does not need; add it to needs",
        ])
    }

    @Test func problemAndErrorDescriptions() {
        let first = SourceProblem(file: "a.yaml", location: .init(line: 3, column: 7), message: "bad")
        let second = SourceProblem(file: "a.yaml", location: .init(line: 9, column: 1), message: "worse")
        #expect(first.description == "a.yaml:3:7: bad")
        #expect(WorkflowLoadError(problems: [first, second]).description == "a.yaml:3:7: bad\na.yaml:9:1: worse")
    }

    @Test func suggestionsAllowOneSwapOrTypoInShortWordsAndTwoInLongOnes() {
        #expect(Suggestion.closest(to: "tset", among: ["build", "test"]) == "test")
        #expect(Suggestion.closest(to: "rnu", among: ["run", "env"]) == "run")
        #expect(Suggestion.closest(to: "continue_on_eror", among: WorkflowFormat.step.names) == "continue_on_error")
        #expect(Suggestion.closest(to: "c", among: ["a", "b"]) == nil)
        #expect(Suggestion.closest(to: "xyz", among: ["run"]) == nil)
        #expect(Suggestion.closest(to: "deploy-prd", among: ["deploy-dev", "deploy-prod"]) == "deploy-prod")
    }
}
