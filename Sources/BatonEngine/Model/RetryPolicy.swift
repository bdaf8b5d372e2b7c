import Foundation

/// How often a step is tried, which failures are tried again and how long the engine waits
/// between tries.
///
/// The delay before attempt `n + 1` is `backoff × factor^(n-1)`, capped at `maxBackoff`.
public struct RetryPolicy: Sendable, Hashable, Codable {
    /// Total attempts, at least 1 (1 means no retry).
    public var attempts: Int
    /// The delay after the first failed attempt.
    public var backoff: Duration
    /// The longest delay between two attempts, if any.
    public var maxBackoff: Duration?
    /// What each delay is multiplied by for the next one, at least 1 (1 keeps it fixed).
    public var factor: Double
    /// The exit codes (1–255) whose failures are retried; nil retries every failure. A failure
    /// with any other exit code, or with none, fails the step at once.
    public var onExitCodes: [Int32]?
    /// How long after the first attempt of a series started the last may start, if limited.
    public var maxDuration: Duration?

    public init(
        attempts: Int = 1, backoff: Duration = .seconds(1), maxBackoff: Duration? = nil, factor: Double = 2,
        onExitCodes: [Int32]? = nil, maxDuration: Duration? = nil
    ) {
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.maxBackoff = maxBackoff
        self.factor = factor.isFinite ? max(1, factor) : 2
        self.onExitCodes = onExitCodes
        self.maxDuration = maxDuration
    }

    /// No retries.
    public static let none = RetryPolicy()

    /// The delay to wait after `failedAttempt` (1-based) failed, before the next attempt.
    public func delay(afterAttempt failedAttempt: Int) -> Duration {
        // No wait grows from none (and zero times an infinite power is not a number).
        guard backoff > .zero else { return .zero }
        // Counted in seconds: a factor such as 1.5 has no exact Duration multiple, and the
        // powers of a large one overflow (to infinity, which the caps below bring back).
        let grown = backoff.inSeconds * pow(factor, Double(max(failedAttempt - 1, 0)))
        if let cap = maxBackoff, !(grown < cap.inSeconds) { return cap }
        guard grown < Self.longestDelay.inSeconds else { return Self.longestDelay }
        return .microseconds(Int64((grown * 1e6).rounded()))
    }

    /// Whether a failure with `exitCode` (nil when the command never started) may be retried
    /// under `onExitCodes`.
    public func retries(exitCode: Int32?) -> Bool {
        guard let onExitCodes else { return true }
        guard let exitCode else { return false }
        return onExitCodes.contains(exitCode)
    }

    /// The longest delay ever waited, about a century: without a `max_backoff`, the delays
    /// of a long series would otherwise grow past what a Duration holds.
    static let longestDelay = Duration.seconds(3_155_760_000)
}
