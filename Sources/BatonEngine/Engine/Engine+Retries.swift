/// The limits `retry:` puts on retries beyond the number of attempts: `on_exit_codes` and
/// `max_duration`.
///
/// The series' first start comes from the journal (`StepRecord.startedAt`, the time of the
/// series' first `running` event), never from the engine's memory, so the limit holds for an
/// engine that rebuilt its state from the journal as for the one that started the attempt.
extension Engine {
    /// Why a failed attempt of step `index` is not retried though attempts remain, or nil if
    /// it is: its exit code is not among `on_exit_codes`, or the next attempt, `delay` from
    /// now, would start once `max_duration` has passed since the series' first attempt.
    func retryRefusal(_ index: Int, exitCode: Int32?, delay: Duration) -> String? {
        let elapsed = state.steps[index].startedAt.map { configuration.clock.now + delay.inSeconds - $0 }
        return workflow.steps[index].retry.refusal(exitCode: exitCode, nextStartAfterFirst: elapsed)
    }

    /// Fails step `index`, whose backoff is over, instead of starting its next attempt when
    /// `max_duration` has passed since the series' first attempt meanwhile: it waited longer
    /// than its backoff, for a free slot or for a paused run. Returns whether it failed it.
    func failLateRetry(_ index: Int) -> Bool {
        let step = workflow.steps[index]
        let record = state.steps[index]
        guard let limit = step.retry.maxDuration, let first = record.startedAt else { return false }
        let elapsed = configuration.clock.now - first
        guard !(elapsed < limit.inSeconds) else { return false }
        // Not worded "attempt N …": a log line that starts so reads as an attempt's marker.
        let reason = "not retried: \(Self.describe(seconds: elapsed)) had passed since the first attempt by the time attempt \(record.attemptInSeries + 1) of \(step.retry.attempts) could start, and retry.max_duration is \(Self.describe(limit))"
        failForGood(index, reason: reason)
        note(index, reason)
        if !step.continueOnError { applyFailurePolicy(failed: step.id) }
        return true
    }

    /// Seconds as `describe(_: Duration)` words them, to the millisecond.
    static func describe(seconds: Double) -> String {
        describe(Duration.milliseconds(Int64((max(0, seconds) * 1000).rounded())))
    }
}
