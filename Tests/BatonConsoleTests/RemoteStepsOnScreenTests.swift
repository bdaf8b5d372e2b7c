import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// A step that runs on a host says so: the table's HOST column, Details and the log's title;
/// a workflow without hosts shows no such column.
@Suite struct RemoteStepsOnScreenTests {
    static let workflow = try! WorkflowLoader.load(yaml: """
        name: fleet
        hosts: {db1: admin@10.0.0.5, web1: deploy@10.0.0.11:2222}
        steps:
          migrate:
            on: db1
            run: ./migrate
          check:
            needs: [migrate]
            run: ./check
        """, file: "fleet.yaml")

    @Test func theHostIsInTheTableDetailsAndTheLogsTitle() {
        let context = ConsoleContext(workflow: Self.workflow)
        var state = AppState(workflow: Self.workflow, user: "alice", width: 140, height: 36, now: 1_000_100)
        var started = RunEvent(seq: 1, time: 1_000_000, kind: .runStarted)
        started.runID = "r"
        started.steps = Self.workflow.stepIDs
        try! state.run.apply(started)
        state.selected = 0
        let lines = ConsoleView.render(state, context: context, theme: .builtInDark, unicode: true).lines
        #expect(lines.contains { $0.contains("STEP") && $0.contains("HOST") && $0.contains("NEEDS") }, "\(lines)")
        #expect(lines.contains { $0.contains("migrate") && $0.contains("db1") })
        #expect(lines.contains { $0.contains("host: db1 (admin@10.0.0.5), over SSH") }, "\(lines)")
        #expect(lines.contains { $0.contains("Log: migrate on db1") })
        let plain = ConsoleView.render(ConsoleTestSupport.state(), context: ConsoleTestSupport.context, theme: .builtInDark, unicode: true).lines
        #expect(!plain.contains { $0.contains("HOST") }, "no HOST column without hosts")
    }
}
