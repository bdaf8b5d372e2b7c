import BatonTestSupport
import Foundation
import Testing
@testable import BatonEngine

@Suite struct EngineTests {
    typealias S = EngineTestSupport

    @Test func runsADiamondInDependencyOrder() async throws {
        let engine = try await S.startedEngine([
            S.simulated("a"), S.simulated("b", needs: ["a"]), S.simulated("c", needs: ["a"]), S.simulated("d", needs: ["b", "c"]),
        ])
        let events = S.collectEvents(engine)
        #expect(try await S.settle(engine) == .finished(.succeeded))
        let log = await events.value
        let starts = log.filter { $0.state == .running }.compactMap(\.step)
        #expect(starts.first == "a")
        #expect(starts.last == "d")
        #expect(await engine.internalErrors.isEmpty)
    }

    @Test func neverRunsMoreThanTheConcurrencyLimit() async throws {
        let steps = (0..<8).map { S.simulated("s\($0)", duration: .milliseconds(30)) }
        let engine = try await S.startedEngine(steps, concurrency: 3)
        let events = S.collectEvents(engine)
        #expect(try await S.settle(engine) == .finished(.succeeded))
        var running = 0
        var peak = 0
        for event in await events.value where event.kind == .step {
            if event.state == .running { running += 1 }
            if event.state == .succeeded { running -= 1 }
            peak = max(peak, running)
        }
        #expect(peak == 3)
    }

    @Test func retriesWithExponentialBackoffThenSucceeds() async throws {
        let clock = ManualClock()
        let retry = RetryPolicy(attempts: 3, backoff: .milliseconds(60))
        let engine = try await S.startedEngine([S.simulated("flaky", duration: .zero, exitCodes: [1, 1, 0], retry: retry)], clock: clock)
        let events = S.collectEvents(engine)

        // The first backoff is 60 ms: a millisecond short of it, the step still waits.
        try await clock.waitForSleepers(1)
        #expect(clock.pendingWaits == [.milliseconds(60)])
        clock.advance(by: .milliseconds(59))
        #expect(await engine.state["flaky"]?.attempt == 1)
        clock.advance(by: .milliseconds(1))
        try await S.waitFor(engine) { $0["flaky"]?.attempt == 2 && $0["flaky"]?.state == .retrying }

        // The second is twice the first.
        try await clock.waitForSleepers(1)
        #expect(clock.pendingWaits == [.milliseconds(120)])
        clock.advance(by: .milliseconds(119))
        #expect(await engine.state["flaky"]?.attempt == 2)
        clock.advance(by: .milliseconds(1))
        #expect(try await S.settle(engine) == .finished(.succeeded))

        let log = await events.value
        #expect(S.history(log)["flaky"] == [.running, .retrying, .running, .retrying, .running, .succeeded])
        let record = await engine.state["flaky"]
        #expect(record?.attempt == 3)
        #expect(record?.exitCodes == [1, 1, 0])
        // Events are stamped with the engine's clock: each attempt starts when its backoff ends.
        let steps = log.filter { $0.kind == .step }
        #expect(steps.map { ($0.time - clock.start) * 1000 }.map { $0.rounded() } == [0, 0, 60, 60, 180, 180])
        #expect(steps[1].reason?.contains("next in 60ms") == true)
        #expect(steps[3].reason?.contains("next in 120ms") == true)
    }

    @Test func failsAfterTheLastAttemptAndBlocksDependents() async throws {
        let engine = try await S.startedEngine([
            S.simulated("bad", exitCodes: [3], retry: RetryPolicy(attempts: 2, backoff: .milliseconds(1))),
            S.simulated("after", needs: ["bad"]),
            S.simulated("other"),
        ])
        let settlement = try await S.settle(engine)
        guard case .needsOperator(let reasons) = settlement else {
            Issue.record("expected the run to wait for an operator, got \(settlement)")
            return
        }
        #expect(reasons.contains { $0.contains("'bad' failed") })
        let state = await engine.state
        #expect(state["bad"]?.state == .failed)
        #expect(state["after"]?.state == .blocked)
        #expect(state["after"]?.reason == "upstream 'bad' failed")
        #expect(state["other"]?.state == .succeeded)
    }

