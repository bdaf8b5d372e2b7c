import BatonTestSupport
import Foundation
import Testing
@testable import BatonEngine

/// Every attempt and rollback opens and closes with a line of Baton's own in the step's log
/// and in the published output, after the event it describes, whoever started it.
@Suite struct AttemptMarkerTests {
    typealias S = EngineTestSupport

    /// An engine on a manual clock (2027-01-15 08:00:00Z) whose steps run on `executor`,
    /// recording into a fresh run directory, and every update it publishes, in order.
    private struct Run {
        var engine: Engine
        var clock: ManualClock
        var directory: RunDirectory
        var updates: Task<[EngineUpdate], Never>

        /// The `baton` lines of a step's log on disk.
        func loggedMarkers(_ step: String) -> [String] {
            StepLogStore.readLines(path: directory.logsPath + "/\(step).log", stepID: step).filter { $0.stream == .baton }.map(\.text)
        }
    }

    /// With `closesWhenFinished` false the journal stays open once the run finishes, as in
    /// the console, so a step can still be rolled back (which reopens the run).
    private func start(_ steps: [Step], executor: ScriptedExecutor, closesWhenFinished: Bool = true) async throws -> Run {
        let clock = ManualClock()
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        var configuration = EngineConfiguration(
            runID: "markers-\(UUID().uuidString.prefix(8))", user: "starter", executor: executor, runDirectory: directory,
            syncJournal: false, environment: [:], closesWhenFinished: closesWhenFinished)
        configuration.clock = clock
        let engine = try Engine(workflow: Workflow(name: "markers", steps: steps), workflowText: "name: markers\n", configuration: configuration)
        let updates = Task {
            var all: [EngineUpdate] = []
            for await update in engine.updates { all.append(update) }
            return all
        }
        await engine.start()
        return Run(engine: engine, clock: clock, directory: directory, updates: updates)
    }

    /// What a run published, as one line per update: `event <step> <state>` or `baton <step> <text>`.
    private func published(_ updates: [EngineUpdate]) -> [String] {
        updates.flatMap { update -> [String] in
            switch update {
            case .event(let event) where event.kind == .step:
                return ["event \(event.step ?? "?") \(event.state?.rawValue ?? "?")"]
            case .output(let chunk) where chunk.stream == .baton:
                return chunk.lines.map { "baton \($0.stepID) \($0.text)" }
            default:
                return []
            }
        }
    }

    @Test func anOperatorsRetryOpensAndClosesBothAttemptsInTheLogAndTheOutput() async throws {
        let executor = ScriptedExecutor { _ in .hold }
        let run = try await start([Step(id: "flaky", run: "flaky.sh")], executor: executor)
        try await S.waitUntil { executor.heldSteps.contains("flaky") }
        run.clock.advance(by: .milliseconds(1200))
        executor.release("flaky", with: .fail(1))
        guard case .needsOperator = try await S.settle(run.engine) else { throw TestTimeout() }
        run.clock.advance(by: .seconds(10))
        #expect(await run.engine.retry("flaky", by: "alice").isAccepted)
        try await S.waitUntil { executor.heldSteps.contains("flaky") }
        run.clock.advance(by: .milliseconds(500))
        executor.release("flaky")
        #expect(try await S.settle(run.engine) == .finished(.succeeded))
        #expect(await run.engine.waitUntilFinished() == .succeeded)

        let expected = [
            "attempt 1 of 1 started 2027-01-15 08:00:00Z: run started by starter",
            "attempt 1 ended: exit 1 after 1.2s",
            "attempt 1 of 1 (2 in all) started 2027-01-15 08:00:11Z: retry requested by alice",
            "attempt 1 (2 in all) ended: exit 0 after 0.5s",
        ]
        #expect(run.loggedMarkers("flaky") == expected)
        // Published too, in order, each after the event it describes. (Events that reach the
        // disk in one write are published before the notes queued behind them, so a marker
        // may come a few events later; never earlier.)
        let updates = published(await run.updates.value)
        #expect(updates.filter { $0.hasPrefix("baton ") } == expected.map { "baton flaky \($0)" })
        let described = ["event flaky running", "event flaky failed", "event flaky running", "event flaky succeeded"]
        var searchFrom = 0
        for (marker, event) in zip(expected, described) {
            let eventAt = try #require(updates[searchFrom...].firstIndex(of: event), "\(event) in \(updates)")
            let markerAt = try #require(updates.firstIndex(of: "baton flaky \(marker)"))
            #expect(markerAt > eventAt, "\(marker) before \(event): \(updates)")
            searchFrom = eventAt + 1
        }
    }

