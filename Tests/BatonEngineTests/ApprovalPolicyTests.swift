import Foundation
import Testing
@testable import BatonEngine

/// Who may decide a gate: approvers and groups, segregation of duties, timeouts and
/// escalation, and the audit trail each decision leaves.
///
/// Other people are played through the engine's `UserDirectory` seam and the `by:` argument
/// of its commands; nothing here goes through the environment.
@Suite struct ApprovalPolicyTests {
    typealias S = EngineTestSupport

    /// alice and bob are release managers, carol is on call (sre), mallory is a developer;
    /// the run is started by "starter", who is a release manager too.
    static let people = FixedUserDirectory([
        "alice": ["staff"], "bob": ["staff", "release"], "carol": ["staff", "sre"],
        "mallory": ["staff", "dev"], "starter": ["staff", "release"],
    ])

    /// A started engine for a build step and the gate `ship`, run by "starter".
    private func engine(
        gate: ApprovalGate, selfApproval: Bool = true, runDirectory: RunDirectory? = nil, runID: String? = nil
    ) async throws -> Engine {
        let workflow = Workflow(
            name: "policy", concurrency: 2, selfApproval: selfApproval,
            steps: [S.simulated("build"), S.simulated("ship", needs: ["build"], approval: gate), S.simulated("after", needs: ["ship"])])
        var configuration = EngineConfiguration(
            runID: runID ?? "policy-\(UUID().uuidString.prefix(8))", user: "starter", runDirectory: runDirectory,
            syncJournal: false, environment: [:])
        configuration.directory = Self.people
        let engine = try Engine(workflow: workflow, workflowText: "name: policy\n", configuration: configuration)
        await engine.start()
        try await S.waitFor(engine) { $0["ship"]?.state == .waiting }
        return engine
    }

    private func audit(_ engine: Engine) async -> [String] {
        await engine.state.audit.map { entry in
            [entry.user, entry.action, entry.step ?? "-", entry.outcome.rawValue].joined(separator: " ")
        }
    }

    // MARK: Approvers and groups