    @Test func approveByAnApproverLetsTheGateRunAndOthersAreRefused() async throws {
        let gate = ApprovalGate(prompt: "Ship it?", approvers: ["alice", "bob"])
        let engine = try await S.startedEngine([S.simulated("build"), S.simulated("ship", needs: ["build"], approval: gate)])
        _ = try await S.settle(engine)
        #expect(await engine.state["ship"]?.state == .waiting)
        #expect(await engine.state["ship"]?.reason == "waiting for approval by alice or bob")

        let refused = await engine.approve("ship", by: "mallory")
        #expect(refused == .refused("cannot approve 'ship': mallory is not among its approvers (alice, bob)"))
        #expect(await engine.state["ship"]?.state == .waiting)

        #expect(await engine.approve("ship", by: "alice", comment: "looks good").isAccepted)
        #expect(try await S.settle(engine) == .finished(.succeeded))
        let state = await engine.state
        #expect(state["ship"]?.approval == ApprovalDecision(approved: true, user: "alice", comment: "looks good", time: state["ship"]!.approval!.time))
        let audit = state.commands.map { "\($0.command ?? "") \($0.user ?? "") \($0.accepted == true)" }
        #expect(audit == ["approve mallory false", "approve alice true"])
    }

    @Test func rejectFailsTheGateAndBlocksWhatFollows() async throws {
        let engine = try await S.startedEngine([
            S.simulated("gate", approval: ApprovalGate(prompt: "ok?")), S.simulated("after", needs: ["gate"]),
        ])
        _ = try await S.settle(engine)
        #expect(await engine.reject("gate", by: "carol", comment: "not today").isAccepted)
        _ = try await S.settle(engine)
        let state = await engine.state
        #expect(state["gate"]?.state == .failed)
        #expect(state["gate"]?.reason == "rejected by carol: not today")
        #expect(state["after"]?.state == .blocked)
        #expect(state["after"]?.reason == "upstream 'gate' was rejected")
        // A second decision is refused with a reason.
        #expect(await engine.approve("gate", by: "carol") == .refused("cannot approve 'gate': it is failed, not waiting for approval"))
    }

    @Test func falseConditionSkipsTheStepAndDependentsStillRun() async throws {
        let condition = Condition(
            source: "steps.check.outputs.exists != 'true'",
            expression: .notEqual(.output(step: "check", key: "exists"), .literal("true")))
        let engine = try await S.startedEngine([
            S.simulated("check", outputs: ["exists": "true"]),
            S.simulated("compute", needs: ["check"], when: condition),
            S.simulated("publish", needs: ["compute"]),
        ])
        #expect(try await S.settle(engine) == .finished(.succeeded))
        let state = await engine.state
        #expect(state["compute"]?.state == .skipped)
        #expect(state["compute"]?.reason == "condition is false: steps.check.outputs.exists != 'true'")
        #expect(state["publish"]?.state == .succeeded)
    }

    @Test func aConditionThatCannotBeEvaluatedFailsTheStepAndBlocksWhatFollows() async throws {
        let source = "contains(fromJSON(steps.check.outputs.plan), 'db')"
        let engine = try await S.startedEngine([
            S.simulated("check", outputs: ["plan": "[db"]),
            S.simulated("migrate", needs: ["check"], when: try ConditionParser.parse(source)),
            S.simulated("deploy", needs: ["migrate"]),
        ])
        let reason = "the condition could not be evaluated: fromJSON: '[db' is not JSON: expected a value, found 'd' (at character 2); condition: \(source)"
        #expect(try await S.settle(engine) == .needsOperator(["'migrate' failed: \(reason)"]))
        var state = await engine.state
        #expect(state["migrate"]?.state == .failed)
        #expect(state["migrate"]?.reason == reason)
        #expect(state["migrate"]?.attempt == 0)
        #expect(state["deploy"]?.state == .blocked)
        // An operator who judges the step unneeded skips it, and the run goes on.
        #expect(await engine.skip("migrate", by: "alice").isAccepted)
        #expect(try await S.settle(engine) == .finished(.succeeded))
        state = await engine.state
        #expect(state["deploy"]?.state == .succeeded)
    }

