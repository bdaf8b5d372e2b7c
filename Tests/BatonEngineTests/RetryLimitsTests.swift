import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// `retry.on_exit_codes`, `retry.factor` and `retry.max_duration` as the engine applies them,
/// on a clock the tests move by hand.
@Suite struct RetryLimitsTests {
    typealias S = EngineTestSupport

    private func engine(
        _ steps: [Step], clock: ManualClock, concurrency: Int = 4,
        script: @escaping @Sendable (ScriptedExecutor.Job) -> ScriptedExecutor.Ending,
        directory: RunDirectory? = nil, history: [RunEvent]? = nil, runID: String = "retry-limits"
    ) async throws -> (Engine, ScriptedExecutor) {
        let executor = ScriptedExecutor(script: script)
        var configuration = EngineConfiguration(
            runID: runID, user: "tester", executor: executor, simulator: executor, runDirectory: directory,
            syncJournal: false, cancelGracePeriod: .milliseconds(10), environment: [:])
        configuration.clock = clock
        let workflow = Workflow(name: "retry-limits", concurrency: concurrency, steps: steps)
        let engine = try Engine(workflow: workflow, workflowText: "name: retry-limits\n", resuming: history, configuration: configuration)
        await engine.start()
        return (engine, executor)
    }

    /// The reasons of `step`'s events, in order.
    private func reasons(_ events: [RunEvent], _ step: String) -> [String] {
        events.filter { $0.kind == .step && $0.step == step }.map { "\($0.state?.rawValue ?? "?"): \($0.reason ?? "")" }
    }