    @Test func anAutomaticRetrySaysItWaitedOutItsBackoff() async throws {
        let executor = ScriptedExecutor { job in job.earlier == 0 ? .fail(3) : .succeed([:]) }
        let run = try await start([Step(id: "net", run: "fetch", retry: RetryPolicy(attempts: 3, backoff: .seconds(2)))], executor: executor)
        try await run.clock.waitForSleepers(1)
        run.clock.advance(by: .seconds(2))
        #expect(try await S.settle(run.engine) == .finished(.succeeded))
        _ = await run.engine.waitUntilFinished()
        #expect(run.loggedMarkers("net") == [
            "attempt 1 of 3 started 2027-01-15 08:00:00Z: run started by starter",
            "attempt 1 ended: exit 3 after 0.0s; next attempt in 2s",
            "attempt 2 of 3 started 2027-01-15 08:00:02Z: automatic retry after 2s backoff",
            "attempt 2 ended: exit 0 after 0.0s",
        ])
    }

    @Test func aCancelClosesTheAttemptWithWhoAndTheSignal() async throws {
        let executor = ScriptedExecutor { _ in .hold }
        let run = try await start([Step(id: "slow", run: "sleep 60")], executor: executor)
        try await S.waitUntil { executor.heldSteps.contains("slow") }
        run.clock.advance(by: .seconds(3))
        #expect(await run.engine.cancel("slow", by: "alice").isAccepted)
        guard case .needsOperator = try await S.settle(run.engine) else { throw TestTimeout() }
        _ = await run.engine.finish(outcome: .cancelled, reason: "test over")
        _ = await run.engine.waitUntilFinished()
        #expect(run.loggedMarkers("slow").last == "attempt 1 cancelled by alice after 3.0s (SIGTERM)")
    }

    @Test func anApprovedGateSaysWhoLetTheAttemptStart() async throws {
        let executor = ScriptedExecutor()
        let run = try await start([Step(id: "ship", run: "deploy", approval: ApprovalGate())], executor: executor)
        try await S.waitFor(run.engine) { $0["ship"]?.state == .waiting }
        #expect(await run.engine.approve("ship", by: "bob", comment: "go\nnow").isAccepted)
        #expect(try await S.settle(run.engine) == .finished(.succeeded))
        _ = await run.engine.waitUntilFinished()
        // A comment's newline cannot split the marker.
        #expect(run.loggedMarkers("ship").first == "attempt 1 of 1 started 2027-01-15 08:00:00Z: approved by bob: go\\nnow")
    }

    @Test func aRollbackOpensAndClosesAsARollbackAndItsExitCodeIsNoAttempts() async throws {
        let executor = ScriptedExecutor { job in job.purpose == .rollback ? .hold : .succeed([:]) }
        let open = try await start([Step(id: "db", run: "migrate", rollback: "migrate down")], executor: executor, closesWhenFinished: false)
        try await S.waitFor(open.engine) { $0["db"]?.state == .succeeded }
        open.clock.advance(by: .seconds(5))
        #expect(await open.engine.rollback("db", by: "bob").isAccepted)
        try await S.waitUntil { executor.heldSteps.contains("db") }
        open.clock.advance(by: .milliseconds(400))
        executor.release("db")
        try await S.waitFor(open.engine) { $0["db"]?.state == .rolledBack }
        let record = try #require(await open.engine.state["db"])
        #expect(record.exitCodes == [0] && record.rollbackExitCodes == [0])
        _ = await open.engine.close(by: "bob")
        #expect(open.loggedMarkers("db").suffix(2) == [
            "rollback started 2027-01-15 08:00:05Z: rollback requested by bob",
            "rollback ended: exit 0 after 0.4s",
        ])
    }

    @Test func resumeClosesTheAttemptsTheDeadBatonLeftOpenAndOnlyThose() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        // `cut` was running when Baton died; `stopped` was interrupted by a live Ctrl-C, and
        // its log already holds its closing.
        let history = JournalBuilder(runID: "resumed-markers", user: "starter")
            .runStarted(steps: ["cut", "stopped"])
            .step("cut", .running)
            .step("stopped", .running)
            .step("stopped", .interrupted, exitCode: 143, reason: "interrupted by starter while it ran")
        try history.write(to: directory, workflowText: "name: markers\n")
        let logs = try StepLogStore(directory: directory.logsPath) { _ in }
        let start = history.events[1].time
        func log(_ step: String, _ texts: [(OutputLine.Stream, String)], at time: Double? = nil) {
            for (stream, text) in texts {
                logs.write(OutputChunk(line: OutputLine(stepID: step, stream: stream, text: text, time: Date(timeIntervalSince1970: time ?? start))))
            }
        }
        log("cut", [(.baton, AttemptMarker.opening("attempt 1 of 1", at: start, cause: "run started by starter"))])
        // The step printed 2 s after it started, long after the journal last heard of it.
        log("cut", [(.stdout, "working")], at: start + 2)
        log("stopped", [(.baton, AttemptMarker.opening("attempt 1 of 1", at: start, cause: "run started by starter")),
                        (.baton, "attempt 1 interrupted by starter after 0.2s (SIGTERM)")])
        logs.closeAll()

        let workflow = Workflow(name: "markers", steps: [Step(id: "cut", run: "work"), Step(id: "stopped", run: "work")])
        var configuration = EngineConfiguration(
            runID: "resumed-markers", user: "starter", executor: ScriptedExecutor(), runDirectory: directory,
            syncJournal: false, environment: [:])
        configuration.clock = ManualClock(start: 1_800_000_100)
        let engine = try Engine(workflow: workflow, resuming: history.events, configuration: configuration)
        await engine.start()
        guard case .needsOperator = try await S.settle(engine) else { throw TestTimeout() }
        _ = await engine.finish(outcome: .interrupted, reason: "test over")
        _ = await engine.waitUntilFinished()

        func markers(_ step: String) -> [String] {
            StepLogStore.readLines(path: directory.logsPath + "/\(step).log", stepID: step).filter { $0.stream == .baton }.map(\.text)
        }
        // `cut` ran from its `running` (0.25 s in) at least until it last printed, 2 s later.
        #expect(markers("cut").last == "attempt 1 interrupted after at least 2.0s: Baton stopped before it ended")
        #expect(markers("cut").count == 2)
        #expect(markers("stopped") == [
            AttemptMarker.opening("attempt 1 of 1", at: start, cause: "run started by starter"),
            "attempt 1 interrupted by starter after 0.2s (SIGTERM)",
        ])
    }

    @Test func closingsSayHowTheAttemptEndedInOneLine() {
        let label = AttemptMarker.shortLabel(attempt: 3, inSeries: 1)
        #expect(label == "attempt 1 (3 in all)")
        #expect(AttemptMarker.closing(label, .finished(.exited(0)), after: 1.24) == "attempt 1 (3 in all) ended: exit 0 after 1.2s")
        #expect(AttemptMarker.closing("attempt 2", .finished(.signalled(SIGSEGV)), after: 75) == "attempt 2 ended: killed by SIGSEGV after 1m15s")
        #expect(AttemptMarker.closing("attempt 1", .finished(.notStarted), after: 0) == "attempt 1 ended: never started")
        #expect(AttemptMarker.closing("attempt 1", .stopped("timed out", .signalled(SIGKILL)), after: 5, then: "next attempt in 2s")
            == "attempt 1 timed out after 5.0s (SIGKILL); next attempt in 2s")
        #expect(AttemptMarker.closing("attempt 1", .stopped("cancelled by alice", .exited(143)), after: 3) == "attempt 1 cancelled by alice after 3.0s (exit 143)")
        #expect(AttemptMarker.closing("attempt 1", .stopped("cancelled by alice\nand bob", .notStarted), after: 0) == "attempt 1 cancelled by alice\\nand bob before it started")
        #expect(AttemptMarker.closing("rollback", .finished(.signalled(40)), after: 0.4) == "rollback ended: killed by signal 40 after 0.4s")
    }

    @Test func openingsAreToldFromClosingsAndFromOtherNotes() {
        let opening = AttemptMarker.opening(AttemptMarker.attemptLabel(attempt: 4, inSeries: 1, allowed: 3), at: 1_800_000_000, cause: "approved by bob")
        #expect(opening == "attempt 1 of 3 (4 in all) started 2027-01-15 08:00:00Z: approved by bob")
        #expect(AttemptMarker.isOpening(opening) && AttemptMarker.isMarker(opening))
        let rollback = AttemptMarker.opening("rollback", at: 1_800_000_000, cause: "compensation: 'x' failed")
        #expect(AttemptMarker.isOpening(rollback))
        for closing in ["attempt 1 ended: exit 0 after 0.1s", "attempt 1 (2 in all) interrupted by root after 2.4s (SIGTERM)", "rollback ended: exit 1 after 0.2s",
                        "attempt 1 of 3 exited with code 1; next in 2s"] {
            #expect(AttemptMarker.isMarker(closing) && !AttemptMarker.isOpening(closing), "\(closing)")
        }
        for other in ["timed out after 5s; stopping the process group", "rolling back again on resume: the step is idempotent"] {
            #expect(!AttemptMarker.isMarker(other), "\(other)")
        }
    }
}
