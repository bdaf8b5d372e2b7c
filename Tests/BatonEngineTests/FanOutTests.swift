import Foundation
import Testing
@testable import BatonEngine

/// Fan-out: `matrix:` and `for_each:` make one real step per instance; a step that needs the
/// group needs them all; `max_parallel`, `fail_fast`, `max_failures` and rolling `batch:`
/// decide when instances start.
@Suite struct FanOutTests {
    private func load(_ yaml: String) throws -> Workflow {
        try WorkflowLoader.load(yaml: yaml, file: "wf.yaml")
    }

    private func problems(_ yaml: String) -> [String] { EngineTestSupport.loadProblems(yaml) }

    @Test func aMatrixMakesOneStepPerCombinationWithItsValues() throws {
        let workflow = try load("""
            name: m
            steps:
              build:
                run: make
              deploy:
                needs: [build]
                matrix:
                  region: [us, eu]
                  tier: [web, api]
                  exclude:
                    - {region: eu, tier: api}
                  include:
                    - {region: ap, tier: web}
                    - {region: us, tier: web}
                run: deploy "$MATRIX_REGION" "$MATRIX_TIER"
                rollback: undo "$MATRIX_REGION"
              verify:
                needs: [deploy]
                run: check
            """)
        #expect(workflow.stepIDs == ["build", "deploy[us,web]", "deploy[us,api]", "deploy[eu,web]", "deploy[ap,web]", "verify"])
        let instance = try #require(workflow["deploy[eu,web]"])
        #expect(instance.env == ["MATRIX_REGION": "eu", "MATRIX_TIER": "web"])
        #expect(instance.needs == ["build"] && instance.rollback == "undo \"$MATRIX_REGION\"" && instance.group == "deploy")
        #expect(workflow["verify"]?.needs == ["deploy[us,web]", "deploy[us,api]", "deploy[eu,web]", "deploy[ap,web]"], "a step that needs the group needs every instance")
        #expect(workflow.groups == [StepGroup(id: "deploy", instances: ["deploy[us,web]", "deploy[us,api]", "deploy[eu,web]", "deploy[ap,web]"])])
    }

    @Test func forEachMakesOneStepPerItemWithThePolicy() throws {
        let workflow = try load("""
            name: f
            steps:
              restart:
                for_each: [web1, web2, "admin@db:5432"]
                run: ./restart-app.sh "$BATON_ITEM"
                max_parallel: 2
                batch: 34%
              report:
                needs: [restart]
                run: echo done
            """)
        #expect(workflow.stepIDs == ["restart[web1]", "restart[web2]", "restart[admin@db:5432]", "report"])
        #expect(workflow["restart[web2]"]?.env == ["BATON_ITEM": "web2"])
        let group = try #require(workflow.groups.first)
        #expect(group.maxParallel == 2 && group.batch == .percent(34) && group.batchSize == 2)
        #expect(group.maxFailures == 0, "a rolling batch stops at the first failure unless max_failures says otherwise")
        let failFast = try load("name: f\nsteps:\n  a:\n    for_each: [x, y]\n    run: \"true\"\n    fail_fast: true\n")
        #expect(failFast.groups.first?.maxFailures == 0)
        let tolerant = try load("name: f\nsteps:\n  a:\n    for_each: [x, y]\n    run: \"true\"\n    batch: 1\n    max_failures: 3\n")
        #expect(tolerant.groups.first?.maxFailures == 3 && tolerant.groups.first?.batch == .count(1))
    }

    @Test(arguments: [
        ("    for_each: [a]\n    matrix: {x: [1]}\n", "wf.yaml:5:5: step 's' has both 'matrix' and 'for_each'"),
        ("    max_parallel: 2\n", "wf.yaml:4:5: 'max_parallel' in step 's' is for a step that fans out: add 'matrix' or 'for_each'"),
        ("    for_each: []\n", "wf.yaml:4:15: 'for_each' in step 's' is empty"),
        ("    for_each: \"${{ steps.list.outputs.hosts }}\"\n", "wf.yaml:4:15: 'for_each' in step 's' reads the output of 'list', which is not a step in this workflow"),
        ("    for_each: [a/b]\n", "wf.yaml:4:16: 'a/b' cannot name an instance of step 's'"),
        ("    for_each: [a, b, a]\n", "wf.yaml:4:22: step 's' would have two instances named 's[a]'"),
        ("    matrix:\n      x: [1, 2]\n      exclude:\n        - {y: 1}\n", "names 'y', which is not a key of the matrix"),
        ("    matrix:\n      x: [1]\n      exclude:\n        - {x: 1}\n", "step 's' fans out to no instance: 'exclude' leaves none"),
        ("    matrix: {}\n", "'matrix' in step 's' has no keys"),
        ("    for_each: [a]\n    batch: 0%\n", "wf.yaml:5:12: 'batch' in step 's' must be a whole number of 1 or more, or a percentage from 1% to 100%"),
        ("    for_each: [a]\n    fail_fast: true\n    max_failures: 1\n", "wf.yaml:6:5: step 's' has both 'fail_fast' and 'max_failures'"),
        ("    for_each: [a]\n    max_paralel: 2\n", "did you mean 'max_parallel'?"),
    ])
    func badFanOutsAreSaidWhereTheyAre(fields: String, expected: String) {
        let found = problems("name: f\nsteps:\n  s:\n" + fields + "    run: \"true\"\n")
        #expect(found.contains { $0.contains(expected) }, "\(found)")
    }

    @Test func aProblemOfTheStepAsWrittenIsSaidOnceNotPerInstance() {
        let found = problems("name: f\nsteps:\n  a:\n    run: \"true\"\n  s:\n    for_each: [x, y, z]\n    when: steps.a.state == 'succeeded'\n    run: \"true\"\n")
        #expect(found == ["wf.yaml:7:11: when: reads step 'a', which 's' does not need; add it to needs"])
    }

