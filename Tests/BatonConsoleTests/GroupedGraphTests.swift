import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// A fan-out drawn as one node with its counts, and `e` to show its instances instead.
@Suite struct GroupedGraphTests {
    static let workflow = try! WorkflowLoader.load(yaml: """
        name: rollout
        steps:
          build:
            run: make
          deploy:
            needs: [build]
            for_each: [web1, web2, web3, web4]
            run: ./deploy.sh
          verify:
            needs: [deploy]
            run: ./verify.sh
        """, file: "rollout.yaml")
    static let context = ConsoleContext(workflow: workflow)

    @Test func aGroupIsOneNodeWithItsCountsAndTheStateThatMostNeedsAnEye() throws {
        let groups = try #require(GroupedGraph(workflow: Self.workflow))
        #expect(groups.stepsOfNode == [[0], [1, 2, 3, 4], [5]])
        #expect(groups.nodeOfStep == [0, 1, 1, 1, 1, 2])
        #expect(groups.workflow.steps.map(\.needs.count) == [0, 1, 1], "the group needs build; verify needs the group once")
        let states: [StepState] = [.succeeded, .succeeded, .running, .failed, .pending, .pending]
        #expect(groups.labels(states: states, unicode: true) == ["build", "deploy ×4 ✔1 ▶1 ✘1", "verify"])
        #expect(groups.labels(states: states, unicode: false)[1] == "deploy x4 v1 >1 X1")
        #expect(groups.states(states) == [.succeeded, .running, .pending])
        #expect(groups.states([.succeeded, .succeeded, .succeeded, .failed, .succeeded, .blocked])[1] == .failed)
        #expect(GroupedGraph(workflow: Workflow(name: "plain", steps: [Step(id: "a", run: "x")])) == nil)
        #expect(GroupedGraph(workflow: Self.workflow, expanded: ["deploy"]) == nil, "nothing collapsed: the workflow's own graph")
    }

    @Test func theGraphShowsTheGroupAndEExpandsIt() {
        var state = AppState(workflow: Self.workflow, user: "alice", width: 120, height: 36, now: 1_000_100)
        state.graphNaturalSize = Self.context.shownGraph(state).size
        var started = RunEvent(seq: 1, time: 1_000_000, kind: .runStarted)
        started.runID = "run-1"
        started.steps = Self.workflow.stepIDs
        try! state.run.apply(started)
        let grouped = ConsoleView.render(state, context: Self.context, theme: .builtInDark, unicode: true).lines
        #expect(grouped.contains { $0.contains("· deploy ×4") && $0.contains("verify") }, "\(grouped.prefix(8))")
        #expect(!grouped.contains { $0.contains("deploy[web2]") && $0.contains("›") }, "no instance in the graph")
        // Right from build reaches the group, which selects its first instance.
        state.selected = 0
        state.focus = .graph
        _ = ConsoleUpdate.update(&state, .key(.character("l")), context: Self.context)
        #expect(state.selected == 1)
        _ = ConsoleUpdate.update(&state, .key(.character("e")), context: Self.context)
        #expect(state.expandedGroups == ["deploy"])
        #expect(state.status?.text == "'deploy' expanded: its 4 instances shown — e on any of them collapses it")
        let expanded = ConsoleView.render(state, context: Self.context, theme: .builtInDark, unicode: true).lines
        #expect(expanded.contains { $0.contains("· deploy[web4]") }, "\(expanded.prefix(10))")
    }
}
