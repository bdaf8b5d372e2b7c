import Foundation
import Testing
@testable import BatonEngine

/// Reusable workflows as they run: a called workflow's steps see its own parameters with the
/// `with:` values, read one another's outputs by the ids their file gives them, and hand the
/// caller only the outputs they declare; calls nest, fan out inside, and can be skipped whole.
@Suite struct ReusableWorkflowRunTests {
    typealias S = EngineTestSupport

    /// Runs the folder's `main.yaml` with `parameters` (`NAME=VALUE`) until it settles; its
    /// `env:` sets `$OUT` to the folder, for every step, called ones too.
    private func run(_ folder: WorkflowFolder, parameters: [String] = []) async throws -> (Engine, Settlement) {
        var definition = try folder.definition()
        definition.workflow.env["OUT"] = folder.path
        var configuration = EngineConfiguration(runID: "uses-\(UUID().uuidString.prefix(8))", user: "tester", syncJournal: false)
        configuration.parameters = try RunParameters.resolve(parameters, for: definition.workflow).get()
        let engine = try Engine(
            workflow: definition.workflow, workflowText: definition.text, calledFiles: definition.calledFiles,
            configuration: configuration)
        await engine.start()
        return (engine, try await S.settle(engine))
    }

    private func read(_ folder: WorkflowFolder, _ name: String) -> String? {
        try? String(contentsOfFile: "\(folder.path)/\(name)", encoding: .utf8)
    }

    @Test func calledStepsSeeTheirOwnParametersNotTheRuns() async throws {
        let folder = try WorkflowFolder([
            "main.yaml": """
                params:
                  target: {default: production}
                  region: {default: eu}
                steps:
                  top:
                    run: printf '%s|%s' "$PARAMS_TARGET" "$PARAMS_REGION" > "$OUT/top"
                  given:
                    uses: lib.yaml
                    with: {target: staging}
                  forwarded:
                    uses: lib.yaml
                    with: {target: "${{ params.target }}", other: written}
                """,
            "lib.yaml": """
                params:
                  target: {}
                  other: {default: d}
                steps:
                  show:
                    run: printf '%s|%s|%s' "$PARAMS_TARGET" "$PARAMS_OTHER" "${PARAMS_REGION-unset}" > "$OUT/$BATON_STEP"
                  only-staging:
                    when: params.target == 'staging' && params.other == 'd'
                    run: "true"
                  only-production:
                    when: params.target == 'production'
                    run: "true"
                """,
        ])
        let (engine, settlement) = try await run(folder, parameters: ["target=production"])
        #expect(settlement == .finished(.succeeded))
        #expect(read(folder, "top") == "production|eu", "the run's own steps see the run's parameters")
        #expect(read(folder, "given.show") == "staging|d|unset", "a called step sees its call's values and defaults, and nothing else")
        #expect(read(folder, "forwarded.show") == "production|written|unset")
        let state = await engine.state
        #expect(state["given.only-staging"]?.state == .succeeded)
        #expect(state["given.only-production"]?.state == .skipped)
        #expect(state["forwarded.only-staging"]?.state == .skipped)
        #expect(state["forwarded.only-production"]?.state == .succeeded)
    }

    @Test func declaredOutputsReachTheStepsAfterTheCallAndNothingElseCrosses() async throws {
        let folder = try WorkflowFolder([
            "main.yaml": """
                steps:
                  checkout:
                    run: echo "sha=abc" >> "$BATON_OUTPUT"
                  build:
                    uses: lib.yaml
                    needs: checkout
                    with: {sha: "${{ steps.checkout.outputs.sha }}"}
                  report:
                    needs: build
                    when: steps.build.outputs.version == '1.2-abc' && steps.build.succeeded == 2 && steps.build.count == 2
                    run: printf '%s|%s|%s' "$STEPS_BUILD_OUTPUTS_VERSION" "${STEPS_BUILD_PACK_OUTPUTS_VERSION-hidden}" "${STEPS_PACK_OUTPUTS_VERSION-hidden}" > "$OUT/report"
                """,
            "lib.yaml": """
                params:
                  sha: {}
                outputs:
                  version: steps.pack.outputs.version
                steps:
                  compile:
                    run: echo "x=1.2" >> "$BATON_OUTPUT"; printf '%s' "${STEPS_CHECKOUT_OUTPUTS_SHA-hidden}" > "$OUT/compile"
                  pack:
                    needs: compile
                    run: echo "version=$STEPS_COMPILE_OUTPUTS_X-$PARAMS_SHA" >> "$BATON_OUTPUT"
                """,
        ])
        let (engine, settlement) = try await run(folder)
        #expect(settlement == .finished(.succeeded))
        #expect(read(folder, "compile") == "hidden", "a called step does not see the caller's steps")
        #expect(read(folder, "report") == "1.2-abc|hidden|hidden", "only the declared output crosses the call")
        #expect(await engine.state["build.pack"]?.outputs == ["version": "1.2-abc"])
    }

