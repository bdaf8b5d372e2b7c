import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// A halted run keeps the ending it was given: a step that fails later, or the failure
/// policy, cannot turn a cancelled run into a failed one.
@Suite struct HaltKeepsItsEndingTests {
    typealias S = EngineTestSupport

    @Test func aStepThatTimedOutBeforeTheCancelDoesNotMakeTheCancelledRunFail() async throws {
        let clock = ManualClock()
        let ready = S.temporaryDirectory() + "/ready"
        let engine = try await S.startedEngine([
            S.shell("stubborn", "trap '' TERM; touch '\(ready)'; sleep 30 & wait", timeout: .seconds(10)),
            S.shell("later", "true", needs: ["stubborn"]),
        ], onFailure: .rollback, clock: clock)
        // SIGTERM must find the trap in place.
        for _ in 0..<3000 where !FileManager.default.fileExists(atPath: ready) { try await Task.sleep(for: .milliseconds(10)) }
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(10))
        // The timeout sent SIGTERM, which the step ignores; SIGKILL waits for the grace period.
        try await clock.waitForSleepers(1)
        #expect(await engine.cancelRun(by: "operator").isAccepted)
        clock.advance(by: .milliseconds(500))
        #expect(try await S.settle(engine) == .finished(.cancelled))
        let state = await engine.state
        #expect(state.haltOutcome == .cancelled)
        #expect(!state.owesCompensation, "a cancelled run owes no rollback")
        #expect(state["later"]?.state == .cancelled)
    }
}