    @Test func onlyTheListedExitCodesAreRetried() async throws {
        let clock = ManualClock()
        let retry = RetryPolicy(attempts: 5, backoff: .seconds(1), onExitCodes: [75, 111])
        let codes: [Int32] = [75, 111, 1]
        let (engine, executor) = try await engine([Step(id: "fetch", run: "fetch", retry: retry)], clock: clock) { job in
            .fail(codes[min(job.earlier, codes.count - 1)])
        }
        let events = S.collectEvents(engine)
        for _ in 0..<2 {
            try await clock.waitForSleepers(1)
            clock.advance(by: .seconds(10))
        }
        try await S.waitFor(engine) { $0["fetch"]?.state == .failed }
        #expect(executor.jobs.count == 3, "the third attempt's exit 1 is not retried though two attempts remain")
        let record = await engine.state["fetch"]
        #expect(record?.exitCodes == [75, 111, 1])
        #expect(record?.reason == "exited with code 1; not retried: exit 1 is not in retry.on_exit_codes [75, 111]")
        _ = await engine.finish(outcome: .failed, reason: "test over")
        #expect(reasons(await events.value, "fetch").filter { $0.hasPrefix("retrying") } == [
            "retrying: attempt 1 of 5 exited with code 75; next in 1s",
            "retrying: attempt 2 of 5 exited with code 111; next in 2s",
        ])
    }

    @Test func aFailureWithNoExitCodeIsNotRetriedUnderOnExitCodes() async throws {
        let clock = ManualClock()
        let retry = RetryPolicy(attempts: 3, onExitCodes: [75])
        // A working directory that does not exist: the command never starts.
        let step = Step(id: "build", run: "make", retry: retry, dir: "/nonexistent/baton-retry-limits")
        let executor = ShellExecutor()
        var configuration = EngineConfiguration(
            runID: "no-exit", user: "tester", executor: executor, runDirectory: nil, syncJournal: false, environment: [:])
        configuration.clock = clock
        let engine = try Engine(workflow: Workflow(name: "w", steps: [step]), workflowText: "name: w\n", configuration: configuration)
        await engine.start()
        try await S.waitFor(engine) { $0["build"]?.state == .failed }
        #expect(await engine.state["build"]?.reason
            == "could not start: working directory '/nonexistent/baton-retry-limits' does not exist; not retried: it has no exit code, and retry.on_exit_codes [75] retries only those")
        _ = await engine.finish(outcome: .failed, reason: "test over")
    }

    @Test func theFactorGrowsEachWait() async throws {
        let clock = ManualClock()
        let retry = RetryPolicy(attempts: 4, backoff: .milliseconds(100), factor: 1.5)
        let (engine, _) = try await engine([Step(id: "flaky", run: "flaky", retry: retry)], clock: clock) { job in
            job.earlier < 3 ? .fail(1) : .succeed([:])
        }
        var waits: [Duration] = []
        for _ in 0..<3 {
            try await clock.waitForSleepers(1)
            waits += clock.pendingWaits
            clock.advance(by: clock.pendingWaits[0])
        }
        try await S.waitFor(engine) { $0["flaky"]?.state == .succeeded }
        #expect(waits == [.milliseconds(100), .milliseconds(150), .milliseconds(225)])
        _ = await engine.finish(outcome: .succeeded, reason: "test over")
    }

    @Test func noAttemptStartsOnceMaxDurationHasPassedSinceTheFirst() async throws {
        let clock = ManualClock()
        let retry = RetryPolicy(attempts: 10, backoff: .seconds(2), maxDuration: .seconds(10))
        let (engine, executor) = try await engine([Step(id: "slow", run: "slow", retry: retry)], clock: clock) { _ in .hold }
        let events = S.collectEvents(engine)
        // Attempt 1 runs 3 s and fails: attempt 2 may start at 5 s.
        try await S.waitFor(engine) { _ in executor.heldSteps == ["slow"] }
        clock.advance(by: .seconds(3))
        executor.release("slow", with: .fail(1))
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(2))
        // Attempt 2 runs 1 s and fails at 6 s: attempt 3 would start at 10 s, when 10 s have passed.
        try await S.waitFor(engine) { $0["slow"]?.attempt == 2 && executor.heldSteps == ["slow"] }
        clock.advance(by: .seconds(1))
        executor.release("slow", with: .fail(1))
        try await S.waitFor(engine) { $0["slow"]?.state == .failed }
        #expect(executor.jobs.count == 2)
        #expect(await engine.state["slow"]?.reason
            == "exited with code 1; not retried: the next attempt would start 10s after the first, and retry.max_duration is 10s")
        _ = await engine.finish(outcome: .failed, reason: "test over")
        #expect(reasons(await events.value, "slow").filter { $0.hasPrefix("retrying") } == [
            "retrying: attempt 1 of 10 exited with code 1; next in 2s",
        ])
    }

    @Test func aRetryThatWaitedPastMaxDurationFailsInsteadOfStarting() async throws {
        let clock = ManualClock()
        let retry = RetryPolicy(attempts: 5, backoff: .seconds(1), maxDuration: .seconds(10))
        let (engine, executor) = try await engine([Step(id: "flaky", run: "flaky", retry: retry)], clock: clock) { _ in .fail(1) }
        try await clock.waitForSleepers(1)
        // The run is paused while the step waits out its backoff: the retry is due at 1 s
        // but cannot start until the run is resumed, 30 s later.
        #expect(await engine.pauseRun(by: "tester").isAccepted)
        clock.advance(by: .seconds(30))
        #expect(await engine.resumeRun(by: "tester").isAccepted)
        try await S.waitFor(engine) { $0["flaky"]?.state == .failed }
        #expect(executor.jobs.count == 1)
        let record = await engine.state["flaky"]
        #expect(record?.reason == "not retried: 30s had passed since the first attempt by the time attempt 2 of 5 could start, and retry.max_duration is 10s")
        #expect(record?.exitCodes == [1])
        _ = await engine.finish(outcome: .failed, reason: "test over")
    }

    @Test func aResumedSeriesCountsMaxDurationFromItsOwnFirstAttemptInTheJournal() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let clock = ManualClock()
        let retry = RetryPolicy(attempts: 3, backoff: .seconds(4), maxDuration: .seconds(10))
        let step = Step(id: "sync", run: "sync", retry: retry, idempotent: true)
        // The first Baton: attempt 1 fails at once and the step waits out its backoff when Baton stops.
        let (first, _) = try await engine([step], clock: clock, script: { _ in .fail(1) }, directory: directory)
        try await clock.waitForSleepers(1)
        _ = await first.close(by: "tester")
        let history = try directory.readJournal().events

        // An hour later the run is resumed: the step runs again as a new series whose first
        // attempt starts now, so its retries are allowed though the old series is long over.
        clock.advance(by: .seconds(3600))
        let (resumed, executor) = try await engine([step], clock: clock, script: { _ in .fail(1) }, directory: directory, history: history)
        try await clock.waitForSleepers(1)
        let record = await resumed.state["sync"]
        #expect(record?.state == .retrying)
        #expect(record?.startedAt == clock.now, "the series' first start is the resumed attempt's running event")
        #expect(executor.jobs.count == 1)
        // Attempt 2 fails 4 s after the series began: attempt 3 would start at 12 s, past 10 s.
        clock.advance(by: .seconds(4))
        try await S.waitFor(resumed) { $0["sync"]?.state == .failed }
        #expect(await resumed.state["sync"]?.reason
            == "exited with code 1; not retried: the next attempt would start 12s after the first, and retry.max_duration is 10s")
        let journal = try directory.readJournal().events
        #expect(try JournalReader.fold(journal)["sync"]?.startedAt == record?.startedAt)
        _ = await resumed.finish(outcome: .failed, reason: "test over")
    }
}