    @Test func nestedCallsAndAFanOutInsideRunAndHandTheirOutputsUp() async throws {
        let folder = try WorkflowFolder([
            "main.yaml": """
                steps:
                  build:
                    uses: ci/build.yaml
                    with: {hosts: "a"}
                  after:
                    needs: build
                    when: steps.build.outputs.done == '3' && steps.build.count == 5
                    run: printf '%s' "$STEPS_BUILD_OUTPUTS_DONE" > "$OUT/after"
                """,
            "ci/build.yaml": """
                params:
                  hosts: {}
                outputs:
                  done: steps.deploy.outputs.count
                steps:
                  deploy:
                    uses: ../fleet.yaml
                    with: {label: "${{ params.hosts }}"}
                  tally:
                    needs: deploy
                    run: printf '%s' "$STEPS_DEPLOY_OUTPUTS_COUNT" > "$OUT/tally"
                """,
            "fleet.yaml": """
                params:
                  label: {}
                outputs:
                  count: steps.summary.outputs.count
                steps:
                  restart:
                    for_each: [one, two, three]
                    run: touch "$OUT/$PARAMS_LABEL-$BATON_ITEM"
                  summary:
                    needs: restart
                    when: steps.restart.succeeded == 3
                    run: echo "count=3" >> "$BATON_OUTPUT"
                """,
        ])
        let (engine, settlement) = try await run(folder)
        #expect(settlement == .finished(.succeeded))
        let state = await engine.state
        #expect(state.steps.map(\.id) == [
            "build.deploy.restart[one]", "build.deploy.restart[two]", "build.deploy.restart[three]", "build.deploy.summary",
            "build.tally", "after",
        ])
        #expect(state.steps.allSatisfy { $0.state == .succeeded })
        #expect(["a-one", "a-two", "a-three"].allSatisfy { FileManager.default.fileExists(atPath: "\(folder.path)/\($0)") })
        #expect(read(folder, "tally") == "3", "a nested call's output reaches its neighbours by the id their file gives it")
        #expect(read(folder, "after") == "3", "and passes up through the outer call's outputs")
    }

    @Test func aFalseWhenOnTheCallSkipsEveryCalledStep() async throws {
        let folder = try WorkflowFolder([
            "main.yaml": """
                params:
                  enabled: {type: bool, default: "false"}
                steps:
                  build:
                    uses: lib.yaml
                    when: params.enabled == 'true'
                  report:
                    needs: build
                    run: "true"
                """,
            "lib.yaml": "steps:\n  a:\n    run: touch \"$OUT/a\"\n  b:\n    needs: a\n    run: touch \"$OUT/b\"\n",
        ])
        let (engine, settlement) = try await run(folder)
        #expect(settlement == .finished(.succeeded))
        let state = await engine.state
        #expect(state["build.a"]?.state == .skipped && state["build.b"]?.state == .skipped, "the whole call is skipped, not only its first steps")
        #expect(state["report"]?.state == .succeeded)
        #expect(read(folder, "a") == nil && read(folder, "b") == nil)

        let (enabled, again) = try await run(folder, parameters: ["enabled=true"])
        #expect(again == .finished(.succeeded))
        #expect(await enabled.state["build.b"]?.state == .succeeded)
    }

    @Test func aFailureInsideACallBlocksWhatNeedsTheCallAndCanBeCounted() async throws {
        let folder = try WorkflowFolder([
            "main.yaml": """
                steps:
                  build:
                    uses: lib.yaml
                  report:
                    needs: build
                    run: "true"
                  page:
                    needs: build
                    when: failure() && steps.build.failed == 1
                    run: "true"
                """,
            "lib.yaml": "steps:\n  good:\n    run: \"true\"\n  bad:\n    run: exit 3\n",
        ])
        let (engine, settlement) = try await run(folder)
        guard case .needsOperator = settlement else {
            Issue.record("the run should wait for an operator, not \(settlement)")
            return
        }
        let state = await engine.state
        #expect(state["build.bad"]?.state == .failed)
        #expect(state["report"]?.state == .blocked)
        #expect(state["report"]?.reason == "upstream 'build.bad' failed")
        #expect(state["page"]?.state == .succeeded)
        _ = await engine.finish(outcome: .failed, reason: "test over")
    }

    @Test func aDynamicFanOutInsideACallReadsItsOwnFilesStep() async throws {
        let folder = try WorkflowFolder([
            "main.yaml": """
                steps:
                  build:
                    uses: lib.yaml
                  after:
                    needs: [build]
                    run: "true"
                """,
            "lib.yaml": """
                steps:
                  list:
                    run: |
                      echo 'hosts=["a","b"]' >> "$BATON_OUTPUT"
                  deploy:
                    for_each: ${{ steps.list.outputs.hosts }}
                    run: echo "$BATON_ITEM" > "$OUT/deploy-$BATON_ITEM"
                """,
        ])
        let (engine, settlement) = try await run(folder)
        let steps = await engine.state.steps.map { "\($0.id) \($0.state) \($0.reason ?? "")" }
        #expect(settlement == .finished(.succeeded), "\(steps)")
        #expect(await engine.workflow["build.deploy"]?.fanOutSource == FanOutSource(step: "build.list", key: "hosts"))
        #expect(read(folder, "deploy-a") == "a\n" && read(folder, "deploy-b") == "b\n")
        #expect(await engine.state["build.deploy[b]"]?.state == .succeeded)
        let refused = try WorkflowFolder([
            "main.yaml": "steps:\n  build:\n    uses: lib.yaml\n  deploy:\n    needs: [build]\n    for_each: ${{ steps.build.outputs.hosts }}\n    run: \"true\"\n",
            "lib.yaml": "steps:\n  list:\n    run: \"true\"\noutputs:\n  hosts: steps.list.outputs.hosts\n",
        ])
        #expect(refused.problems().contains { $0.contains("reads the output of 'build', which calls another workflow") }, "\(refused.problems())")
    }

}