    @Test func aMatrixTooLargeIsRefusedWithoutBeingMade() {
        let values = "[" + (0..<1_000).map(String.init).joined(separator: ", ") + "]"
        let found = problems("name: f\nsteps:\n  s:\n    matrix:\n      a: \(values)\n      b: \(values)\n    run: \"true\"\n")
        #expect(found.contains { $0.contains("wf.yaml:4:5: step 's' fans out to more than 100000 instances") }, "\(found.prefix(3))")
    }

    /// Runs a workflow's shell steps to the end or to a wait for an operator.
    private func run(_ yaml: String) async throws -> (Engine, [RunEvent], settled: RunState) {
        let workflow = try load(yaml)
        let configuration = EngineConfiguration(
            runID: "fan-\(UUID().uuidString.prefix(6))", user: "tester", syncJournal: false, cancelGracePeriod: .milliseconds(500), environment: [:])
        let engine = try Engine(workflow: workflow, workflowText: yaml, configuration: configuration)
        let events = EngineTestSupport.collectEvents(engine)
        await engine.start()
        _ = try await EngineTestSupport.settle(engine)
        let settled = await engine.state
        _ = await engine.close(by: "tester")
        return (engine, await events.value, settled)
    }

    /// The most steps of `group` running at once, read from the order of the events.
    private func mostRunning(_ events: [RunEvent], group: String) -> Int {
        var running: Set<String> = []
        var most = 0
        for event in events where event.kind == .step && event.step?.hasPrefix(group + "[") == true {
            if event.state == .running { running.insert(event.step!) } else { running.remove(event.step!) }
            most = max(most, running.count)
        }
        return most
    }

    @Test func maxParallelBoundsTheInstancesRunningAtOnce() async throws {
        let (engine, events, _) = try await run("""
            name: p
            concurrency: 8
            steps:
              work:
                for_each: [a, b, c, d, e, f]
                max_parallel: 2
                run: sleep 0.05
              after:
                needs: [work]
                run: "true"
            """)
        #expect(await engine.state.outcome == .succeeded)
        #expect(mostRunning(events, group: "work") == 2)
        let afterStarted = try #require(events.firstIndex { $0.step == "after" && $0.state == .running })
        #expect(events[..<afterStarted].filter { $0.step?.hasPrefix("work[") == true && $0.state == .succeeded }.count == 6, "the dependent waited for every instance")
    }

    @Test func aRollingBatchThatGoesBadStopsTheRollout() async throws {
        let (engine, events, settled) = try await run("""
            name: rollout
            concurrency: 8
            steps:
              deploy:
                for_each: [h1, h2, h3, h4, h5, h6, h7, h8]
                batch: 25%
                run: test "$BATON_ITEM" != h4
            """)
        let started = events.filter { $0.state == .running }.compactMap(\.step)
        #expect(Set(started) == ["deploy[h1]", "deploy[h2]", "deploy[h3]", "deploy[h4]"],
                "batches of two: the second failed, so the third and fourth never started: \(started)")
        let secondBatchStarts = try #require(events.firstIndex { $0.state == .running && ($0.step == "deploy[h3]" || $0.step == "deploy[h4]") })
        let firstBatchSettled = events[..<secondBatchStarts].filter { $0.state == .succeeded }.compactMap(\.step)
        #expect(Set(firstBatchSettled) == ["deploy[h1]", "deploy[h2]"], "the second batch started once the first had settled")
        let state = await engine.state
        #expect(state["deploy[h5]"]?.state == .pending && state["deploy[h8]"]?.state == .pending)
        #expect(state.outcome == .waitingForOperator)
        #expect(settled.operatorWait?.reasons.contains("the instances of 'deploy' not yet started are held back: an instance of 'deploy' failed, and 'deploy' stops at its first failure") == true,
                "\(settled.operatorWait?.reasons ?? [])")
    }

    @Test func failFastHoldsBackTheRestAndAToleranceLetsThemRun() async throws {
        let strict = try await run("""
            name: strict
            concurrency: 1
            steps:
              check:
                for_each: [a, b, c]
                fail_fast: true
                run: test "$BATON_ITEM" != a
            """)
        #expect(await strict.0.state["check[c]"]?.state == .pending, "after 'check[a]' failed, nothing else in the group started")
        let tolerant = try await run("""
            name: tolerant
            concurrency: 1
            steps:
              check:
                for_each: [a, b, c]
                max_failures: 1
                run: test "$BATON_ITEM" != a
            """)
        #expect(await tolerant.0.state["check[c]"]?.state == .succeeded, "one failure is tolerated")
    }

    @Test func aDependentReadsItsGroupsCounts() async throws {
        let (engine, _, _) = try await run("""
            name: counts
            concurrency: 4
            steps:
              check:
                for_each: [a, b, c, d]
                max_failures: 4
                run: test "$BATON_ITEM" != b
              most-passed:
                needs: [check]
                when: "failure() && steps.check.succeeded >= 3 && steps.check.failed == 1 && steps.check.count == 4"
                run: "true"
              all-passed:
                needs: [check]
                when: always() && steps.check.failed == 0
                run: "true"
            """)
        let state = await engine.state
        #expect(state["most-passed"]?.state == .succeeded)
        #expect(state["all-passed"]?.state == .blocked, "its condition is false after a failure: \(state["all-passed"]?.reason ?? "")")
        #expect(problems("name: c\nsteps:\n  a:\n    for_each: [x]\n    run: \"true\"\n  b:\n    run: \"true\"\n    when: steps.a.failed == 0\n")
            .contains { $0.contains("when: reads step 'a', which 'b' does not need; add it to needs") })
    }
}
