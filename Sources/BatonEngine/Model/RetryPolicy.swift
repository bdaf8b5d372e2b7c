/// How often a step is tried and how long the engine waits between tries.
///
/// The delay before attempt `n + 1` is `backoff × 2^(n-1)`, capped at `maxBackoff`.
public struct RetryPolicy: Sendable, Hashable, Codable {
    /// Total attempts, at least 1 (1 means no retry).
    public var attempts: Int
    /// The delay after the first failed attempt.
    public var backoff: Duration
    /// The longest delay between two attempts, if any.
    public var maxBackoff: Duration?

    public init(attempts: Int = 1, backoff: Duration = .seconds(1), maxBackoff: Duration? = nil) {
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.maxBackoff = maxBackoff
    }

    /// No retries.
    public static let none = RetryPolicy()

    /// The delay to wait after `failedAttempt` (1-based) failed, before the next attempt.
    public func delay(afterAttempt failedAttempt: Int) -> Duration {
        let exponent = min(max(failedAttempt - 1, 0), 30)
        var delay = backoff * (1 << exponent)
        if let cap = maxBackoff, delay > cap { delay = cap }
        return delay
    }
}
