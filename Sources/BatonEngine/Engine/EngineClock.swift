/// The time an engine runs on: the wall time it stamps events with and counts gate deadlines
/// from, and the waits of its timers (retry backoff, step timeouts, the grace before SIGKILL,
/// approval timeouts).
///
/// Baton runs on `SystemEngineClock`. Tests hand the engine a clock they advance by hand, so
/// timing logic is checked without sleeping against the wall clock.
public protocol EngineClock: Sendable {
    /// The current time in seconds since 1970.
    var now: Double { get }
    /// Waits `duration` of this clock's time. Throws `CancellationError` when the waiting task
    /// is cancelled, as `Task.sleep` does, so a cancelled timer never fires.
    func sleep(for duration: Duration) async throws
}
