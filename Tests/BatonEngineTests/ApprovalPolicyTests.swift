import BatonTestSupport
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

    /// A started engine for a build step and the gate `ship`, run by "starter"; on the real
    /// clocks unless a test passes its own.
    private func engine(
        gate: ApprovalGate, selfApproval: Bool = true, runDirectory: RunDirectory? = nil, runID: String? = nil,
        clock: (any EngineClock)? = nil
    ) async throws -> Engine {
        let workflow = Workflow(
            name: "policy", concurrency: 2, selfApproval: selfApproval,
            steps: [S.simulated("build"), S.simulated("ship", needs: ["build"], approval: gate), S.simulated("after", needs: ["ship"])])
        var configuration = EngineConfiguration(
            runID: runID ?? "policy-\(UUID().uuidString.prefix(8))", user: "starter", runDirectory: runDirectory,
            syncJournal: false, environment: [:])
        configuration.directory = Self.people
        if let clock { configuration.clock = clock }
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

    // MARK: Nobody to decide

    @Test func aGateRejectedForWantOfAnOperatorIsBatonsDecisionNotTheStarters() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let engine = try await engine(gate: ApprovalGate(approvers: ["alice"]), runDirectory: directory)
        let reason = "no operator: stdin is not interactive; pass --approve ship or --approve-all"
        #expect(await engine.rejectWithoutOperator("ship", reason: reason) == .accepted("'ship' rejected by baton: \(reason)"))
        let state = await engine.state
        #expect(state["ship"]?.state == .failed)
        #expect(state["ship"]?.reason == "rejected by baton: \(reason)")
        #expect(state["ship"]?.approval?.user == AuditEntry.batonUser)
        #expect(state["ship"]?.approval?.approved == false)
        #expect(state["after"]?.state == .blocked)
        let entry = try #require(state.audit.first { $0.action == "reject" })
        #expect(entry.user == AuditEntry.batonUser)
        #expect(entry.comment == reason)
        #expect(entry.outcome == .accepted)
        #expect(!state.audit.contains { $0.user == "starter" && $0.action != "start run" }, "the starter decided nothing")

        // A gate that is no longer open is refused, on the record, as for anyone.
        #expect(await engine.rejectWithoutOperator("ship", reason: reason) == .refused("cannot reject 'ship': it is failed, not waiting for approval"))
        #expect(await engine.state.audit.last.map { [$0.user, $0.action, $0.outcome.rawValue] } == ["baton", "reject", "refused"])
        _ = await engine.finish(outcome: .failed, reason: "test over")
        _ = await engine.waitUntilFinished()
        #expect(try JournalReader.fold(try directory.readJournal().events).audit == (await engine.state).audit)
    }

    // MARK: Timeouts and escalation

    @Test func aGateNobodyDecidesIsRejectedWhenItTimesOut() async throws {
        let clock = ManualClock()
        let engine = try await engine(gate: ApprovalGate(approvers: ["alice"], timeout: .seconds(1800)), clock: clock)
        try await clock.waitForSleepers(1)
        #expect(clock.pendingWaits == [.seconds(1800)])
        clock.advance(by: .seconds(1800) - .milliseconds(1))
        #expect(await engine.state["ship"]?.state == .waiting)
        clock.advance(by: .milliseconds(1))
        try await S.waitFor(engine) { $0["ship"]?.state == .failed }
        let state = await engine.state
        #expect(state["ship"]?.reason == "rejected by timeout: no decision within 30m")
        #expect(state["ship"]?.approval?.approved == false)
        #expect(state["ship"]?.approval?.user == AuditEntry.batonUser)
        #expect(state["ship"]?.approval?.time == clock.start + 1800)
        #expect(state["after"]?.state == .blocked)
        #expect(await audit(engine).contains("baton gate timed out ship recorded"))
        #expect(await engine.approve("ship", by: "alice") == .refused("cannot approve 'ship': it is failed, not waiting for approval"))
    }

    @Test func aDecisionInTimeStopsTheTimer() async throws {
        let clock = ManualClock()
        let engine = try await engine(gate: ApprovalGate(approvers: ["alice"], timeout: .seconds(60)), clock: clock)
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(59))
        #expect(await engine.approve("ship", by: "alice").isAccepted)
        #expect(try await S.settle(engine) == .finished(.succeeded))
        #expect(clock.pendingWaits.isEmpty, "the finished run left a timer waiting")
        clock.advance(by: .seconds(3600))
        #expect(!(await engine.state.audit.contains { $0.action.hasPrefix("gate") }))
    }

    @Test func anEscalatedGateMayBeDecidedByWhomItEscalatedTo() async throws {
        let clock = ManualClock()
        let gate = ApprovalGate(approvers: ["alice"], timeout: .seconds(900), onTimeout: .escalate, escalateTo: ["group:sre"])
        let engine = try await engine(gate: gate, clock: clock)
        #expect(!(await engine.approve("ship", by: "carol")).isAccepted, "carol may decide only once the gate escalates")
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(900))
        try await S.waitFor(engine) { $0["ship"]?.escalatedTo != nil }
        #expect(await engine.state["ship"]?.state == .waiting)
        #expect(await engine.approve("ship", by: "mallory") == .refused("cannot approve 'ship': mallory is not among its approvers (alice, group:sre)"))
        #expect(await engine.approve("ship", by: "carol", comment: "on call").isAccepted)
        #expect(try await S.settle(engine) == .finished(.succeeded))
        let trail = await audit(engine)
        let escalation = try #require(trail.firstIndex(of: "baton gate escalated ship recorded"))
        let approval = try #require(trail.firstIndex(of: "carol approve ship accepted"))
        #expect(escalation < approval)
        #expect(await engine.state.audit[escalation].detail == "no decision within 15m; escalated to group:sre")
        #expect(await engine.state.audit[escalation].time == clock.start + 900)
    }

    /// `baton runs` and the console read the fold: an escalation must not leave a run that
    /// only waits looking as if it ran.
    @Test func aRunWhoseGateEscalatedStillWaitsForAnOperator() async throws {
        let clock = ManualClock()
        let gate = ApprovalGate(approvers: ["alice"], timeout: .seconds(900), onTimeout: .escalate, escalateTo: ["carol"])
        let engine = try await engine(gate: gate, clock: clock)
        try await S.waitFor(engine) { $0.status == .waitingForOperator }
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(900))
        try await S.waitFor(engine) { $0["ship"]?.escalatedTo != nil }
        let state = await engine.state
        #expect(state.status == .waitingForOperator)
        #expect(state.operatorWait?.steps == ["ship"])
        #expect(state.operatorWait?.since == clock.start + 900, "the wait is recorded again at the escalation")
        #expect(await engine.approve("ship", by: "carol").isAccepted)
        #expect(try await S.settle(engine) == .finished(.succeeded))
    }

    @Test func anEscalatedGateNobodyDecidesIsRejectedAfterASecondWindow() async throws {
        let clock = ManualClock()
        let gate = ApprovalGate(approvers: ["alice"], timeout: .seconds(600), onTimeout: .escalate, escalateTo: ["carol"])
        let engine = try await engine(gate: gate, clock: clock)
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(600))
        try await S.waitFor(engine) { $0["ship"]?.escalatedTo != nil }
        // The second window is a full timeout long, counted from the escalation.
        try await clock.waitForSleepers(1)
        #expect(clock.pendingWaits == [.seconds(600)])
        clock.advance(by: .seconds(600) - .milliseconds(1))
        #expect(await engine.state["ship"]?.state == .waiting)
        clock.advance(by: .milliseconds(1))
        try await S.waitFor(engine) { $0["ship"]?.state == .failed }
        let state = await engine.state
        #expect(state["ship"]?.reason == "rejected by timeout: no decision within 10m and 10m more after escalating")
        let times = state.audit.filter { $0.step == "ship" }.map { $0.time - clock.start }
        #expect(times == [600, 1200])
    }

    /// A run with a journal whose gate `ship` (timeout 10 minutes) opened at the clock's start,
    /// interrupted after `before`; the clock then moves on by `down` while Baton is not running.
    private func interruptedRunWithAnOpenGate(
        clock: ManualClock, before: Duration, down: Duration
    ) async throws -> (engine: Engine, directory: RunDirectory) {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let runID = "policy-resume-\(UUID().uuidString.prefix(6))"
        let gate = ApprovalGate(approvers: ["alice"], timeout: .seconds(600))
        let first = try await engine(gate: gate, runDirectory: directory, runID: runID, clock: clock)
        #expect(await first.state["ship"]?.waitingSince == clock.start)
        clock.advance(by: before)
        // Nothing runs while the gate waits: the run is left waiting for an operator.
        #expect(await first.close(by: "starter") == .waitingForOperator)
        let history = try directory.readJournal().events
        #expect(try JournalReader.fold(history)["ship"]?.state == .waiting)
        clock.advance(by: down)

        var configuration = EngineConfiguration(runID: runID, user: "starter", runDirectory: directory, syncJournal: false, environment: [:])
        configuration.directory = Self.people
        configuration.clock = clock
        let resumed = try Engine(workflow: first.loadedWorkflow, resuming: history, configuration: configuration)
        await resumed.start()
        return (resumed, directory)
    }

    @Test func aResumedRunKeepsItsGatesDeadline() async throws {
        let clock = ManualClock()
        let (resumed, directory) = try await interruptedRunWithAnOpenGate(clock: clock, before: .seconds(180), down: .seconds(180))
        // Six of the ten minutes have gone: the gate has four left, not a fresh ten.
        try await clock.waitForSleepers(1)
        #expect(clock.pendingWaits == [.seconds(240)])
        clock.advance(by: .seconds(240) - .milliseconds(1))
        #expect(await resumed.state["ship"]?.state == .waiting)
        clock.advance(by: .milliseconds(1))
        try await S.waitFor(resumed) { $0["ship"]?.state == .failed }
        #expect(await resumed.state["ship"]?.reason == "rejected by timeout: no decision within 10m")
        #expect(await resumed.state["ship"]?.approval?.time == clock.start + 600)
        _ = await resumed.close(by: "starter")
        let journal = try directory.readJournal().events
        #expect(try JournalReader.fold(journal).audit == (await resumed.state).audit)
    }

    @Test func aGateWhoseTimeRanOutWhileBatonWasDownTimesOutOnResume() async throws {
        let clock = ManualClock()
        let (resumed, _) = try await interruptedRunWithAnOpenGate(clock: clock, before: .seconds(60), down: .seconds(3600))
        try await S.waitFor(resumed) { $0["ship"]?.state == .failed }
        #expect(await resumed.state["ship"]?.reason == "rejected by timeout: no decision within 10m")
        _ = await resumed.close(by: "starter")
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
