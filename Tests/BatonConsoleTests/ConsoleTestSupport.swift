import BatonEngine
import BatonTerminal
@testable import BatonConsole

/// Builders for console tests: a small workflow, a run folded from events, a rendered screen.
enum ConsoleTestSupport {
    static let workflow = Workflow(name: "shop", steps: [
        Step(id: "build", run: "make", retry: RetryPolicy(attempts: 3)),
        Step(id: "test", run: "make test", needs: ["build"]),
        Step(id: "db", run: "migrate", needs: ["build"], rollback: "migrate down"),
        Step(id: "gate", needs: ["test", "db"], approval: ApprovalGate(prompt: "Ship it?", approvers: ["alice", "bob"])),
        Step(id: "ship", run: "deploy", needs: ["gate"], rollback: "undeploy"),
    ])

    /// A state with the run started and the given events applied.
    static func state(width: Int = 120, height: Int = 36, _ events: [RunEvent] = []) -> AppState {
        var state = AppState(workflow: workflow, user: "alice", width: width, height: height, now: 1_000_100)
        var started = RunEvent(seq: 1, time: 1_000_000, kind: .runStarted)
        started.runID = "20261122-101500-abcd"
        started.workflow = workflow.name
        started.steps = workflow.stepIDs
        started.concurrency = 2
        try! state.run.apply(started)
        for var event in events {
            event.seq = state.run.lastSeq + 1
            event.time = 1_000_010
            try! state.run.apply(event)
        }
        return state
    }

    /// A state whose steps before the gate succeeded and whose gate waits for alice or bob.
    static func gateWaiting(width: Int = 120, height: Int = 36) -> AppState {
        state(width: width, height: height, [
            step("build", .running, attempt: 1), step("build", .succeeded),
            step("test", .running, attempt: 1), step("test", .succeeded),
            step("db", .running, attempt: 1), step("db", .succeeded),
            step("gate", .waiting, reason: "waiting for approval by alice or bob"),
        ])
    }

    static func step(_ id: String, _ state: StepState, attempt: Int? = nil, exitCode: Int32? = nil, reason: String? = nil) -> RunEvent {
        RunEvent.step(id, state, attempt: attempt, exitCode: exitCode, reason: reason)
    }

    static let context = ConsoleContext(workflow: workflow)

    static func update(_ state: inout AppState, _ messages: ConsoleMessage...) -> [ConsoleEffect] {
        var effects: [ConsoleEffect] = []
        for message in messages { effects += ConsoleUpdate.update(&state, message, context: context) }
        return effects
    }

    static func screen(_ state: AppState) -> Buffer {
        ConsoleView.render(state, context: context, theme: .builtInDark, unicode: true)
    }
}
