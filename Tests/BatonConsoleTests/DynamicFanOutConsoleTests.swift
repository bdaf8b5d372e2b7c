import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// The console takes in the instances a dynamic fan-out makes mid-run, and a replay shows
/// them from its start.
@Suite struct DynamicFanOutConsoleTests {
    static let workflow = try! WorkflowLoader.load(yaml: """
        name: dyn
        steps:
          list:
            run: ./inventory
          deploy:
            for_each: ${{ steps.list.outputs.hosts }}
            run: ./deploy.sh
          verify:
            needs: [deploy]
            run: ./verify.sh
        """, file: "dyn.yaml")

    /// The run's events: `list` publishes three hosts, `deploy` fans out, `deploy[web2]` runs.
    static let events: [RunEvent] = {
        var started = RunEvent(kind: .runStarted)
        started.runID = "run-1"
        started.steps = workflow.stepIDs
        let listed = RunEvent.step("list", .succeeded, exitCode: 0, outputs: ["hosts": #"["web1","web2","web3"]"#])
        let raw = [
            started, .step("list", .running, attempt: 1), listed,
            .fanOutExpanded(FanOutExpansion(group: "deploy", instances: ["deploy[web1]", "deploy[web2]", "deploy[web3]"], items: ["web1", "web2", "web3"])),
            .step("deploy[web2]", .running, attempt: 1),
        ]
        return raw.enumerated().map { position, event in
            var event = event
            event.seq = position + 1
            event.time = 1_000_000 + Double(position)
            return event
        }
    }()

    @Test func theInstancesJoinTheWorkflowAndTheContextIsWorkedOutAgain() {
        var state = AppState(workflow: Self.workflow, user: "alice", width: 120, height: 36, now: 1_000_100)
        var context = ConsoleContext(workflow: state.workflow)
        var grew = 0
        for event in Self.events {
            let effects = ConsoleUpdate.update(&state, .engine(.event(event)), context: context)
            if effects.contains(.workflowGrew) {
                grew += 1
                context = ConsoleContext(workflow: state.workflow)
            }
            // Every frame draws, whatever the run's steps: none is beyond the workflow's.
            #expect(state.run.steps.count <= state.workflow.steps.count)
            _ = ConsoleView.render(state, context: context, theme: .builtInDark, unicode: true)
        }
        #expect(grew == 1, "the fan_out_expanded event alone grows the workflow")
        #expect(state.workflow.stepIDs.suffix(3) == ["deploy[web1]", "deploy[web2]", "deploy[web3]"])
        #expect(state.workflow["verify"]?.needs == ["deploy", "deploy[web1]", "deploy[web2]", "deploy[web3]"])
        #expect(state.timeline.stepCount == 6)
        let screen = ConsoleView.render(state, context: context, theme: .builtInDark, unicode: true).lines
        #expect(screen.contains { $0.contains("deploy ×3") && $0.contains("▶1") }, "\(screen.prefix(10))")
        // The fan-out step stands for its group: one node, one header row, counting instances only.
        #expect(context.grouping(state).graph?.workflow.steps.count == 3, "list, the group, verify")
        #expect(context.grouping(state).rows.filter { if case .group = $0 { return true } else { return false } }.count == 1)
        #expect(screen.contains { $0.contains("▸ deploy ×3") }, "\(screen)")
    }

    @Test func beforeItsInstancesAreMadeTheFanOutIsAStepLikeAnyOther() {
        let context = ConsoleContext(workflow: Self.workflow)
        var state = AppState(workflow: Self.workflow, user: "alice", width: 120, height: 36, now: 1_000_100)
        for event in Self.events.prefix(3) { _ = ConsoleUpdate.update(&state, .engine(.event(event)), context: context) }
        let grouping = context.grouping(state)
        #expect(grouping.rows == [.step(0, indented: false), .step(1, indented: false), .step(2, indented: false)], "no header for a group of none")
        #expect(grouping.graph?.labels(states: state.run.steps.map(\.state), unicode: true) == ["list", "deploy", "verify"])
        state.selected = 1
        #expect(state.selectedGroup == nil, "selected as the step it is")
    }

    @Test func aReplayShowsTheInstancesPendingUntilTheRecordingMakesThem() {
        // As `baton replay` opens it: the workflow with every instance the recording makes.
        let expanded = Self.workflow.expanded(by: [FanOutExpansion(group: "deploy", instances: ["deploy[web1]", "deploy[web2]", "deploy[web3]"], items: ["web1", "web2", "web3"])])
        let context = ConsoleContext(workflow: expanded)
        var state = AppState(workflow: expanded, user: "alice", width: 120, height: 36, now: 1_000_100)
        ConsoleUpdate.beginReplay(&state, events: Self.events, logs: [:], speed: 0, context: context)
        #expect(state.run.steps.count == 6 && state.run["deploy[web2]"]?.state == .running)
        for position in stride(from: Self.events.count, through: 0, by: -1) {
            ConsoleUpdate.seek(&state, to: position, context: context)
            #expect(state.workflow.steps.count == 6, "the workflow stays whole while the replay moves")
            _ = ConsoleView.render(state, context: context, theme: .builtInDark, unicode: true)
        }
    }
}
