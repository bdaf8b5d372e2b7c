import BatonTestSupport
import Foundation
import Testing
@testable import BatonEngine

/// `ApprovalPolicy.openGates`: which waiting gates a user may approve, read from a workflow and
/// a folded journal alone, by the rule the engine's `approve` applies.
@Suite struct ApprovalPolicyOpenGatesTests {
    static let people = FixedUserDirectory([
        "bob": ["staff", "release"], "carol": ["staff", "sre"], "mallory": ["staff", "dev"], "starter": ["staff", "release"],
    ])

    private func workflow(selfApproval: Bool = true) -> Workflow {
        let gate = ApprovalGate(approvers: ["bob", "group:release"], onTimeout: .escalate, escalateTo: ["carol"])
        return Workflow(
            name: "policy", selfApproval: selfApproval,
            steps: [Step(id: "build"), Step(id: "ship", needs: ["build"], approval: gate), Step(id: "open", approval: ApprovalGate())])
    }

    private var waiting: JournalBuilder {
        JournalBuilder(user: "starter").runStarted(steps: ["build", "ship", "open"]).succeeded("build").step("ship", .waiting)
    }

    private func mayApprove(_ user: String, _ journal: JournalBuilder, selfApproval: Bool = true, isOperator: Bool = true) throws -> [String: Bool] {
        let policy = ApprovalPolicy(workflow: workflow(selfApproval: selfApproval), directory: Self.people)
        let gates = policy.openGates(in: try journal.state(), for: user, isOperator: isOperator)
        return Dictionary(uniqueKeysWithValues: gates.map { ($0.step, $0.userMayApprove) })
    }

    @Test func approversByNameAndByGroupMayApproveAndOthersMayNot() throws {
        #expect(try mayApprove("bob", waiting) == ["ship": true])
        #expect(try mayApprove("starter", waiting) == ["ship": true])
        #expect(try mayApprove("mallory", waiting) == ["ship": false])
        #expect(try mayApprove("carol", waiting) == ["ship": false])
        // A gate with no approvers is any operator's.
        #expect(try mayApprove("mallory", waiting.step("open", .waiting)) == ["ship": false, "open": true])
        #expect(try mayApprove("mallory", waiting.step("open", .waiting), isOperator: false) == ["ship": false, "open": false])
        #expect(try mayApprove("bob", waiting.step("open", .waiting), isOperator: false) == ["ship": true, "open": false])
    }

    @Test func theStarterMayNotApproveWithoutSelfApproval() throws {
        #expect(try mayApprove("starter", waiting, selfApproval: false) == ["ship": false])
        #expect(try mayApprove("bob", waiting, selfApproval: false) == ["ship": true])
    }

    @Test func anEscalationAddsWhomItEscalatedTo() throws {
        let escalated = waiting.approvalTimedOut("ship", escalatedTo: ["carol"])
        #expect(try mayApprove("carol", escalated) == ["ship": true])
        let gates = ApprovalPolicy(workflow: workflow(), directory: Self.people).openGates(in: try escalated.state(), for: "carol", isOperator: false)
        #expect(gates.first?.approvers == ["bob", "group:release", "carol"])
    }

    @Test func operatorsAreTheStarterTheRunnerAndWhomAccessOrTheRunsGroupNames() {
        let named = AccessPolicy(operators: ["alice", "group:sre"])
        func check(_ policy: AccessPolicy, _ user: String, group: String? = "release", recorded: Bool = true) -> Bool {
            policy.isOperator(user, starter: "starter", runner: "runner", runDirectoryGroup: group, recorded: recorded, directory: Self.people)
        }
        #expect(check(named, "starter") && check(named, "runner"))
        #expect(check(named, "alice") && check(named, "carol"))
        #expect(!check(named, "bob"))
        // Without access.operators, the run directory's group.
        #expect(check(AccessPolicy(), "bob"))
        #expect(!check(AccessPolicy(), "carol"))
        #expect(!check(AccessPolicy(), "bob", group: nil))
        // A run not recorded has no socket: whoever its own front ends name.
        #expect(check(AccessPolicy(), "carol", group: nil, recorded: false))
        #expect(!check(named, "bob", recorded: false))
    }

    @Test func aFinishedRunOrADecidedGateHasNoOpenGate() throws {
        #expect(try mayApprove("bob", waiting.finished(.interrupted)).isEmpty)
        #expect(try mayApprove("bob", waiting.command("approve", step: "ship", by: "bob").step("ship", .pending)).isEmpty)
        // A journal of another workflow's steps says nothing about this one's gates.
        let other = JournalBuilder().runStarted(steps: ["x"])
        #expect(try mayApprove("bob", other).isEmpty)
    }
}
