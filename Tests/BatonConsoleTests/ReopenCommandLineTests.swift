import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// An unattended headless run that ends waiting for an operator, and the commands that take a
/// recorded run up again: `baton resume` (with `--retry-failed` and `--skip`) and `baton
/// rollback`. The real binary, with stdin from /dev/null.
@Suite(.timeLimit(.minutes(2))) struct ReopenCommandLineTests {
    /// The operating-system user the tests run as, as Baton names them.
    private let me = String(cString: getpwuid(getuid()).pointee.pw_name)

    @Test func anUnattendedRunThatWaitsEndsWaitingAndResumeTakesItUp() async throws {
        let scratch = try PipelineScratch(onFailure: "wait")
        defer { scratch.remove() }
        let first = try await scratch.baton("run", scratch.file, "--headless", "--unattended")
        #expect(first.status == 1, "\(first.output)")
        #expect(first.output.contains("no operator: the run is unattended (--unattended); the run is left waiting for an operator: 'test' failed"),
                "\(first.output)")
        let runID = try scratch.runID
        #expect(first.output.contains("waiting for an operator in"), "\(first.output)")
        #expect(first.output.contains("baton resume \(runID) --retry-failed"), "\(first.output)")
        #expect(first.output.contains("baton resume \(runID) --skip STEP"), "\(first.output)")
        #expect(try scratch.folded.outcome == .waitingForOperator)
        let listed = try await scratch.baton("runs")
        #expect(listed.output.contains("waiting for an operator (resumable)"), "\(listed.output)")

        // Still unattended: it ends waiting again, and nothing ran again.
        let again = try await scratch.baton("resume", runID, "--headless", "--unattended")
        #expect(again.status == 1, "\(again.output)")
        #expect(again.output.contains("run resumed by \(me)"), "\(again.output)")
        #expect(scratch.runs == ["build": 1, "test": 1, "docs": 1])

        scratch.fix()
        let retried = try await scratch.baton("resume", runID, "--retry-failed", "--headless")
        #expect(retried.status == 0, "\(retried.output)")
        #expect(scratch.runs == ["build": 1, "test": 2, "ship": 1, "docs": 1], "only the failed step and what it blocked ran")
        #expect(try scratch.folded.outcome == .succeeded)
    }

    @Test func retryFailedReopensAFailedRunAndTheAuditSaysWhoAndWhy() async throws {
        let scratch = try PipelineScratch(onFailure: "stop")
        defer { scratch.remove() }
        #expect(try await scratch.baton("run", scratch.file, "--headless").status == 1)
        #expect(try scratch.folded.outcome == .failed)
        let runID = try scratch.runID
        #expect(try await scratch.baton("runs").output.contains("failed (reopenable)"))

        scratch.fix()
        let retried = try await scratch.baton("resume", runID, "--retry-failed")
        #expect(retried.status == 0, "\(retried.output)")
        #expect(retried.output.contains("run reopened by \(me) (it had failed) to retry 'test'"), "\(retried.output)")
        // `docs` never ran before the stop; `build` succeeded and does not run again.
        #expect(scratch.runs == ["build": 1, "test": 2, "ship": 1, "docs": 1])

        let audit = try await scratch.baton("runs", "--audit", runID, "--json")
        #expect(audit.status == 0, "\(audit.output)")
        let entries = try AuditCommandTests.entries(audit.output)
        let reopened = try #require(entries.first { $0["action"] as? String == "reopen run" }, "\(audit.output)")
        #expect(reopened["user"] as? String == me)
        #expect(reopened["comment"] as? String == "retry 'test'")
        #expect((reopened["detail"] as? String)?.contains("the run had failed") == true)

        // Nothing failed any more: there is nothing to retry, and nothing is written.
        let before = try scratch.journal
        let nothing = try await scratch.baton("resume", runID, "--retry-failed")
        #expect(nothing.status == 2, "\(nothing.output)")
        #expect(nothing.output.contains("there is nothing to retry"), "\(nothing.output)")
        #expect(try scratch.journal == before)
    }

    @Test func skipLetsTheStepsAfterAFailedStepGoOn() async throws {
        let scratch = try PipelineScratch(onFailure: "stop")
        defer { scratch.remove() }
        #expect(try await scratch.baton("run", scratch.file, "--headless").status == 1)
        let runID = try scratch.runID
        let before = try scratch.journal

        let succeeded = try await scratch.baton("resume", runID, "--skip", "build")
        #expect(succeeded.status == 2, "\(succeeded.output)")
        #expect(succeeded.output.contains("cannot skip 'build': it is succeeded"), "\(succeeded.output)")
        let unknown = try await scratch.baton("resume", runID, "--skip", "tset")
        #expect(unknown.status == 2, "\(unknown.output)")
        #expect(unknown.output.contains("there is no step 'tset' in workflow 'pipeline'; did you mean 'test'?"), "\(unknown.output)")
        #expect(try scratch.journal == before, "a refused request writes nothing")

        let skipped = try await scratch.baton("resume", runID, "--skip", "test")
        #expect(skipped.status == 0, "\(skipped.output)")
        #expect(scratch.runs == ["build": 1, "test": 1, "ship": 1, "docs": 1])
        let state = try scratch.folded
        #expect(state.outcome == .succeeded)
        #expect(state["test"]?.state == .skipped)
    }

    @Test func rollbackUndoesAStepWithItsDependentsThenTheWholeRun() async throws {
        let scratch = try PipelineScratch()
        defer { scratch.remove() }
        scratch.fix()
        #expect(try await scratch.baton("run", scratch.file, "--headless").status == 0)
        let runID = try scratch.runID

        // A plain headless resume of a finished run is refused, saying what reopens it.
        let plain = try await scratch.baton("resume", runID, "--headless")
        #expect(plain.status == 2, "\(plain.output)")
        #expect(plain.output.contains("the run already succeeded; there is nothing to resume (--retry-failed or --skip STEP reopens it"), "\(plain.output)")

        let unknown = try await scratch.baton("rollback", runID, "no-such-step")
        #expect(unknown.status == 2, "\(unknown.output)")
        #expect(unknown.output.contains("there is no step 'no-such-step' in workflow 'pipeline'"), "\(unknown.output)")
        #expect(try await scratch.baton("rollback", "no-such-run").status == 2)

        let one = try await scratch.baton("rollback", runID, "test")
        #expect(one.status == 0, "\(one.output)")
        #expect(one.output.contains("run reopened by \(me) (it had succeeded) to roll back 'test'"), "\(one.output)")
        #expect(Array(scratch.ran.suffix(2)) == ["undo-ship", "undo-test"], "dependents first: \(scratch.ran)")
        #expect(try scratch.folded.outcome == .rolledBack)
        #expect(try await scratch.baton("runs").output.contains("rolled back (reopenable)"))

        let before = try scratch.journal
        let again = try await scratch.baton("rollback", runID, "test")
        #expect(again.status == 2, "\(again.output)")
        #expect(again.output.contains("cannot roll back 'test': it is rolled back; only a succeeded step can be rolled back"), "\(again.output)")
        #expect(try scratch.journal == before, "a refused rollback writes nothing")

        let whole = try await scratch.baton("rollback", runID, "--comment", "the release is withdrawn")
        #expect(whole.status == 0, "\(whole.output)")
        #expect(scratch.ran.last == "undo-build")
        #expect(try scratch.folded.outcome == .rolledBack)
        #expect(try scratch.folded.audit.last { $0.action == "rollback_run" }?.comment == "the release is withdrawn",
                "the audit trail keeps why")
    }

    @Test func aFailedRollbackExitsOneAndRollbackTriesItAgain() async throws {
        let scratch = try PipelineScratch(failingShipRollback: true)
        defer { scratch.remove() }
        scratch.fix()
        #expect(try await scratch.baton("run", scratch.file, "--headless").status == 0)
        let runID = try scratch.runID

        let whole = try await scratch.baton("rollback", runID)
        #expect(whole.status == 1, "\(whole.output)")
        #expect(whole.output.contains("rollback failed in"), "\(whole.output)")
        #expect(try scratch.folded.outcome == .rollbackFailed)
        #expect(try await scratch.baton("runs").output.contains("rollback failed (reopenable)"))

        scratch.fixRollback()
        let again = try await scratch.baton("rollback", runID, "ship")
        #expect(again.status == 0, "\(again.output)")
        #expect(again.output.contains("to retry the rollback of 'ship'"), "\(again.output)")
        // The plan goes on where it stopped: what `ship` held back is rolled back after it.
        #expect(scratch.ran.filter { $0.hasPrefix("undo-") } == ["undo-ship", "undo-ship", "undo-test", "undo-build"], "\(scratch.ran)")
        #expect(try scratch.folded.outcome == .rolledBack)
    }

    @Test func onlySomeoneWhoCanWriteTheRunMayReopenIt() async throws {
        let scratch = try PipelineScratch(onFailure: "stop")
        defer {
            chmod(scratch.directory, 0o755)
            scratch.remove()
        }
        #expect(try await scratch.baton("run", scratch.file, "--headless").status == 1)
        let run = try scratch.run
        let arguments = [ConsoleEndToEndTests.binary, "resume", run.runID, "--retry-failed", "--state-dir", scratch.state]
        let result: ChildProcess.Result
        if getuid() == 0 {
            // Root may write anything: ask as another user, who can read the run but not write it.
            try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "this test needs setpriv as root")
            result = try await ChildProcess.finish("/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups"] + arguments)
        } else {
            chmod(run.path, 0o555)
            defer { chmod(run.path, 0o755) }
            result = try await ChildProcess.finish(arguments[0], Array(arguments.dropFirst()))
        }
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("cannot write \(run.path) (Permission denied): only someone who can write the run's directory may resume or reopen run \(run.runID)"), "\(result.output)")
        #expect(try scratch.folded.outcome == .failed, "nothing was written")
    }

    @Test func aRunWhoseProcessDiedIsListedAsStoppedUnexpectedly() async throws {
        let scratch = try PipelineScratch()
        defer { scratch.remove() }
        let run = RunDirectory(path: scratch.state + "/runs/20260101-000000-dead")
        try JournalBuilder(runID: run.runID, workflow: "pipeline")
            .runStarted(steps: ["build", "test", "ship", "docs"]).step("build", .running)
            .write(to: run, workflowText: try String(contentsOfFile: scratch.file, encoding: .utf8))
        let listed = try await scratch.baton("runs")
        #expect(listed.status == 0, "\(listed.output)")
        #expect(listed.output.contains("stopped unexpectedly (resumable)"), "\(listed.output)")
        #expect(!listed.output.contains("running"), "\(listed.output)")
    }
}
