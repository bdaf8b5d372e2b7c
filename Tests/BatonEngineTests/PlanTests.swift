import Testing
@testable import BatonEngine

@Suite struct PlanTests {
    private func state(for workflow: Workflow) throws -> RunState {
        var state = RunState()
        var started = RunEvent(seq: 1, kind: .runStarted)
        started.steps = workflow.stepIDs
        try state.apply(started)
        return state
    }

    private func move(_ state: inout RunState, _ step: String, _ to: StepState, outputs: [String: String]? = nil) throws {
        var event = RunEvent.step(step, to, outputs: outputs)
        event.seq = state.lastSeq + 1
        try state.apply(event)
    }

    @Test func startsReadyStepsInFileOrderUpToCapacity() throws {
        let workflow = Workflow(name: "w", steps: [
            Step(id: "late", run: "true", needs: ["root"]),
            Step(id: "root", run: "true"),
            Step(id: "b", run: "true"),
            Step(id: "c", run: "true"),
        ])
        let plan = Plan(workflow: workflow)
        let fresh = try state(for: workflow)
        // Index 1 = root, 2 = b, 3 = c. `late` waits for root.
        #expect(plan.findWork(in: fresh, capacity: 2) == [.start(step: 1), .start(step: 2)])
        #expect(plan.findWork(in: fresh, capacity: 0) == [])
        var running = fresh
        try move(&running, "root", .running)
        try move(&running, "root", .succeeded)
        #expect(plan.findWork(in: running, capacity: 10) == [.start(step: 0), .start(step: 2), .start(step: 3)])
    }

    @Test func blocksDependentsOfAFailureAndSkipsFalseConditions() throws {
        let condition = Condition(source: "steps.a.outputs.x == 'yes'", expression: .equal(.output(step: "a", key: "x"), .literal("yes")))
        let workflow = Workflow(name: "w", steps: [
            Step(id: "a", run: "true"),
            Step(id: "b", run: "true", needs: ["a"], when: condition),
            Step(id: "f", run: "false"),
            Step(id: "g", run: "true", needs: ["f"]),
        ])
        let plan = Plan(workflow: workflow)
        var state = try state(for: workflow)
        try move(&state, "a", .running)
        try move(&state, "a", .succeeded, outputs: ["x": "no"])
        try move(&state, "f", .running)
        try move(&state, "f", .failed)
        let decisions = plan.findWork(in: state, capacity: 4)
        #expect(decisions.contains(.skip(step: 1, reason: "condition is false: steps.a.outputs.x == 'yes'")))
        #expect(decisions.contains(.block(step: 3, reason: "upstream 'f' failed")))
    }

    @Test func aConditionThatCannotBeEvaluatedFailsTheStep() throws {
        let workflow = Workflow(name: "w", steps: [
            Step(id: "check", run: "true"),
            Step(id: "use", run: "true", needs: ["check"], when: try ConditionParser.parse("fromJSON(steps.check.outputs.plan) == 'x'")),
        ])
        var state = try state(for: workflow)
        try move(&state, "check", .running)
        try move(&state, "check", .succeeded, outputs: ["plan": "nope"])
        #expect(Plan(workflow: workflow).findWork(in: state, capacity: 10) == [
            .fail(step: 1, reason: "the condition could not be evaluated: fromJSON: 'nope' is not JSON: expected 'null' (at character 2); condition: fromJSON(steps.check.outputs.plan) == 'x'"),
        ])
    }

    @Test func pausedRunStartsNothing() throws {
        let workflow = Workflow(name: "w", steps: [Step(id: "a", run: "true")])
        var state = try state(for: workflow)
        var pause = RunEvent(seq: 2, kind: .runPaused)
        pause.seq = 2
        try state.apply(pause)
        #expect(Plan(workflow: workflow).findWork(in: state, capacity: 4).isEmpty)
    }

    @Test func topologicalOrderPutsNeedsFirst() {
        let workflow = Workflow(name: "w", steps: [
            Step(id: "d", run: "true", needs: ["b", "c"]),
            Step(id: "b", run: "true", needs: ["a"]),
            Step(id: "c", run: "true", needs: ["a"]),
            Step(id: "a", run: "true"),
        ])
        let order = Plan(workflow: workflow).topologicalOrder.map { workflow.steps[$0].id }
        #expect(order == ["a", "b", "c", "d"])
    }
}
