import Testing
@testable import BatonEngine

/// Reading approval policy from workflow files: every field, and every mistake with its place.
@Suite struct ApprovalPolicyLoadingTests {
    private func problems(_ yaml: String) -> [String] { EngineTestSupport.loadProblems(yaml) }

    @Test func everyPolicyFieldIsRead() throws {
        let workflow = try WorkflowLoader.load(yaml: """
            self_approval: false
            steps:
              ship:
                approval:
                  prompt: Ship it?
                  approvers: [alice, group:release]
                  self_approval: true
                  timeout: 30m
                  on_timeout: escalate
                  escalate_to: group:sre
              plain:
                approval: true
            """, file: "wf.yaml")
        #expect(workflow.selfApproval == false)
        let gate = try #require(workflow["ship"]?.approval)
        #expect(gate == ApprovalGate(
            prompt: "Ship it?", approvers: ["alice", "group:release"], selfApproval: true, timeout: .seconds(1800),
            onTimeout: .escalate, escalateTo: ["group:sre"]))
        #expect(workflow["plain"]?.approval == ApprovalGate())
        #expect(try WorkflowLoader.load(yaml: "steps:\n  a:\n    run: 'true'\n", file: "wf.yaml").selfApproval == true)
    }

    @Test func badApproverEntriesAreEachReportedWhereTheyAre() {
        let found = problems("""
            steps:
              ship:
                approval:
                  approvers: ["", "group:", "bob smith", alice, alice, "groups:ops"]
            """)
        #expect(found == [
            "wf.yaml:4:19: '' in 'approval.approvers' in step 'ship' is not a user name: it is empty or has spaces",
            "wf.yaml:4:23: 'group:' in 'approval.approvers' in step 'ship' names no group; write group:NAME",
            "wf.yaml:4:33: 'bob smith' in 'approval.approvers' in step 'ship' is not a user name: it is empty or has spaces",
            "wf.yaml:4:53: 'alice' appears twice in 'approval.approvers' in step 'ship'",
            "wf.yaml:4:60: 'groups:ops' in 'approval.approvers' in step 'ship' is not a user name; groups are written group:NAME",
        ])
    }

    @Test func timeoutRulesAreChecked() {
        let found = problems("""
            self_approval: sometimes
            steps:
              a:
                approval:
                  on_timeout: explode
              b:
                approval:
                  approvers: [alice]
                  timeout: 0s
              c:
                approval:
                  approvers: [alice]
                  timeout: 5m
                  on_timeout: escalate
              d:
                approval:
                  approvers: [alice]
                  timeout: 5m
                  escalate_to: [bob]
              e:
                approval:
                  timeout: 5m
                  on_timeout: escalate
                  escalate_to: [bob]
                  self_aproval: false
            """)
        #expect(found.contains { $0.hasPrefix("wf.yaml:1:16: 'self_approval' must be") })
        #expect(found.contains("wf.yaml:5:7: 'on_timeout' of step 'a' needs a 'timeout' in the same approval"))
        #expect(found.contains("wf.yaml:5:19: 'approval.on_timeout' in step 'a' must be reject or escalate, not 'explode'"))
        #expect(found.contains { $0.hasPrefix("wf.yaml:9:16: ") && $0.contains("longer than zero") })
        #expect(found.contains("wf.yaml:14:7: 'on_timeout: escalate' of step 'c' needs 'escalate_to', the users or groups to escalate to"))
        #expect(found.contains("wf.yaml:19:7: 'escalate_to' of step 'd' only applies with 'on_timeout: escalate'"))
        #expect(found.contains("wf.yaml:24:7: 'escalate_to' of step 'e' adds nobody: without 'approvers' anyone may already decide the gate"))
        #expect(found.contains("wf.yaml:25:7: unknown key 'self_aproval' in the approval of step 'e'; did you mean 'self_approval'?"))
        #expect(found.count == 8, "\(found.joined(separator: "\n"))")
    }
}
