import Testing
@testable import BatonConsole
@testable import BatonEngine

/// A plan and layout made ahead from the workflow the engine runs serve the console of the
/// same workflow with its secrets masked: the console draws exactly what it draws when it
/// makes them itself, and its plan reads the masked texts.
@Suite struct PreparedGraphTests {
    let theme = Theme.builtInDark

    /// Layers of five, each step needing two of the layer before, one a gate with a secret in
    /// its command.
    func workflow(steps: Int = 40) -> Workflow {
        var list: [Step] = []
        for number in 0..<steps {
            let (layer, index) = (number / 5, number % 5)
            var step = Step(id: "s\(layer)-\(index)", run: "deploy --token hunter2-\(number)")
            if layer > 0 { step.needs = ["s\(layer - 1)-\(index)", "s\(layer - 1)-\((index + 1) % 5)"] }
            list.append(step)
        }
        return Workflow(name: "prepared", steps: list)
    }

    @Test(arguments: [(40, 120, 40, false), (40, 60, 20, false), (400, 120, 40, false), (400, 120, 40, true), (40, 60, 20, true)])
    func theConsoleDrawsThePreparedGraphAsItsOwn(steps: Int, width: Int, height: Int, laidOutAside: Bool) {
        let running = workflow(steps: steps)
        let shown = SecretRedactor(values: (0..<steps).map { "hunter2-\($0)" }).redact(running)
        #expect(shown.steps[0].run != running.steps[0].run, "the shown workflow is masked")
        // Laid out on a thread of its own, as `baton run` does, or before the console is made.
        let graph = laidOutAside
            ? PreparedGraph.start(workflow: running, plan: Plan(workflow: running)) : PreparedGraph(workflow: running)
        let prepared = ConsoleContext(workflow: shown, prepared: graph)
        let own = ConsoleContext(workflow: shown)
        var state = AppState(workflow: shown, user: "alice", width: width, height: height, now: 0)
        state.selected = steps / 2
        #expect(ConsoleView.render(state, context: prepared, theme: theme, unicode: true).lines
                == ConsoleView.render(state, context: own, theme: theme, unicode: true).lines)
        #expect(prepared.plan.workflow.steps[0].run == shown.steps[0].run, "the console's plan holds the masked texts")
        #expect(prepared.plan.needs == own.plan.needs && prepared.plan.dependents == own.plan.dependents)
    }

    @Test func aPlanShowsAWorkflowOfOtherStepsByMakingItsOwn() {
        let plan = Plan(workflow: workflow(steps: 10))
        let other = workflow(steps: 15)
        let shown = plan.showing(other)
        #expect(shown.workflow.steps.count == 15)
        #expect(shown.needs == Plan(workflow: other).needs)
        var steps = workflow(steps: 10).steps
        steps.swapAt(0, 1)
        let reordered = Workflow(name: "prepared", steps: steps)
        #expect(plan.showing(reordered).needs == Plan(workflow: reordered).needs)
        #expect(plan.showing(reordered).needs != plan.needs)
    }

    @Test func aPreparedGraphOfAnotherWorkflowIsNotUsed() {
        let context = ConsoleContext(workflow: workflow(steps: 20), prepared: PreparedGraph(workflow: workflow(steps: 10)))
        #expect(context.graph.stepCount == 20)
        #expect(context.plan.needs.count == 20)
        let other = workflow(steps: 10)
        let aside = ConsoleContext(workflow: workflow(steps: 20), prepared: .start(workflow: other, plan: Plan(workflow: other)))
        #expect(aside.graph.stepCount == 20 && aside.plan.needs.count == 20)
    }
}
