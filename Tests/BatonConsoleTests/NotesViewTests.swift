import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// The teaching notes pane and its glossary.
@Suite struct NotesViewTests {
    static let workflow = Workflow(name: "teach", description: "Shows how a gate works.", steps: [
        Step(id: "build", notes: "Everything starts here.", simulate: Simulation()),
        Step(id: "gate", needs: ["build"], approval: ApprovalGate(prompt: "Ship?")),
        Step(id: "ship", needs: ["gate"], rollback: "echo undo", simulate: Simulation()),
    ])

    func text(selected: Int, events: [RunEvent] = []) -> String {
        var state = AppState(workflow: Self.workflow, user: "alice", width: 120, height: 36, now: 1_000_000)
        var started = RunEvent(seq: 1, time: 1_000_000, kind: .runStarted)
        started.runID = "r"
        started.steps = Self.workflow.stepIDs
        try! state.run.apply(started)
        for (offset, var event) in events.enumerated() {
            event.seq = offset + 2
            try! state.run.apply(event)
        }
        state.selected = selected
        state.show(.notes, true)
        let context = ConsoleContext(workflow: Self.workflow)
        var buffer = Buffer(width: 60, height: 30)
        NotesView(state: state, plan: context.plan, theme: .builtInDark).render(into: &buffer, area: buffer.area)
        return (0..<30).map { buffer.rowText($0) }.joined(separator: "\n")
    }

    @Test func showsTheNotesTheStateIdeaAndTheDescription() {
        let build = text(selected: 0)
        #expect(build.contains("Everything starts here."))
        #expect(build.contains("entry point"))
        #expect(build.contains("Shows how a gate works."))
        let gate = text(selected: 1, events: [.step("build", .running, attempt: 1), .step("build", .succeeded, attempt: 1), .step("gate", .waiting)])
        #expect(gate.contains("approval gate — human in the loop"))
        #expect(gate.contains("This step has no notes."))
        let blocked = text(selected: 2, events: [.step("gate", .waiting), .step("gate", .failed, reason: "rejected"), .step("ship", .blocked)])
        #expect(blocked.contains("blocked — dependency failed"))
        #expect(blocked.contains("compensation"))
    }

    @Test func aGatesPolicyIsExplained() {
        let gate = ApprovalGate(approvers: ["group:release"], selfApproval: false, timeout: .seconds(900), onTimeout: .escalate, escalateTo: ["group:sre"])
        let concepts = Glossary.concepts(of: Step(id: "ship", approval: gate), dependents: 0).map(\.term)
        #expect(concepts.contains("approval policy"))
        #expect(concepts.contains("segregation of duties"))
        let timeout = Glossary.concepts(of: Step(id: "ship", approval: gate), dependents: 0).first { $0.term == "approval timeout" }
        #expect(timeout?.meaning == "Undecided after 15m, the gate escalates to group:sre.")
        let plain = Glossary.concepts(of: Step(id: "ship", approval: ApprovalGate()), dependents: 0).map(\.term)
        #expect(!plain.contains("approval policy") && !plain.contains("approval timeout") && !plain.contains("segregation of duties"))
    }

    @Test func aFanOutInstanceExplainsItsGroupsPolicy() {
        var step = Step(id: "deploy[web1]", run: "deploy")
        step.group = "deploy"
        let rolling = StepGroup(id: "deploy", instances: ["deploy[web1]", "deploy[web2]", "deploy[web3]", "deploy[web4]"], batch: .percent(50), maxFailures: 0)
        let entries = Glossary.concepts(of: step, dependents: 0, group: rolling)
        #expect(entries.first?.meaning.hasPrefix("One of 4 copies of 'deploy'") == true)
        #expect(entries.contains { $0.term == "rolling batch" && $0.meaning.hasPrefix("The instances go 2 at a time") })
        #expect(entries.contains { $0.term == "failure budget" && $0.meaning.hasPrefix("The first failed instance holds back") })
        let plain = Glossary.concepts(of: step, dependents: 0, group: StepGroup(id: "deploy", instances: ["deploy[web1]"])).map(\.term)
        #expect(plain == ["fan-out instance", "entry point"], "no batch, no failure budget")
    }

    @Test func theKeysToggleTheNotesAndTheTimeline() {
        var state = ConsoleTestSupport.state()
        _ = ConsoleTestSupport.update(&state, .key(.character("i")))
        #expect(state.showsNotes)
        #expect(ConsoleTestSupport.screen(state).rowText(ConsoleLayout(state).details.y).contains("Notes"))
        _ = ConsoleTestSupport.update(&state, .key(.character("t")))
        #expect(state.showsTimeline)
        #expect(ConsoleTestSupport.screen(state).rowText(ConsoleLayout(state).graph.y).contains("Timeline"))
        _ = ConsoleTestSupport.update(&state, .key(.character("i")), .key(.character("t")))
        #expect(!state.showsNotes && !state.showsTimeline)
    }
}
