import Foundation

/// The processor time the calling thread spends on some work: what a guard against a
/// runaway algorithm (a quadratic scan of a 1 MiB line, say) checks, instead of wall time,
/// which a busy machine stretches by as much as it likes.
public enum ThreadCPUTime {
    /// The calling thread's processor time spent on `work`.
    public static func measure(_ work: () throws -> Void) rethrows -> Duration {
        let start = now()
        try work()
        return now() - start
    }

    private static func now() -> Duration {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }
}
