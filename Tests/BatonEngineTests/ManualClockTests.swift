import BatonTestSupport
import Foundation
import Testing

/// The test clock the timing tests rely on: it wakes sleepers only at their deadlines, and
/// cancellation ends a wait as `Task.sleep` does.
@Suite struct ManualClockTests {
    @Test func aSleeperWakesWhenTheClockReachesItsDeadlineAndNotBefore() async throws {
        let clock = ManualClock(start: 1_000)
        let woke = Task { () -> Double in
            try await clock.sleep(for: .milliseconds(60))
            return clock.now
        }
        try await clock.waitForSleepers(1)
        #expect(clock.pendingWaits == [.milliseconds(60)])
        clock.advance(by: .milliseconds(59))
        #expect(clock.pendingWaits == [.milliseconds(1)])
        clock.advance(by: .milliseconds(1))
        #expect(clock.pendingWaits.isEmpty)
        #expect(try await woke.value == 1_000.06)
        #expect(clock.elapsed == .milliseconds(60))
    }

    @Test func aCancelledSleeperThrowsAndStopsWaiting() async throws {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(5)) }
        try await clock.waitForSleepers(1)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.pendingWaits.isEmpty)

        // A task cancelled before it sleeps does not wait at all, even for no time.
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(for: .zero)
        }
        await #expect(throws: CancellationError.self) { try await early.value }
    }

    @Test func aWaitOfNoTimeReturnsAtOnce() async throws {
        let clock = ManualClock()
        try await clock.sleep(for: .zero)
        #expect(clock.pendingWaits.isEmpty)
    }
}
