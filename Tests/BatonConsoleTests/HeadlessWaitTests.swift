import BatonEngine
import Foundation
import Testing

/// A headless run with no terminal (stdin from /dev/null) waits for an operator instead of
/// giving up: a gate until someone decides it from another terminal or its timeout does, a
/// failed step until someone acts on it; it says how, `baton runs` says what it waits for, and
/// a signal still interrupts it. `--unattended` keeps the old way: nobody is waited for.
@Suite(.timeLimit(.minutes(2))) struct HeadlessWaitTests {
    /// The operating-system user the tests run as, as Baton names them.
    private let me = String(cString: getpwuid(getuid()).pointee.pw_name)

    /// A folder with one workflow file and a state directory.
    private struct Scratch {
        let directory = NSTemporaryDirectory() + "baton-wait-\(UUID().uuidString.prefix(8))"
        var file: String { directory + "/wf.yaml" }
        var state: String { directory + "/state" }

        init(_ workflow: String) throws {
            try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try workflow.write(toFile: file, atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }

        /// The one recorded run's directory, once there is one.
        var run: RunDirectory? {
            ((try? FileManager.default.contentsOfDirectory(atPath: state + "/runs")) ?? []).first.map { RunDirectory(path: "\(state)/runs/\($0)") }
        }

        /// The fold of the run's journal as it stands.
        var folded: RunState? {
            run.flatMap { try? $0.readJournal() }.flatMap { try? JournalReader.fold($0.events) }
        }

        /// Runs `baton` with `arguments` and `--state-dir` to its end, stdin from /dev/null.
        func baton(_ arguments: String...) async throws -> ChildProcess.Result {
            try await ChildProcess.finish(ConsoleEndToEndTests.binary, arguments + ["--state-dir", state], within: .seconds(45))
        }

        /// Starts `baton run FILE --headless` with `options`, stdin from /dev/null.
        func start(_ options: String...) throws -> ChildProcess.Started {
            try ChildProcess.start(ConsoleEndToEndTests.binary, ["run", file, "--headless", "--state-dir", state] + options)
        }

        /// Waits, as a task does, until the run's state satisfies `ready`; 45 s at most.
        @discardableResult
        func waitFor(_ what: String, _ ready: (RunState) -> Bool) async throws -> RunState {
            let deadline = ContinuousClock.now + .seconds(45)
            while ContinuousClock.now < deadline {
                if let state = folded, ready(state) { return state }
                try await Task.sleep(for: .milliseconds(20))
            }
            throw ChildProcess.Failure(description: "the run never got to \(what): \(String(describing: folded?.status))")
        }
    }

    /// Kills `child` unless the test reaped it.
    private func stop(_ child: ChildProcess.Started, reaped: Bool) {
        guard !reaped else { return }
        kill(child.pid, SIGKILL)
        _ = try? child.wait(limit: .seconds(10))
    }

    private static let gated = """
        name: gated
        steps:
          build:
            run: "true"
          ship:
            needs: [build]
            approval:
              prompt: Ship it?
          deploy:
            needs: [ship]
            run: "true"
        """

    @Test func aGateWaitsUntilAnotherTerminalApprovesIt() async throws {
        let scratch = try Scratch(Self.gated)
        defer { scratch.remove() }
        let child = try scratch.start()
        var reaped = false
        defer { stop(child, reaped: reaped) }
        try await scratch.waitFor("waiting on the gate") { $0.status == .waitingForOperator && $0["ship"]?.state == .waiting }
        let run = try #require(scratch.run)
        let said = try await child.waitForOutput(containing: "gate 'ship' waits for an approver")
        #expect(said.contains("baton: gate 'ship' waits for an approver (any operator): baton approve \(run.path) ship -m \"…\" approves it, "
            + "baton reject \(run.path) ship -m \"…\" rejects it"), "\(said)")
        #expect(!said.contains("rejected"), "\(said)")

        let listed = try await scratch.baton("runs")
        #expect(listed.status == 0, "\(listed.output)")
        #expect(listed.output.contains("waiting for an operator: 'ship' is waiting for approval by any operator"), "\(listed.output)")
        #expect(!listed.output.contains("(resumable)"), "a live run is nobody else's to resume: \(listed.output)")

        let approved = try await scratch.baton("approve", run.runID, "ship", "-m", "ok")
        #expect(approved.status == 0, "\(approved.output)")
        let result = try await child.exit(within: .seconds(45))
        reaped = true
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("» approve 'ship' by \(me) — accepted"), "\(result.output)")
        let state = try #require(scratch.folded)
        #expect(state.outcome == .succeeded)
        #expect(state.audit.contains { $0.action == "approve" && $0.user == me && $0.comment == "ok" })
    }

    @Test func aGateNobodyDecidesIsRejectedAtItsTimeout() async throws {
        let scratch = try Scratch("""
            name: timed
            on_failure: stop
            steps:
              ship:
                approval:
                  timeout: 1s
            """)
        defer { scratch.remove() }
        let child = try scratch.start()
        var reaped = false
        defer { stop(child, reaped: reaped) }
        let result = try await child.exit(within: .seconds(45))
        reaped = true
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("gate 'ship' waits for an approver (any operator)"), "\(result.output)")
        #expect(result.output.contains("; undecided, it is rejected at "), "\(result.output)")
        #expect(result.output.contains("no decision within 1s: the gate is rejected"), "\(result.output)")
        #expect(!result.output.contains("no operator"), "nobody rejected it but the timeout: \(result.output)")
        let state = try #require(scratch.folded)
        #expect(state.outcome == .failed)
        #expect(state["ship"]?.reason == "rejected by timeout: no decision within 1s")
        #expect(state.audit.map(\.action).contains("gate timed out"), "\(state.audit.map(\.action))")
    }

    @Test func aFailedStepWaitsUntilAnotherTerminalSkipsIt() async throws {
        let scratch = try Scratch("""
            name: flaky
            steps:
              test:
                run: exit 1
              ship:
                needs: [test]
                run: "true"
            """)
        defer { scratch.remove() }
        let child = try scratch.start()
        var reaped = false
        defer { stop(child, reaped: reaped) }
        try await scratch.waitFor("waiting on the failed step") { $0.status == .waitingForOperator && $0["test"]?.state == .failed }
        let run = try #require(scratch.run)
        let said = try await child.waitForOutput(containing: "baton cancel \(run.path)")
        #expect(said.contains("baton: no terminal here: act on the run from another terminal:"), "\(said)")
        #expect(said.contains("baton:   baton retry \(run.path) test  "), "\(said)")
        #expect(said.contains("runs 'test' again; 1 step it blocked can run after"), "\(said)")
        #expect(said.contains("baton:   baton skip \(run.path) test  "), "\(said)")
        #expect(said.contains("baton:   baton rollback \(run.path)  "), "\(said)")
        let listed = try await scratch.baton("runs")
        #expect(listed.output.contains("waiting for an operator: 'test' failed"), "\(listed.output)")

        let skipped = try await scratch.baton("skip", run.runID, "test")
        #expect(skipped.status == 0, "\(skipped.output)")
        let result = try await child.exit(within: .seconds(45))
        reaped = true
        #expect(result.status == 0, "\(result.output)")
        let state = try #require(scratch.folded)
        #expect(state.outcome == .succeeded)
        #expect(state["test"]?.state == .skipped)
        #expect(state["ship"]?.state == .succeeded)
    }

    @Test func aSignalStillInterruptsARunThatWaits() async throws {
        let scratch = try Scratch(Self.gated)
        defer { scratch.remove() }
        let child = try scratch.start()
        var reaped = false
        defer { stop(child, reaped: reaped) }
        try await scratch.waitFor("waiting on the gate") { $0.status == .waitingForOperator }
        kill(child.pid, SIGTERM)
        let result = try await child.exit(within: .seconds(45))
        reaped = true
        #expect(result.status == 130, "\(result.output)")
        #expect(result.output.contains("SIGTERM received"), "\(result.output)")
        #expect(scratch.folded?.outcome == .interrupted)
        #expect(scratch.run.map { !FileManager.default.fileExists(atPath: $0.hostSocketPath) } == true, "the socket goes with its host")
    }

    @Test func aSignalEndsTheWaitForANotificationsRetry() async throws {
        // The run is over, but its notification fails and would run again in 10 minutes.
        let scratch = try Scratch("""
            name: told
            notify:
              - run: cat > /dev/null; exit 3
                events: [run_finished]
                retry: {attempts: 3, backoff: 10m}
            steps:
              a: {run: "true"}
            """)
        defer { scratch.remove() }
        let child = try scratch.start()
        var reaped = false
        defer { stop(child, reaped: reaped) }
        try await child.waitForOutput(containing: "(attempt 1 of 3); it runs again in 10m")
        kill(child.pid, SIGINT)
        let result = try await child.exit(within: .seconds(45))
        reaped = true
        #expect(result.status == 0, "the run succeeded: \(result.output)")
        #expect(result.output.contains("exited 3 (attempt 1 of 3); not run again: Baton was interrupted"), "\(result.output)")
        let log = try String(contentsOfFile: try #require(scratch.run).notificationsLogPath, encoding: .utf8)
        #expect(log.contains("→ notify[1] not run again: Baton was interrupted"), "\(log)")
    }

    @Test func unattendedRejectsWhatTheCommandLineDoesNotApproveAndEndsAtOnce() async throws {
        let scratch = try Scratch("""
            name: two-gates
            steps:
              ship:
                approval:
                  prompt: Go?
              announce:
                approval:
                  prompt: Go?
            """)
        defer { scratch.remove() }
        let result = try await scratch.baton("run", scratch.file, "--headless", "--unattended", "--approve", "ship")
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains(
            "gate 'announce' rejected: no operator: the run is unattended (--unattended); pass --approve announce or --approve-all"), "\(result.output)")
        #expect(result.output.contains("no operator: the run is unattended (--unattended); the run is left waiting for an operator: 'announce' failed"),
                "\(result.output)")
        #expect(!result.output.contains("waits for an approver"), "\(result.output)")
        let state = try #require(scratch.folded)
        #expect(state.outcome == .waitingForOperator)
        #expect(state["ship"]?.state == .succeeded)
        #expect(state["announce"]?.state == .failed)
        #expect(state.audit.contains { $0.action == "reject" && $0.user == "baton" && $0.step == "announce" })
    }
}
