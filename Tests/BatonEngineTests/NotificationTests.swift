import BatonTestSupport
import Foundation
import Testing
@testable import BatonEngine

/// `notify:`: the commands run on a run's events, what they are given, their timeout and
/// failures, and what a resume tells again (nothing).
@Suite struct NotificationTests {
    /// A run of `yaml` in a fresh run directory, with what it published besides events.
    struct NotifiedRun {
        var engine: Engine
        var directory: RunDirectory
        var failures: Task<[String], Never>
    }

    static func start(
        _ yaml: String, runID: String = "notified-\(UUID().uuidString.prefix(8))", environment: [String: String] = [:],
        clock: (any EngineClock)? = nil, in folder: String
    ) async throws -> NotifiedRun {
        let workflow = try WorkflowLoader.load(yaml: yaml, file: "notified.yaml")
        let directory = RunDirectory(path: folder + "/" + runID)
        var configuration = EngineConfiguration(
            runID: runID, user: "tester", runDirectory: directory, syncJournal: false, environment: environment)
        if let clock { configuration.clock = clock }
        let engine = try Engine(workflow: workflow, workflowText: yaml, configuration: configuration)
        let failures = Self.failures(of: engine)
        await engine.start()
        return NotifiedRun(engine: engine, directory: directory, failures: failures)
    }

    /// Every `notificationFailed` the engine publishes until its stream ends.
    static func failures(of engine: Engine) -> Task<[String], Never> {
        Task {
            var failures: [String] = []
            for await update in engine.updates {
                if case .notificationFailed(let problem) = update { failures.append(problem) }
            }
            return failures
        }
    }