    @Test func outputsReachDependentsAsEnvironmentVariables() async throws {
        let directory = S.temporaryDirectory()
        let engine = try await S.startedEngine([
            S.shell("produce", "echo 'greeting=hello; rm -rf /' >> \"$BATON_OUTPUT\""),
            S.shell("consume", "printf '%s' \"$STEPS_PRODUCE_OUTPUTS_GREETING\" > '\(directory)/seen'", needs: ["produce"]),
        ])
        #expect(try await S.settle(engine) == .finished(.succeeded))
        #expect(await engine.state["produce"]?.outputs == ["greeting": "hello; rm -rf /"])
        let seen = try String(contentsOfFile: "\(directory)/seen", encoding: .utf8)
        #expect(seen == "hello; rm -rf /")
    }

    @Test func rollbackOfADiamondRootUndoesDependentsFirst() async throws {
        let engine = try await S.startedEngine([
            S.simulated("a"), S.simulated("b", needs: ["a"]), S.simulated("c", needs: ["a"]), S.simulated("d", needs: ["b", "c"]),
        ], concurrency: 1)
        let events = S.collectEvents(engine)
        #expect(try await S.settle(engine) == .finished(.succeeded))
        // A run whose engine closed it refuses; run a fresh one that waits on a gate so it stays open.
        #expect(await engine.rollback("a", by: "tester") == .refused("cannot roll back: this Baton has closed the run"))
        _ = await events.value

        let open = try await S.startedEngine([
            S.simulated("a"), S.simulated("b", needs: ["a"]), S.simulated("c", needs: ["a"]), S.simulated("d", needs: ["b", "c"]),
            S.simulated("gate", approval: ApprovalGate()),
        ], concurrency: 1)
        let openEvents = S.collectEvents(open)
        _ = try await S.settle(open)
        #expect(await open.rollbackPreview("a") == ["d", "c", "b", "a"])
        #expect(await open.rollback("a", by: "tester").isAccepted)
        _ = try await S.settle(open)
        let state = await open.state
        for id in ["a", "b", "c", "d"] { #expect(state[id]?.state == .rolledBack, "\(id)") }
        _ = await open.finish(outcome: .failed, reason: "test over")
        let order = await openEvents.value.filter { $0.state == .rollingBack }.compactMap(\.step)
        #expect(order.first == "d")
        #expect(order.last == "a")
        #expect(Set(order) == ["a", "b", "c", "d"])
    }

    @Test func rollbackIsRefusedWhileADependentRuns() async throws {
        let engine = try await S.startedEngine([S.simulated("a", duration: .zero), S.simulated("b", needs: ["a"], duration: .seconds(30))])
        try await S.waitFor(engine) { $0["b"]?.state == .running }
        #expect(await engine.rollback("a", by: "tester") == .refused("cannot roll back 'a': its dependent 'b' is running"))
        #expect(await engine.cancelRun(by: "tester").isAccepted)
        #expect(try await S.settle(engine) == .finished(.cancelled))
    }

    @Test func onFailureRollbackCompensatesSucceededStepsInReverseOrder() async throws {
        let engine = try await S.startedEngine([
            S.simulated("network"), S.simulated("database", needs: ["network"]), S.simulated("app", needs: ["database"], exitCodes: [1]),
        ], onFailure: .rollback)
        let events = S.collectEvents(engine)
        #expect(try await S.settle(engine) == .finished(.failed))
        let order = await events.value.filter { $0.state == .rolledBack }.compactMap(\.step)
        #expect(order == ["database", "network"])
    }

    @Test func onFailureStopStartsNothingNew() async throws {
        let engine = try await S.startedEngine([
            S.simulated("bad", duration: .zero, exitCodes: [1]), S.simulated("slow", duration: .milliseconds(100)),
            S.simulated("later", needs: ["slow"]),
        ], concurrency: 2, onFailure: .stop)
        #expect(try await S.settle(engine) == .finished(.failed))
        let state = await engine.state
        #expect(state["slow"]?.state == .succeeded)
        #expect(state["later"]?.state == .pending)
        #expect(state.haltReason?.contains("on_failure: stop") == true)
    }

    @Test func retryOfAFailedStepUnblocksItsDependents() async throws {
        let marker = S.temporaryDirectory() + "/fixed"
        let engine = try await S.startedEngine([
            S.shell("fragile", "test -e '\(marker)'"), S.shell("after", "true", needs: ["fragile"]),
        ])
        _ = try await S.settle(engine)
        #expect(await engine.state["after"]?.state == .blocked)
        #expect(FileManager.default.createFile(atPath: marker, contents: nil))
        // Retrying the blocked step retries the failed step that blocks it.
        #expect(await engine.retry("after", by: "tester") == .accepted("retrying 'fragile'"))
        let again = await engine.retry("fragile", by: "tester")
        #expect(again == .refused("cannot retry 'fragile': it is running") || again == .refused("cannot retry 'fragile': it is succeeded"))
        #expect(try await S.settle(engine) == .finished(.succeeded))
        #expect(await engine.state["fragile"]?.attempt == 2)
    }

    @Test func skippingAFailedStepUnblocksOnlyWhatItAloneBlocked() async throws {
        let engine = try await S.startedEngine([
            S.shell("broken", "exit 3"), S.shell("other", "exit 4"),
            S.shell("after", "true", needs: ["broken"]), S.shell("both", "true", needs: ["broken", "other"]),
        ])
        _ = try await S.settle(engine)
        #expect(await engine.state["after"]?.state == .blocked)
        #expect(await engine.skip("broken", by: "tester") == .accepted("'broken' skipped"))
        try await S.waitFor(engine) { $0["after"]?.state == .succeeded }
        // 'both' still needs the failed 'other', so it stays blocked, now for that reason.
        #expect(await engine.state["both"]?.state == .blocked)
        #expect(await engine.state["both"]?.reason == "upstream 'other' failed")
    }

    @Test func refusalsExplainThemselves() async throws {
        let engine = try await S.startedEngine([S.simulated("db", duration: .seconds(30))])
        try await S.waitFor(engine) { $0["db"]?.state == .running }
        #expect(await engine.retry("db", by: "tester") == .refused("cannot retry 'db': it is running"))
        #expect(await engine.hold("db", by: "tester") == .refused("cannot hold 'db': it is running; only a pending step can be held"))
        #expect(await engine.skip("db", by: "tester") == .refused("cannot skip 'db': it is running; cancel it first"))
        #expect(await engine.approve("nope", by: "tester") == .refused("there is no step 'nope' in this workflow"))
        #expect(await engine.resumeRun(by: "tester") == .refused("cannot resume: the run is not paused"))
        #expect(await engine.cancel("db", by: "tester").isAccepted)
        #expect(try await S.settle(engine) == .needsOperator(["'db' was cancelled"]))
        let refusals = await engine.state.commands.filter { $0.accepted == false }
        #expect(refusals.count == 5)
    }

    @Test func pauseHoldsBackNewStepsUntilResumed() async throws {
        // The pause must come while 'first' runs, in real time: 2 s leaves a busy machine room.
        let engine = try await S.startedEngine([S.simulated("first", duration: .seconds(2)), S.simulated("second", needs: ["first"])])
        #expect(await engine.pauseRun(by: "tester").isAccepted)
        #expect(try await S.settle(engine) == .needsOperator(["the run is paused"]))
        #expect(await engine.state["second"]?.state == .pending)
        #expect(await engine.resumeRun(by: "tester").isAccepted)
        #expect(try await S.settle(engine) == .finished(.succeeded))
    }

    @Test func holdAndRelease() async throws {
        // The hold must come while 'a' runs, in real time: 2 s leaves a busy machine room.
        let engine = try await S.startedEngine([S.simulated("a", duration: .seconds(2)), S.simulated("b", needs: ["a"])])
        #expect(await engine.hold("b", by: "tester").isAccepted)
        #expect(try await S.settle(engine) == .needsOperator(["'b' is held by an operator"]))
        #expect(await engine.release("b", by: "tester").isAccepted)
        #expect(try await S.settle(engine) == .finished(.succeeded))
    }
}
