import Foundation
import Testing
@testable import BatonEngine

/// Dynamic fan-out: `for_each: ${{ steps.list.outputs.hosts }}` makes its instances from a
/// JSON array once `list` has succeeded, journals them, and a resume or replay sees the same.
@Suite struct DynamicFanOutTests {
    private typealias S = EngineTestSupport

    private func load(_ yaml: String) throws -> Workflow {
        try WorkflowLoader.load(yaml: yaml, file: "wf.yaml")
    }

    /// A workflow whose `list` step publishes `hosts` as written (shell-quoted by the caller),
    /// `deploy` fans out over it and `after` needs the group.
    private func workflow(hosts: String, deployRun: String = "echo \"item=$BATON_ITEM\" >> \"$BATON_OUTPUT\"", extra: String = "") -> String {
        """
        name: dyn
        concurrency: 4
        on_failure: wait
        steps:
          list:
            run: |
              echo 'hosts=\(hosts)' >> "$BATON_OUTPUT"
          deploy:
            for_each: ${{ steps.list.outputs.hosts }}
            run: \(deployRun)
        \(extra)
          after:
            needs: [deploy]
            when: always() && steps.deploy.succeeded == steps.deploy.count
            run: "true"
          plain:
            needs: [deploy]
            run: "true"
        """
    }

    private func run(_ yaml: String, directory: RunDirectory? = nil) async throws -> (Engine, [RunEvent]) {
        let workflow = try load(yaml)
        let configuration = EngineConfiguration(
            runID: "dyn-\(UUID().uuidString.prefix(6))", user: "tester", runDirectory: directory, syncJournal: false, environment: [:])
        let engine = try Engine(workflow: workflow, workflowText: yaml, configuration: configuration)
        let events = S.collectEvents(engine)
        await engine.start()
        _ = try await S.settle(engine)
        _ = await engine.close(by: "tester")
        return (engine, await events.value)
    }

    @Test func theStepStandsForItsGroupUntilItsSourceHasRun() throws {
        let workflow = try load(workflow(hosts: "[]"))
        let deploy = try #require(workflow["deploy"])
        #expect(deploy.fanOutSource == FanOutSource(step: "list", key: "hosts"))
        #expect(deploy.needs == ["list"], "the source becomes a need")
        #expect(workflow.groups.map(\.id) == ["deploy"] && workflow.groups.first?.instances == [])
        #expect(workflow["after"]?.needs == ["deploy"])
    }