    /// The JSON documents a notifier appended to `path`, one a line.
    static func documents(at path: String) throws -> [[String: Any]] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
        }
    }

    @Test func aNotifierReceivesExactlyTheGateTheFailureForGoodAndTheEnd() async throws {
        let folder = EngineTestSupport.temporaryDirectory()
        let every = folder + "/every.jsonl"
        let ends = folder + "/ends.jsonl"
        let yaml = """
            name: notified
            env:
              EVERY: \(every)
            notify:
              - run: cat >> "$EVERY"
              - run: cat >> '\(ends)'
                events: run_finished
            steps:
              approve:
                name: Approve the release
                approval: {approvers: [alice]}
              broken:
                name: Broken step
                run: exit 3
                retry: {attempts: 2, backoff: 0}
            """
        let run = try await Self.start(yaml, in: folder)
        let settlement = try await EngineTestSupport.settle(run.engine)
        guard case .needsOperator = settlement else {
            Issue.record("expected the run to wait for an operator, got \(settlement)")
            return
        }
        let outcome = await run.engine.close(by: "tester")
        #expect(outcome == .waitingForOperator)
        #expect(await run.failures.value.isEmpty)

        let received = try Self.documents(at: every)
        // The retried attempt told nothing: one failure, after its last attempt.
        #expect(received.map { $0["event"] as? String } == ["gate_opened", "step_failed", "run_finished"])
        let runID = run.engine.runID
        for document in received {
            #expect(document["run_id"] as? String == runID)
            #expect(document["workflow"] as? String == "notified")
            #expect(document["run_directory"] as? String == run.directory.path)
            let time = try #require(document["time"] as? String)
            #expect(time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil, "time \(time)")
        }
        let gate = received[0]
        #expect(gate["step"] as? [String: String] == ["id": "approve", "name": "Approve the release"])
        #expect(gate["state"] as? String == "waiting")
        #expect(gate["hint"] as? String == "baton attach \(runID)")
        #expect((gate["reason"] as? String)?.contains("alice") == true)
        #expect((gate["text"] as? String)?.hasPrefix("notified: 'Approve the release' is waiting for approval") == true)
        let failure = received[1]
        #expect(failure["step"] as? [String: String] == ["id": "broken", "name": "Broken step"])
        #expect(failure["state"] as? String == "failed")
        #expect(failure["exit_code"] as? Int == 3)
        let end = received[2]
        #expect(end["step"] == nil)
        #expect(end["outcome"] as? String == "waiting_for_operator")
        #expect(end["hint"] as? String == "baton resume \(runID)")
        #expect(try Self.documents(at: ends).map { $0["event"] as? String } == ["run_finished"])

        let log = try String(contentsOfFile: run.directory.notificationsLogPath, encoding: .utf8)
        // The commands printed nothing: each logged its end alone.
        #expect(log.split(separator: "\n").count == 4, "\(log)")
        #expect(log.contains("gate_opened of 'approve' → notify[1] exited 0\n"))
        #expect(log.contains("run_finished → notify[2] exited 0\n"))
    }

    @Test func aHangingNotifierIsKilledAtItsTimeoutAndTheRunEndsOnTime() async throws {
        let folder = EngineTestSupport.temporaryDirectory()
        let started = folder + "/started"
        let clock = ManualClock()
        let yaml = """
            notify:
              - run: echo started > '\(started)'; exec sleep 1000
                events: [run_finished]
                timeout: 5s
            steps:
              quick: {run: "true"}
            """
        let run = try await Self.start(yaml, clock: clock, in: folder)
        // The run ends while its notifier hangs: nothing of the run waits for it.
        #expect(try await EngineTestSupport.settle(run.engine) == .finished(.succeeded))
        try await clock.waitForSleepers(1)
        #expect(clock.pendingWaits == [.seconds(5)])
        try await EngineTestSupport.waitUntil { FileManager.default.fileExists(atPath: started) }
        clock.advance(by: .seconds(5))
        #expect(await run.engine.waitUntilFinished() == .succeeded)
        let failures = await run.failures.value
        #expect(failures.count == 1)
        #expect(failures.first?.contains("notify[1] on run_finished failed: timed out after 5s; its process group was killed") == true)
        let log = try String(contentsOfFile: run.directory.notificationsLogPath, encoding: .utf8)
        #expect(log.contains("run_finished → notify[1] timed out after 5s"))
    }

    @Test func aFailingNotifierIsReportedAndLoggedAndTheOutcomeStands() async throws {
        let folder = EngineTestSupport.temporaryDirectory()
        let yaml = """
            notify:
              - run: cat > /dev/null; echo "no webhook here" >&2; exit 22
            steps:
              quick: {run: "true"}
            """
        let run = try await Self.start(yaml, in: folder)
        #expect(try await EngineTestSupport.settle(run.engine) == .finished(.succeeded))
        #expect(await run.engine.waitUntilFinished() == .succeeded)
        let failures = await run.failures.value
        #expect(failures == ["notification notify[1] on run_finished failed: exited 22; see \(run.directory.notificationsLogPath)"])
        let log = try String(contentsOfFile: run.directory.notificationsLogPath, encoding: .utf8)
        #expect(log.contains("run_finished → notify[1] exited 22\n  | no webhook here\n"))
        // Nothing of it is in the journal: the run ended as it would have.
        let journal = try JournalReader.read(path: run.directory.eventsPath)
        #expect(journal.events.last?.outcome == .succeeded)
        #expect(!journal.events.contains { ($0.reason ?? "").contains("notify") })
    }

    @Test func secretsAreMaskedInTheDocumentAndInWhatTheNotifierPrints() async throws {
        let folder = EngineTestSupport.temporaryDirectory()
        let secret = "hunter2-\(UUID().uuidString.prefix(6))"
        let received = folder + "/received.jsonl"
        let leak = folder + "/leak"
        try secret.write(toFile: leak, atomically: true, encoding: .utf8)
        let yaml = """
            secrets: [NOTIFY_TOKEN]
            notify:
              - run: cat >> '\(received)'; cat '\(leak)'
                events: run_finished
            steps:
              held: {approval: {approvers: [alice]}}
            """
        let run = try await Self.start(yaml, environment: ["NOTIFY_TOKEN": secret], in: folder)
        _ = try await EngineTestSupport.settle(run.engine)
        #expect(await run.engine.finish(outcome: .failed, reason: "gave up: the token \(secret) expired"))
        #expect(await run.engine.waitUntilFinished() == .failed)
        let text = try String(contentsOfFile: received, encoding: .utf8)
        #expect(!text.contains(secret))
        let end = try #require(try Self.documents(at: received).first)
        #expect(end["reason"] as? String == "gave up: the token *** expired")
        let log = try String(contentsOfFile: run.directory.notificationsLogPath, encoding: .utf8)
        #expect(!log.contains(secret))
        #expect(log.contains("  | ***"))
    }

    @Test func aResumedRunTellsOnlyWhatHappensAfterTheResume() async throws {
        let folder = EngineTestSupport.temporaryDirectory()
        let received = folder + "/received.jsonl"
        let yaml = """
            notify:
              - run: cat >> '\(received)'
            steps:
              gate: {approval: {approvers: [alice]}}
              later: {needs: [gate], run: "true"}
            """
        let first = try await Self.start(yaml, runID: "resumed-notify", in: folder)
        _ = try await EngineTestSupport.settle(first.engine)
        #expect(await first.engine.close(by: "tester") == .waitingForOperator)
        #expect(try Self.documents(at: received).map { $0["event"] as? String } == ["gate_opened", "run_finished"])

        let directory = first.directory
        let history = try JournalReader.read(path: directory.eventsPath)
        let configuration = EngineConfiguration(
            runID: "resumed-notify", user: "tester", runDirectory: directory, syncJournal: false, environment: [:])
        let workflow = try WorkflowLoader.load(yaml: yaml, file: "notified.yaml")
        let resumed = try Engine(workflow: workflow, resuming: history.events, configuration: configuration)
        await resumed.start()
        // The gate still waits; it opened before the resume and is not told again.
        #expect(await resumed.approve("gate", by: "alice").isAccepted)
        #expect(try await EngineTestSupport.settle(resumed) == .finished(.succeeded))
        #expect(await resumed.waitUntilFinished() == .succeeded)
        let events = try Self.documents(at: received)
        #expect(events.map { $0["event"] as? String } == ["gate_opened", "run_finished", "run_finished"])
        #expect(events.last?["outcome"] as? String == "succeeded")
        #expect(events.last?["hint"] as? String == "baton replay resumed-notify")
    }

    @Test func anEscalatedGateIsToldAsOpenedToItsNewApprovers() async throws {
        let folder = EngineTestSupport.temporaryDirectory()
        let received = folder + "/received.jsonl"
        let clock = ManualClock()
        let yaml = """
            notify:
              - run: cat >> '\(received)'
                events: gate_opened
            steps:
              release:
                approval: {approvers: [alice], timeout: 1m, on_timeout: escalate, escalate_to: [bob]}
            """
        let run = try await Self.start(yaml, clock: clock, in: folder)
        _ = try await EngineTestSupport.settle(run.engine)
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(60))
        try await EngineTestSupport.waitFor(run.engine) { $0.steps[0].escalatedTo != nil }
        #expect(await run.engine.close(by: "tester") == .waitingForOperator)
        let events = try Self.documents(at: received)
        #expect(events.map { $0["reason"] as? String } == ["waiting for approval by alice", "no decision within 1m: escalated to bob"])
        #expect(events.map { $0["state"] as? String } == ["waiting", "waiting"])
        #expect(events.last?["text"] as? String == "notified: 'release' still waits for approval: no decision within 1m: escalated to bob — baton attach \(run.engine.runID)")
    }

    @Test func aFailedRollbackIsTold() async throws {
        let folder = EngineTestSupport.temporaryDirectory()
        let received = folder + "/received.jsonl"
        let yaml = """
            on_failure: rollback
            notify:
              - run: cat >> '\(received)'
                events: [rollback_failed, run_finished]
            steps:
              migrate: {run: "true", rollback: "exit 4"}
              deploy: {needs: [migrate], run: "exit 1"}
            """
        let run = try await Self.start(yaml, in: folder)
        // A halt by `on_failure: rollback` ends failed, however its compensation went.
        #expect(try await EngineTestSupport.settle(run.engine) == .finished(.failed))
        #expect(await run.engine.waitUntilFinished() == .failed)
        let events = try Self.documents(at: received)
        #expect(events.map { $0["event"] as? String } == ["rollback_failed", "run_finished"])
        #expect(events.first?["step"] as? [String: String] == ["id": "migrate", "name": "migrate"])
        #expect(events.first?["state"] as? String == "rollback_failed")
        #expect(events.first?["exit_code"] as? Int == 4)
        #expect(events.last?["outcome"] as? String == "failed")
    }

    @Test func aSimulatedRehearsalNotifiesNobody() async throws {
        let folder = EngineTestSupport.temporaryDirectory()
        let received = folder + "/received.jsonl"
        let workflow = try WorkflowLoader.load(yaml: """
            notify:
              - run: cat >> '\(received)'
            steps:
              quick: {run: "true"}
            """, file: "notified.yaml")
        var configuration = EngineConfiguration(
            runID: "rehearsed", user: "tester", runDirectory: RunDirectory(path: folder + "/rehearsed"), syncJournal: false,
            environment: [:])
        configuration.simulatesEverything = true
        let engine = try Engine(workflow: workflow, workflowText: "", configuration: configuration)
        #expect(engine.notifier == nil)
        await engine.start()
        #expect(try await EngineTestSupport.settle(engine) == .finished(.succeeded))
        #expect(await engine.waitUntilFinished() == .succeeded)
        #expect(!FileManager.default.fileExists(atPath: received))
    }

    // MARK: - The format

    @Test func theDecoderReadsNotifyWithItsDefaults() throws {
        let workflow = try WorkflowLoader.load(yaml: """
            notify:
              - run: notify-all
              - run: notify-gates
                events: gate_opened
                timeout: 1m
            steps:
              a: {run: "true"}
            """, file: "wf.yaml")
        #expect(workflow.notifications == [
            NotificationCommand(run: "notify-all", events: NotificationEvent.allCases, timeout: .seconds(10)),
            NotificationCommand(run: "notify-gates", events: [.gateOpened], timeout: .seconds(60)),
        ])
    }

    @Test func theDecoderReadsANotifiersRetryAsAStepsRetry() throws {
        let workflow = try WorkflowLoader.load(yaml: """
            notify:
              - run: post
                retry: 3
              - run: post-again
                retry: {attempts: 4, backoff: 2s, factor: 3, max_backoff: 10s, on_exit_codes: [7, 22]}
            steps:
              a: {run: "true"}
            """, file: "wf.yaml")
        #expect(workflow.notifications.map(\.retry) == [
            RetryPolicy(attempts: 3),
            RetryPolicy(attempts: 4, backoff: .seconds(2), maxBackoff: .seconds(10), factor: 3, onExitCodes: [7, 22]),
        ])
    }

    @Test func aFailingNotifierIsRunAgainAfterItsBackoffUntilItSucceeds() async throws {
        let folder = EngineTestSupport.temporaryDirectory()
        let attempts = folder + "/attempts"
        let clock = ManualClock()
        // Fails on its first two attempts, as a webhook that is down for a while.
        let yaml = """
            notify:
              - run: cat > /dev/null; echo "$BATON_NOTIFY_ATTEMPT" >> '\(attempts)'; [ "$BATON_NOTIFY_ATTEMPT" -ge 3 ] || { echo "503 from the hook" >&2; exit 22; }
                events: [run_finished]
                retry: {attempts: 5, backoff: 2s, factor: 3}
            steps:
              quick: {run: "true"}
            """
        let run = try await Self.start(yaml, clock: clock, in: folder)
        #expect(try await EngineTestSupport.settle(run.engine) == .finished(.succeeded))
        @Sendable func tried() -> [String] {
            ((try? String(contentsOfFile: attempts, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        // The first attempt fails; the next waits 2s on the engine's clock, the one after 6s.
        for (count, wait) in [(1, Duration.seconds(2)), (2, .seconds(6))] {
            try await EngineTestSupport.waitUntil { tried().count == count && clock.pendingWaits.contains(wait) }
            #expect(tried().count == count)
            clock.advance(by: wait)
        }
        #expect(await run.engine.waitUntilFinished() == .succeeded)
        #expect(tried() == ["1", "2", "3"])
        // Each failed attempt is reported with when it runs again; the log tells every attempt.
        let logPath = run.directory.notificationsLogPath
        #expect(await run.failures.value == [
            "notification notify[1] on run_finished failed: exited 22 (attempt 1 of 5); it runs again in 2s; see \(logPath)",
            "notification notify[1] on run_finished failed: exited 22 (attempt 2 of 5); it runs again in 6s; see \(logPath)",
        ])
        let log = try String(contentsOfFile: run.directory.notificationsLogPath, encoding: .utf8)
        #expect(log.contains("run_finished → notify[1] exited 22 (attempt 1 of 5); again in 2s\n  | 503 from the hook\n"), "\(log)")
        #expect(log.contains("run_finished → notify[1] exited 22 (attempt 2 of 5); again in 6s\n"), "\(log)")
        #expect(log.contains("run_finished → notify[1] exited 0 (attempt 3 of 5)\n"), "\(log)")
    }

    @Test func stoppingRetriesEndsTheBackoffAndRunsNoAttemptAgain() async throws {
        let folder = EngineTestSupport.temporaryDirectory()
        let clock = ManualClock()
        let yaml = """
            notify:
              - run: cat > /dev/null; exit 3
                events: [run_finished]
                retry: {attempts: 5, backoff: 30s}
            steps:
              quick: {run: "true"}
            """
        let run = try await Self.start(yaml, clock: clock, in: folder)
        #expect(try await EngineTestSupport.settle(run.engine) == .finished(.succeeded))
        try await EngineTestSupport.waitUntil { clock.pendingWaits.contains(.seconds(30)) }
        #expect(run.engine.notifier?.isBusy == true)
        // As a front end does on Ctrl-C: the run closes without the clock moving on.
        run.engine.notifier?.stopRetrying()
        #expect(await run.engine.waitUntilFinished() == .succeeded)
        #expect(run.engine.notifier?.isBusy == false)
        let logPath = run.directory.notificationsLogPath
        #expect(await run.failures.value == [
            "notification notify[1] on run_finished failed: exited 3 (attempt 1 of 5); it runs again in 30s; see \(logPath)",
            "notification notify[1] on run_finished failed: exited 3 (attempt 1 of 5); not run again: Baton was interrupted; see \(logPath)",
        ])
        let log = try String(contentsOfFile: logPath, encoding: .utf8)
        #expect(log.components(separatedBy: "→ notify[1] exited 3").count == 2, "one attempt: \(log)")
        #expect(log.contains("→ notify[1] not run again: Baton was interrupted\n"), "\(log)")
    }

    @Test func aNotifierThatKeepsFailingIsReportedOnceWhenItsAttemptsAreSpent() async throws {
        let folder = EngineTestSupport.temporaryDirectory()
        let yaml = """
            notify:
              - run: cat > /dev/null; exit 22
                events: [run_finished]
                retry: {attempts: 3, backoff: 0s}
              - run: cat > /dev/null; exit 9
                events: [run_finished]
                retry: {attempts: 3, backoff: 0s, on_exit_codes: [22]}
            steps:
              quick: {run: "true"}
            """
        let run = try await Self.start(yaml, in: folder)
        #expect(try await EngineTestSupport.settle(run.engine) == .finished(.succeeded))
        #expect(await run.engine.waitUntilFinished() == .succeeded)
        let logPath = run.directory.notificationsLogPath
        #expect(Set(await run.failures.value) == [
            "notification notify[1] on run_finished failed: exited 22 (attempt 1 of 3); it runs again in 0ms; see \(logPath)",
            "notification notify[1] on run_finished failed: exited 22 (attempt 2 of 3); it runs again in 0ms; see \(logPath)",
            "notification notify[1] on run_finished failed: exited 22 (attempt 3 of 3); see \(logPath)",
            "notification notify[2] on run_finished failed: exited 9; not retried: exit 9 is not in retry.on_exit_codes [22]; see \(logPath)",
        ])
        let log = try String(contentsOfFile: logPath, encoding: .utf8)
        #expect(log.components(separatedBy: "→ notify[1] exited 22").count == 4, "three attempts: \(log)")
        #expect(log.contains("→ notify[1] exited 22 (attempt 3 of 3)\n"), "\(log)")
        #expect(log.contains("→ notify[2] exited 9 (attempt 1 of 3); not retried: exit 9 is not in retry.on_exit_codes [22]\n"), "\(log)")
    }

    @Test func aCalledFilesNotifyDoesNotApplyToTheRunThatCallsIt() throws {
        let folder = EngineTestSupport.temporaryDirectory()
        try "notify:\n  - run: tell-called\nsteps:\n  inner: {run: \"true\"}\n".write(
            toFile: folder + "/called.yaml", atomically: true, encoding: .utf8)
        try "notify:\n  - run: tell-main\nsteps:\n  outer: {uses: called.yaml}\n".write(
            toFile: folder + "/main.yaml", atomically: true, encoding: .utf8)
        let workflow = try WorkflowLoader.load(contentsOf: folder + "/main.yaml")
        #expect(workflow.notifications.map(\.run) == ["tell-main"])
        #expect(workflow.calls.first?.ignoredSettings == ["notify"])
    }

    @Test(arguments: [
        ("notify: curl x\n", "wf.yaml:1:9: 'notify' must be a list of mappings with keys 'run', 'events', 'timeout' and 'retry', not 'curl x'"),
        ("notify:\n  - curl x\n", "wf.yaml:2:5: each entry of 'notify' must be a mapping with keys 'run', 'events', 'timeout' and 'retry', not 'curl x'"),
        ("notify:\n  - run: x\n    evnts: [gate_opened]\n", "wf.yaml:3:5: unknown key 'evnts' in 'notify[1]'; did you mean 'events'?"),
        ("notify:\n  - run: x\n    events: [gate_opend]\n", "wf.yaml:3:14: 'notify[1].events' lists 'gate_opend', which is not an event; events are gate_opened, step_failed, run_finished, rollback_failed; did you mean 'gate_opened'?"),
        ("notify:\n  - run: x\n    events: [run_finished, run_finished]\n", "wf.yaml:3:28: 'notify[1].events' lists 'run_finished' twice"),
        ("notify:\n  - run: x\n    events: []\n", "wf.yaml:3:13: 'notify[1].events' is empty; leave it out to be notified of every event"),
        ("notify:\n  - run: x\n    timeout: soon\n", "wf.yaml:3:14: 'notify[1].timeout': 'soon' is not a duration; write e.g. 500ms, 30s, 5m, 1h"),
        ("notify:\n  - run: x\n    timeout: 0s\n", "wf.yaml:3:14: 'notify[1].timeout' must be longer than zero"),
        ("notify:\n  - events: [gate_opened]\n", "wf.yaml:2:5: 'notify[1]' has no 'run': give the command to run"),
        ("notify:\n  - run: \"  \"\n", "wf.yaml:2:10: 'notify[1].run' is empty; give the command to run"),
        ("notify:\n  - run: x\n    retry: 0\n", "wf.yaml:3:12: 'notify[1].retry' must be a whole number of 1 or more, not '0'"),
        ("notify:\n  - run: x\n    retry: {backoff: 1s}\n", "wf.yaml:3:12: 'notify[1].retry' has no 'attempts'; add e.g. `attempts: 3`"),
        ("notify:\n  - run: x\n    retry: {attempts: 2, backof: 1s}\n", "wf.yaml:3:26: unknown key 'backof' in 'notify[1].retry'; did you mean 'backoff'?"),
        ("notify:\n  - run: x\n    retry: {attempts: 2, backoff: soon}\n", "wf.yaml:3:35: 'notify[1].retry.backoff': 'soon' is not a duration; write e.g. 500ms, 30s, 5m, 1h"),
    ])
    func theDecoderRefusesBadNotifyShapes(notify: String, problem: String) {
        let problems = EngineTestSupport.loadProblems(notify + "steps:\n  a: {run: \"true\"}\n")
        #expect(problems == [problem])
    }
}
