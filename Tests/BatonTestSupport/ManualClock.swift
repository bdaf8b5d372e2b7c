import BatonEngine
import Synchronization

/// A clock that moves only when a test advances it, so timing logic (backoffs, timeouts,
/// gate deadlines) is checked without sleeping against the wall clock.
///
/// A sleeper wakes when `advance(by:)` moves the time to or past its deadline, earliest
/// deadline first. A timer's wait begins when its task first calls `sleep`, a moment after the
/// engine arms it, so a test waits for the sleepers it expects (`waitForSleepers`) before it
/// advances. Time is kept in whole nanoseconds, so advancing 59 ms and then 1 ms reaches a
/// 60 ms deadline exactly.
package final class ManualClock: EngineClock {
    private enum Sleep {
        /// `sleep` was called and has not reached its continuation yet.
        case announced
        case waiting(deadline: Int64, continuation: CheckedContinuation<Void, any Error>)
        /// Cancelled before it reached its continuation.
        case cancelled
    }

    private struct State {
        /// Nanoseconds since `start`.
        var elapsed: Int64 = 0
        var sleeps: [Int: Sleep] = [:]
        var nextID = 0
    }

    /// The wall time the clock starts at, in seconds since 1970.
    package let start: Double
    private let state = Mutex(State())

    /// A clock at `start` seconds since 1970 (by default a round time in 2027).
    package init(start: Double = 1_800_000_000) {
        self.start = start
    }

    package var now: Double {
        start + Double(state.withLock { $0.elapsed }) / 1e9
    }

    /// How far the clock has been advanced.
    package var elapsed: Duration {
        .nanoseconds(state.withLock { $0.elapsed })
    }

    /// What is left of each wait in progress, shortest first.
    package var pendingWaits: [Duration] {
        state.withLock { state in
            state.sleeps.values.compactMap { sleep -> Int64? in
                guard case .waiting(let deadline, _) = sleep else { return nil }
                return deadline - state.elapsed
            }.sorted().map { .nanoseconds($0) }
        }
    }

    package func sleep(for duration: Duration) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            state.sleeps[state.nextID] = .announced
            return state.nextID
        }
        let length = Self.nanoseconds(duration)
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if case .cancelled = state.sleeps[id] {
                        state.sleeps[id] = nil
                        return .failure(CancellationError())
                    }
                    if length <= 0 {
                        state.sleeps[id] = nil
                        return .success(())
                    }
                    state.sleeps[id] = .waiting(deadline: state.elapsed + length, continuation: continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiting: CheckedContinuation<Void, any Error>? = state.withLock { state in
                switch state.sleeps[id] {
                case .announced:
                    state.sleeps[id] = .cancelled
                    return nil
                case .waiting(_, let continuation):
                    state.sleeps[id] = nil
                    return continuation
                case .cancelled, nil:
                    return nil
                }
            }
            waiting?.resume(throwing: CancellationError())
        }
    }

    /// Moves the time forward and wakes, earliest first, every sleeper whose deadline it reaches.
    package func advance(by duration: Duration) {
        let due: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            state.elapsed += Self.nanoseconds(duration)
            var due: [(deadline: Int64, id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
            for (id, sleep) in state.sleeps {
                if case .waiting(let deadline, let continuation) = sleep, deadline <= state.elapsed {
                    due.append((deadline, id, continuation))
                }
            }
            for entry in due { state.sleeps[entry.id] = nil }
            return due.sorted { ($0.deadline, $0.id) < ($1.deadline, $1.id) }.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    /// Waits, in real time, until at least `count` sleepers wait on the clock; throws
    /// `ManualClockTimeout` after `limit`.
    package func waitForSleepers(_ count: Int, limit: Duration = .seconds(45)) async throws {
        let deadline = ContinuousClock.now + limit
        while pendingWaits.count < count {
            guard ContinuousClock.now < deadline else {
                throw ManualClockTimeout(expected: count, waiting: pendingWaits)
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// The sleepers a test waited for never all arrived on the `ManualClock`.
package struct ManualClockTimeout: Error, CustomStringConvertible {
    package var expected: Int
    package var waiting: [Duration]
    package var description: String {
        "expected \(expected) sleeper(s) on the manual clock, found \(waiting.count): \(waiting)"
    }
}
