import BatonEngine
import Foundation

extension EngineTestSupport {
    /// Drives a started engine to the end of its run as `baton run --headless` does with no
    /// operator and no gate approved: a complete run succeeds; a run that needs an operator
    /// ends interrupted when it has interrupted steps or is paused (kept for someone who can
    /// decide), failed otherwise.
    static func endHeadless(_ engine: Engine, limit: Duration = .seconds(45)) async throws -> RunOutcome {
        while true {
            let settlement = try await settle(engine, limit: limit)
            guard case .needsOperator(let reasons) = settlement else { break }
            let ended: Bool
            if await engine.isComplete {
                ended = await engine.finish(outcome: .succeeded, reason: "every step is done")
            } else {
                let state = await engine.state
                let keep = state.steps.contains { $0.state == .interrupted } || state.isPaused
                ended = await engine.finish(
                    outcome: keep ? .interrupted : .failed, reason: "no operator to act: " + reasons.joined(separator: "; "))
            }
            if !ended { try await Task.sleep(for: .milliseconds(5)) }
        }
        return await engine.waitUntilFinished()
    }
}

extension EngineTestSupport {
    /// Waits until `condition` holds, polling gently; fails after `limit`.
    static func waitUntil(limit: Duration = .seconds(45), _ condition: @Sendable () -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw TestTimeout()
    }
}