    @Test func aGroupMemberMayApproveAndAnyoneElseIsRefusedOnTheRecord() async throws {
        let engine = try await engine(gate: ApprovalGate(approvers: ["alice", "group:release"]))
        #expect(await engine.state["ship"]?.reason == "waiting for approval by alice or group:release")

        let mallory = await engine.approve("ship", by: "mallory", comment: "trust me")
        #expect(mallory == .refused("cannot approve 'ship': mallory is not among its approvers (alice, group:release)"))
        let carol = await engine.reject("ship", by: "carol")
        #expect(!carol.isAccepted, "rejecting is deciding too: only approvers may")
        #expect(await engine.state["ship"]?.state == .waiting)

        #expect(await engine.approve("ship", by: "bob", comment: "release group").isAccepted)
        #expect(try await S.settle(engine) == .finished(.succeeded))

        #expect(await audit(engine) == [
            "starter start run - recorded", "mallory approve ship refused", "carol reject ship refused",
            "bob approve ship accepted", "baton run finished - recorded",
        ])
        let refusal = await engine.state.audit[1]
        #expect(refusal.comment == "trust me")
        #expect(refusal.detail?.contains("not among its approvers") == true)
        #expect(await engine.state["ship"]?.approval?.user == "bob")
    }

    @Test func aNamedUserMayApproveWithoutBeingInAnyGroup() async throws {
        let engine = try await engine(gate: ApprovalGate(approvers: ["alice", "group:release"]))
        #expect(await engine.approve("ship", by: "alice").isAccepted)
        #expect(try await S.settle(engine) == .finished(.succeeded))
    }

    @Test func aGroupNobodyIsInLetsNobodyApprove() async throws {
        let engine = try await engine(gate: ApprovalGate(approvers: ["group:auditors"]))
        for person in ["alice", "bob", "carol", "mallory", "starter", "auditors"] {
            #expect(!(await engine.approve("ship", by: person)).isAccepted, "\(person) is not in group auditors")
        }
        #expect(await engine.state["ship"]?.state == .waiting)
    }

    @Test func aGateWithoutApproversTakesAnyone() async throws {
        let engine = try await engine(gate: ApprovalGate(prompt: "ok?"))
        #expect(await engine.approve("ship", by: "mallory").isAccepted)
    }

    // MARK: Segregation of duties

    @Test func withoutSelfApprovalTheStarterMayNotApproveButSomeoneElseMay() async throws {
        let engine = try await engine(gate: ApprovalGate(approvers: ["group:release"]), selfApproval: false)
        let own = await engine.approve("ship", by: "starter", comment: "my own change")
        #expect(own == .refused("cannot approve 'ship': starter started this run, and self_approval is false, so someone else must approve it"))
        #expect(await engine.state["ship"]?.state == .waiting)
        #expect(await engine.approve("ship", by: "bob").isAccepted)
        #expect(try await S.settle(engine) == .finished(.succeeded))
        #expect(await audit(engine).contains("starter approve ship refused"))
    }

    @Test func withoutSelfApprovalTheStarterMayStillReject() async throws {
        let engine = try await engine(gate: ApprovalGate(approvers: ["group:release"]), selfApproval: false)
        #expect(await engine.reject("ship", by: "starter", comment: "pulling my change").isAccepted)
        #expect(await engine.state["ship"]?.state == .failed)
    }

    @Test func theGateSettingOverridesTheWorkflowsEitherWay() async throws {
        let allowed = try await engine(gate: ApprovalGate(approvers: ["group:release"], selfApproval: true), selfApproval: false)
        #expect(await allowed.approve("ship", by: "starter").isAccepted)

        let refused = try await engine(gate: ApprovalGate(approvers: ["group:release"], selfApproval: false), selfApproval: true)
        #expect(!(await refused.approve("ship", by: "starter")).isAccepted)
        #expect(await refused.approve("ship", by: "bob").isAccepted)
    }

    // MARK: Timeouts and escalation

    @Test func aGateNobodyDecidesIsRejectedWhenItTimesOut() async throws {
        let engine = try await engine(gate: ApprovalGate(approvers: ["alice"], timeout: .milliseconds(150)))
        try await S.waitFor(engine) { $0["ship"]?.state == .failed }
        let state = await engine.state
        #expect(state["ship"]?.reason == "rejected by timeout: no decision within 150ms")
        #expect(state["ship"]?.approval?.approved == false)
        #expect(state["ship"]?.approval?.user == AuditEntry.batonUser)
        #expect(state["after"]?.state == .blocked)
        #expect(await audit(engine).contains("baton gate timed out ship recorded"))
        #expect(await engine.approve("ship", by: "alice") == .refused("cannot approve 'ship': it is failed, not waiting for approval"))
    }

    @Test func aDecisionInTimeStopsTheTimer() async throws {
        let engine = try await engine(gate: ApprovalGate(approvers: ["alice"], timeout: .milliseconds(150)))
        #expect(await engine.approve("ship", by: "alice").isAccepted)
        #expect(try await S.settle(engine) == .finished(.succeeded))
        try await Task.sleep(for: .milliseconds(300))
        #expect(!(await engine.state.audit.contains { $0.action.hasPrefix("gate") }))
    }

    @Test func anEscalatedGateMayBeDecidedByWhomItEscalatedTo() async throws {
        let gate = ApprovalGate(approvers: ["alice"], timeout: .milliseconds(150), onTimeout: .escalate, escalateTo: ["group:sre"])
        let engine = try await engine(gate: gate)
        #expect(!(await engine.approve("ship", by: "carol")).isAccepted, "carol may decide only once the gate escalates")
        try await S.waitFor(engine) { $0["ship"]?.escalatedTo != nil }
        #expect(await engine.state["ship"]?.state == .waiting)
        #expect(await engine.approve("ship", by: "mallory") == .refused("cannot approve 'ship': mallory is not among its approvers (alice, group:sre)"))
        #expect(await engine.approve("ship", by: "carol", comment: "on call").isAccepted)
        #expect(try await S.settle(engine) == .finished(.succeeded))
        let trail = await audit(engine)
        let escalation = try #require(trail.firstIndex(of: "baton gate escalated ship recorded"))
        let approval = try #require(trail.firstIndex(of: "carol approve ship accepted"))
        #expect(escalation < approval)
        #expect(await engine.state.audit[escalation].detail == "no decision within 150ms; escalated to group:sre")
    }

    @Test func anEscalatedGateNobodyDecidesIsRejectedAfterASecondWindow() async throws {
        let gate = ApprovalGate(approvers: ["alice"], timeout: .milliseconds(120), onTimeout: .escalate, escalateTo: ["carol"])
        let engine = try await engine(gate: gate)
        try await S.waitFor(engine) { $0["ship"]?.state == .failed }
        let state = await engine.state
        #expect(state["ship"]?.reason == "rejected by timeout: no decision within 120ms and 120ms more after escalating")
        let times = state.audit.filter { $0.step == "ship" }.map(\.time)
        #expect(times.count == 2)
        #expect(times[1] - times[0] >= 0.1, "the second window is a full timeout long")
    }

    @Test func aResumedRunKeepsItsGatesDeadline() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let runID = "policy-resume-\(UUID().uuidString.prefix(6))"
        let gate = ApprovalGate(approvers: ["alice"], timeout: .milliseconds(400))
        let first = try await engine(gate: gate, runDirectory: directory, runID: runID)
        #expect(await first.close(by: "starter") == .interrupted)
        let history = try directory.readJournal().events
        #expect(try JournalReader.fold(history)["ship"]?.state == .waiting)

        // Baton is down for longer than the gate's timeout; on resume the gate times out at once.
        try await Task.sleep(for: .milliseconds(500))
        var configuration = EngineConfiguration(runID: runID, user: "starter", runDirectory: directory, syncJournal: false, environment: [:])
        configuration.directory = Self.people
        let resumed = try Engine(workflow: first.workflow, resuming: history, configuration: configuration)
        await resumed.start()
        try await S.waitFor(resumed, limit: .seconds(2)) { $0["ship"]?.state == .failed }
        #expect(await resumed.state["ship"]?.reason == "rejected by timeout: no decision within 400ms")
        _ = await resumed.close(by: "starter")
        let journal = try directory.readJournal().events
        #expect(try JournalReader.fold(journal).audit == (await resumed.state).audit)
    }

    // MARK: The trail itself

    @Test func theFoldedJournalGivesTheSameTrailAsTheLiveRun() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let engine = try await engine(gate: ApprovalGate(approvers: ["group:release"]), selfApproval: false, runDirectory: directory)
        _ = await engine.approve("ship", by: "starter")
        _ = await engine.hold("after", by: "mallory")
        _ = await engine.retry("build", by: "alice")
        _ = await engine.approve("ship", by: "bob", comment: "ok")
        _ = await engine.release("after", by: "mallory")
        #expect(try await S.settle(engine) == .finished(.succeeded))
        _ = await engine.waitUntilFinished()
        let live = await engine.state.audit
        #expect(live.map(\.action) == ["start run", "approve", "hold", "retry", "approve", "release", "run finished"])
        #expect(live.map(\.outcome) == [.recorded, .refused, .accepted, .refused, .accepted, .accepted, .recorded])
        #expect(try JournalReader.fold(try directory.readJournal().events).audit == live)
    }

    // MARK: The system directory

    @Test func theSystemDirectoryKnowsThisUsersPrimaryGroupAndNotAnUnknownUser() throws {
        let directory = SystemUserDirectory()
        let me = OperatorIdentity.current
        let group = try #require(getgrgid(getgid()))
        let primary = String(cString: group.pointee.gr_name)
        #expect(directory.groups(of: me).contains(primary))
        #expect(directory.groups(of: "no-such-user-\(UUID().uuidString.prefix(8))").isEmpty)
    }
}
