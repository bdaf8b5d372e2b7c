import BatonTestSupport
import Foundation
import Testing
@testable import BatonEngine

/// `access:`: viewers watch, operators act, approvers decide their gates; the engine refuses
/// the rest, whatever front end asks, and audits each refusal with the user and the reason.
@Suite struct AccessPolicyTests {
    typealias S = EngineTestSupport

    private let text = """
        name: guarded
        access:
          operators: [alice, group:sre]
          viewers: [bob]
        steps:
          build:
            run: make
          check:
            needs: [build]
            approval: true
          ship:
            needs: [check]
            approval:
              approvers: [dora]

        """

    private func engine() async throws -> Engine {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let executor = ScriptedExecutor()
        var configuration = EngineConfiguration(
            runID: "guarded", user: "starter", executor: executor, simulator: executor, runDirectory: directory,
            syncJournal: false, environment: [:])
        configuration.directory = FixedUserDirectory(["erin": ["sre"], "bob": ["staff"], "carol": ["staff"], "dora": ["staff"]])
        let engine = try Engine(workflow: try WorkflowLoader.load(yaml: text, file: "guarded.yaml"), workflowText: text, configuration: configuration)
        await engine.start()
        try await S.waitFor(engine) { $0["check"]?.state == .waiting }
        return engine
    }

    @Test func theWorkflowDeclaresWhoWatchesAndWhoActs() throws {
        let workflow = try WorkflowLoader.load(yaml: text, file: "guarded.yaml")
        #expect(workflow.access == AccessPolicy(viewers: ["bob"], operators: ["alice", "group:sre"]))
        #expect(throws: WorkflowLoadError.self) {
            try WorkflowLoader.load(yaml: "access: {admins: [x]}\nsteps:\n  a: {run: x}\n", file: "bad.yaml")
        }
    }

    @Test func rolesFollowTheListsAndTheStarterIsAlwaysAnOperator() async throws {
        let engine = try await engine()
        #expect(await engine.role(of: "starter") == .operator)
        #expect(await engine.role(of: "alice") == .operator)
        #expect(await engine.role(of: "erin") == .operator, "a member of group:sre")
        #expect(await engine.role(of: "bob") == .viewer)
        #expect(await engine.role(of: "dora") == .viewer, "an approver may watch the run they decide on")
        #expect(await engine.role(of: "carol") == nil, "left out of every list")
    }

    @Test func aViewerIsRefusedByTheEngineAndTheRefusalIsAudited() async throws {
        let engine = try await engine()
        let refused = await engine.perform(.pauseRun, by: "bob")
        #expect(refused == .refused("bob may not pause the run: only the run's operators may (starter, alice, group:sre)"))
        let ungated = await engine.perform(.approve(step: "check", comment: "lgtm"), by: "bob")
        #expect(!ungated.isAccepted, "a gate naming no approvers is for operators")
        let audit = await engine.state.audit
        #expect(audit.contains { $0.user == "bob" && $0.action == "pause" && $0.outcome == .refused && $0.detail?.contains("operators") == true })
        #expect(await engine.perform(.approve(step: "check", comment: "lgtm"), by: "erin").isAccepted)
        try await S.waitFor(engine) { $0["ship"]?.state == .waiting }
        #expect(!(await engine.perform(.approve(step: "ship", comment: nil), by: "alice")).isAccepted, "an operator is no approver of a gate that names its approvers")
        #expect(await engine.perform(.approve(step: "ship", comment: nil), by: "dora").isAccepted, "a viewer decides the gate that names them")
    }

    @Test func withoutAccessTheStarterAndTheRunDirectorysGroupOperate() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let executor = ScriptedExecutor()
        var configuration = EngineConfiguration(
            runID: "open", user: "starter", executor: executor, simulator: executor, runDirectory: directory,
            syncJournal: false, environment: [:])
        // The run directory's group is the test process's group.
        let group = try #require(SystemUserDirectory.groupName(getegid()))
        configuration.directory = FixedUserDirectory(["member": [group], "stranger": ["elsewhere-\(UUID().uuidString)"]])
        let engine = try Engine(workflow: Workflow(name: "open", steps: [Step(id: "a", run: "x")]), workflowText: "name: open\n", configuration: configuration)
        #expect(await engine.role(of: "member") == .operator)
        #expect(await engine.role(of: "stranger") == .viewer, "anyone who can reach the socket watches")
    }
}
