import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// A called workflow (`uses:`) on screen: one node in the graph, fan-outs inside it
/// included, and the notes pane says which call a step runs in.
@Suite struct CalledWorkflowConsoleTests {
    static let workflow: Workflow = {
        func step(_ id: String, needs: [String] = [], group: String? = nil, calls: [String] = []) -> Step {
            var step = Step(id: id, needs: needs, simulate: Simulation())
            step.group = group
            step.enclosingCalls = calls
            return step
        }
        let inner = ["build.compile", "build.deploy[a]", "build.deploy[b]"]
        return Workflow(
            name: "release",
            groups: [StepGroup(id: "build.deploy", instances: ["build.deploy[a]", "build.deploy[b]"])],
            calls: [WorkflowCall(id: "build", file: "lib/build.yaml", workflowName: "build-lib", name: "Build it", notes: "Compiles, then deploys.", steps: inner)],
            steps: [
                step("checkout"),
                step("build.compile", needs: ["checkout"], calls: ["build"]),
                step("build.deploy[a]", needs: ["build.compile"], group: "build.deploy", calls: ["build"]),
                step("build.deploy[b]", needs: ["build.compile"], group: "build.deploy", calls: ["build"]),
                step("report", needs: inner),
            ])
    }()

    @Test func aCalledWorkflowIsOneNodeFanOutsInsideItIncluded() throws {
        let groups = try #require(GroupedGraph(workflow: Self.workflow))
        #expect(groups.stepsOfNode == [[0], [1, 2, 3], [4]])
        #expect(groups.groupOfNode == [nil, "build", nil])
        let states: [StepState] = [.succeeded, .succeeded, .running, .pending, .pending]
        #expect(groups.labels(states: states, unicode: true) == ["checkout", "build ×3 ✔1 ▶1", "report"])
        #expect(groups.workflow.steps.map(\.needs.count) == [0, 1, 1])
        // Expanded, the call shows its steps, and the fan-out inside it folds in its turn.
        let opened = try #require(GroupedGraph(workflow: Self.workflow, expanded: ["build"]))
        #expect(opened.groupOfNode == [nil, nil, "build.deploy", nil])
        #expect(GroupedGraph(workflow: Self.workflow, expanded: ["build", "build.deploy"]) == nil)
    }

    @Test func eOpensTheCallThenWhatItHoldsAndClosesThemInnermostFirst() {
        let context = ConsoleContext(workflow: Self.workflow)
        var state = AppState(workflow: Self.workflow, user: "alice", width: 120, height: 36, now: 1_000_000)
        state.selected = 2
        state.focus = .graph
        _ = ConsoleUpdate.update(&state, .key(.character("e")), context: context)
        #expect(state.expandedGroups == ["build"])
        _ = ConsoleUpdate.update(&state, .key(.character("e")), context: context)
        #expect(state.expandedGroups == ["build", "build.deploy"])
        _ = ConsoleUpdate.update(&state, .key(.character("e")), context: context)
        #expect(state.expandedGroups == ["build"], "the innermost closes first")
        _ = ConsoleUpdate.update(&state, .key(.character("E")), context: context)
        #expect(state.expandedGroups == ["build", "build.deploy"])
    }

    @Test func theNotesSayWhichCallAStepRunsIn() {
        var state = AppState(workflow: Self.workflow, user: "alice", width: 120, height: 36, now: 1_000_000)
        var started = RunEvent(seq: 1, time: 1_000_000, kind: .runStarted)
        started.runID = "r"
        started.steps = Self.workflow.stepIDs
        try! state.run.apply(started)
        state.selected = 2
        state.show(.notes, true)
        let context = ConsoleContext(workflow: Self.workflow)
        var buffer = Buffer(width: 80, height: 30)
        NotesView(state: state, plan: context.plan, theme: .builtInDark).render(into: &buffer, area: buffer.area)
        let text = (0..<30).map { buffer.rowText($0) }.joined(separator: "\n")
        #expect(text.contains("Part of 'build' (Build it), which runs lib/build.yaml ('build-lib')."), "\(text)")
        #expect(text.contains("Compiles, then deploys."))
    }
}