    @Test(arguments: [
        ("${{ steps.lst.outputs.hosts }}", "wf.yaml:7:15: 'for_each' in step 'deploy' reads the output of 'lst', which is not a step in this workflow; did you mean 'list'?"),
        ("${{ steps.deploy.outputs.hosts }}", "reads the output of step 'deploy' itself"),
        ("${{ params.hosts }}", "'params.hosts' is not a step's output"),
        ("${{ steps.list.outputs. }}", "wf.yaml:7:19: 'for_each' in step 'deploy' does not parse: unknown reference 'steps.list.outputs.'"),
        ("hosts", "must be a list of items, or a step's output that holds them"),
        ("${{ steps.fixed.outputs.x }}", "reads the output of 'fixed', which fans out: read one instance's output"),
    ])
    func aBadSourceIsSaidWhereItIs(source: String, expected: String) {
        let yaml = """
            name: dyn
            steps:
              list:
                run: "true"
              deploy:
                needs: [list]
                for_each: \(source)
                run: "true"
              fixed:
                for_each: [a, b]
                run: "true"
            """
        let found = S.loadProblems(yaml)
        #expect(found.contains { $0.contains(expected) }, "\(found)")
        #expect(S.loadProblems("name: m\nsteps:\n  a:\n    run: \"true\"\n  b:\n    needs: [a]\n    matrix: ${{ steps.a.outputs.x }}\n    run: \"true\"\n")
            .contains { $0.contains("to fan out over a step's output, use `for_each`") })
    }

    @Test func theInstancesAreMadeFromTheOutputJournaledAndRun() async throws {
        let (engine, events) = try await run(workflow(hosts: #"["web1", "web2", "web3"]"#))
        let state = await engine.state
        #expect(state.outcome == .succeeded, "\(state.steps.map { "\($0.id) \($0.state) \($0.reason ?? "")" })")
        let expansion = try #require(events.first { $0.kind == .fanOutExpanded })
        #expect(expansion.step == "deploy" && expansion.steps == ["deploy[web1]", "deploy[web2]", "deploy[web3]"])
        #expect(expansion.items == ["web1", "web2", "web3"])
        let expandedAt = try #require(events.firstIndex(of: expansion))
        #expect(!events[..<expandedAt].contains { $0.step?.hasPrefix("deploy[") == true }, "no instance existed before the event")
        #expect(state["deploy"]?.state == .succeeded && state["deploy"]?.reason == "fanned out to 3 instances")
        for host in ["web1", "web2", "web3"] {
            #expect(state["deploy[\(host)]"]?.outputs["item"] == host, "each instance saw its item as $BATON_ITEM")
        }
        let afterStarts = try #require(events.firstIndex { $0.step == "after" && $0.state == .running })
        #expect(events[..<afterStarts].filter { $0.step?.hasPrefix("deploy[") == true && $0.state == .succeeded }.count == 3,
                "the step that needs the group waited for every instance, and read its counts")
        #expect(await engine.internalErrors.isEmpty)
        let line = expansion.jsonLine()
        #expect(RunEvent(journalLine: line) == expansion, "the journal's own reader reads the event back")
        #expect(try JSONDecoder().decode(RunEvent.self, from: Data(line)) == expansion)
    }

    @Test func itemsThatCannotNameAnInstanceAreNumberedAndGivenAsJSON() async throws {
        let (engine, _) = try await run(workflow(hosts: #"[{"host": "a", "port": 22}, "b c"]"#))
        let state = await engine.state
        #expect(state.steps.map(\.id).suffix(2) == ["deploy[1]", "deploy[2]"])
        #expect(state["deploy[1]"]?.outputs["item"] == #"{"host":"a","port":22}"#)
        #expect(state["deploy[2]"]?.outputs["item"] == "b c")
    }

    @Test(arguments: [
        ("web1,web2", "for_each: the output 'hosts' of 'list' is not a JSON array: at character 1"),
        (#"{"a": 1}"#, "for_each: the output 'hosts' of 'list' is a JSON object, not a JSON array of items"),
        (#""web1""#, "for_each: the output 'hosts' of 'list' is the string \"web1\", not a JSON array of items"),
    ])
    func anOutputThatIsNotAnArrayFailsTheStepSayingWhy(hosts: String, expected: String) async throws {
        let (engine, events) = try await run(workflow(hosts: hosts))
        let state = await engine.state
        #expect(state["deploy"]?.state == .failed)
        #expect(state["deploy"]?.reason?.hasPrefix(expected) == true, "\(state["deploy"]?.reason ?? "")")
        #expect(state["plain"]?.state == .blocked)
        #expect(!events.contains { $0.kind == .fanOutExpanded })
    }

    @Test func aMissingOutputFailsAnEmptyListMakesNoInstanceAndASkippedSourceSkips() async throws {
        let missing = try await run(workflow(hosts: "x").replacingOccurrences(of: "echo 'hosts=x' >> \"$BATON_OUTPUT\"", with: "true"))
        #expect(await missing.0.state["deploy"]?.reason == "for_each: 'list' did not set the output 'hosts', which holds the items")

        let empty = try await run(workflow(hosts: "[]"))
        let emptyState = await empty.0.state
        #expect(emptyState["deploy"]?.state == .succeeded && emptyState.steps.count == 4)
        #expect(emptyState["after"]?.state == .succeeded, "0 of 0 succeeded: the dependent goes on")

        let skipped = try await run(workflow(hosts: "[]").replacingOccurrences(of: "  list:\n", with: "  list:\n    when: \"false\"\n"))
        let skippedState = await skipped.0.state
        #expect(skippedState["deploy"]?.state == .skipped)
        #expect(skippedState["deploy"]?.reason == "'list' was skipped, so there are no items to fan out over")
    }

    @Test func theGroupsPolicyHoldsForInstancesMadeAtRunTime() async throws {
        let yaml = workflow(hosts: #"["a", "b", "c", "d"]"#, deployRun: "test \"$BATON_ITEM\" != b")
            .replacingOccurrences(of: "    for_each:", with: "    batch: 2\n    for_each:")
        let (engine, events) = try await run(yaml)
        let state = await engine.state
        let started = Set(events.filter { $0.state == .running }.compactMap(\.step).filter { $0.hasPrefix("deploy[") })
        #expect(started == ["deploy[a]", "deploy[b]"], "the first batch went bad, so the second never started: \(started)")
        #expect(state["deploy[c]"]?.state == .pending && state.outcome == .waitingForOperator)
    }

    @Test func aResumedRunHasTheInstancesItsJournalRecorded() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let yaml = workflow(hosts: #"["a", "b"]"#, deployRun: "test \"$BATON_ITEM\" != b")
        let (first, _) = try await run(yaml, directory: directory)
        #expect(await first.state.outcome == .waitingForOperator)
        let history = try directory.readJournal().events
        let recorded = try JournalReader.fold(history)
        #expect(recorded.expansions == [FanOutExpansion(group: "deploy", instances: ["deploy[a]", "deploy[b]"], items: ["a", "b"])])
        let loaded = try load(yaml)
        #expect(recorded.resumeRefusal(for: loaded, reopening: true) == nil, "the journal's instances are the run's to add")

        let configuration = EngineConfiguration(runID: first.runID, user: "tester", runDirectory: directory, syncJournal: false, environment: [:])
        let resumed = try Engine(workflow: loaded, resuming: history, configuration: configuration)
        #expect(await resumed.workflow.stepIDs == ["list", "deploy", "after", "plain", "deploy[a]", "deploy[b]"])
        #expect(await resumed.workflow["deploy[b]"]?.env["BATON_ITEM"] == "b")
        await resumed.start()
        #expect(await resumed.skip("deploy[b]", by: "tester").isAccepted)
        _ = try await S.settle(resumed)
        let state = await resumed.state
        #expect(state["after"]?.state == .skipped, "its condition reads the group's counts: 1 of 2 succeeded")
        #expect(state.expansions.count == 1, "nothing was made again")
        _ = await resumed.close(by: "tester")
        #expect(await resumed.internalErrors.isEmpty)
    }

    @Test func aFoldRefusesAnExpansionThatDoesNotFit() throws {
        var state = RunState()
        try state.apply(RunEvent(seq: 1, kind: .runStarted).with { $0.steps = ["a", "b"] })
        var expansion = RunEvent.fanOutExpanded(FanOutExpansion(group: "b", instances: ["b[x]", "b[x]"], items: ["x", "x"]))
        expansion.seq = 2
        #expect(throws: RunFoldError.self) { try state.apply(expansion) }
        expansion.steps = ["a"]
        expansion.items = ["a"]
        #expect(throws: RunFoldError.self) { try state.apply(expansion) }
        expansion.steps = ["b[x]"]
        expansion.items = ["x"]
        try state.apply(expansion)
        #expect(state.steps.map(\.id) == ["a", "b", "b[x]"] && state["b"]?.state == .succeeded)
    }
}

private extension RunEvent {
    func with(_ change: (inout RunEvent) -> Void) -> RunEvent {
        var copy = self
        change(&copy)
        return copy
    }
}
