import BatonEngine
import BatonTestSupport

/// The runs the journal tests record: one of every kind an operator or a failure can make.
extension RecordedScenario {
    typealias S = EngineTestSupport

    static let all: [RecordedScenario] = [
        success, failureWait, failureStop, failureRollback, cancelledStep, cancelledRun,
        rejectedGate, approvedGate, rollbackOfOneStep, rollbackOfTheRun, operatorRetry, interrupted, interruptedAndResumed,
        failedRollbackRetried, pausedAndSkipped, dynamicFanOut,
    ]

    /// `spread` fans out over the hosts `fetch` publishes: its instances are made mid-run.
    static let dynamicFanOut = RecordedScenario(
        name: "dynamic-fan-out",
        extraSteps: """
              spread:
                needs: [fetch]
                for_each: ${{ steps.fetch.outputs.hosts }}
                run: spread it
                rollback: unspread it
            """,
        shipNeeds: ["build", "test", "spread"],
        script: { $0.stepID == "fetch" && $0.purpose == .run ? .succeed(["hosts": #"["h1", "h2"]"#]) : .succeed([:]) },
        resumedOutputs: ["fetch": ["hosts": #"["h1", "h2"]"#]])

    /// Every step succeeds.
    static let success = RecordedScenario(name: "success")

    /// `build` fails; `on_failure: wait` blocks `ship`, and nobody comes.
    static let failureWait = RecordedScenario(
        name: "failure-wait",
        script: { $0.stepID == "build" && $0.purpose == .run ? .fail(2) : .succeed([:]) })

    /// `build` fails while `test` still runs; `on_failure: stop` lets `test` finish and starts nothing new.
    static let failureStop = RecordedScenario(
        name: "failure-stop", onFailure: "stop",
        script: { job in
            guard job.purpose == .run else { return .succeed([:]) }
            switch job.stepID {
            case "build": return .fail(2)
            case "test": return .hold
            default: return .succeed(["version": "1.2"])
            }
        },
        drive: { engine, executor in
            try await S.waitFor(engine) { $0.haltReason != nil }
            try await S.waitUntil { executor.heldSteps.contains("test") }
            executor.release("test")
        })

    /// `build` fails both its attempts; `on_failure: rollback` undoes `test` and `fetch`.
    static let failureRollback = RecordedScenario(
        name: "failure-rollback", onFailure: "rollback",
        buildExtra: "    retry: {attempts: 2, backoff: 10ms}",
        script: { $0.stepID == "build" && $0.purpose == .run ? .fail(3) : .succeed([:]) })

    /// An operator cancels `test` while it runs; `ship` is blocked.
    static let cancelledStep = RecordedScenario(
        name: "cancelled-step",
        script: { $0.stepID == "test" && $0.purpose == .run ? .hold : .succeed([:]) },
        drive: { engine, executor in
            try await S.waitUntil { executor.heldSteps.contains("test") }
            _ = await engine.cancel("test", by: "tester")
        })

    /// An operator cancels the run while `build` and `test` run.
    static let cancelledRun = RecordedScenario(
        name: "cancelled-run",
        script: { ["build", "test"].contains($0.stepID) && $0.purpose == .run ? .hold : .succeed([:]) },
        drive: { engine, executor in
            try await S.waitUntil { executor.heldSteps == ["build", "test"] }
            _ = await engine.cancelRun(by: "tester")
        })

    /// alice rejects the gate before `ship`; `on_failure: stop` ends the run.
    static let rejectedGate = RecordedScenario(
        name: "rejected-gate", onFailure: "stop",
        extraSteps: "  gate:\n    needs: [build, test]\n    approval: {approvers: [alice]}",
        shipNeeds: ["gate"],
        drive: { engine, _ in
            try await S.waitFor(engine) { $0["gate"]?.state == .waiting }
            _ = await engine.approve("gate", by: "mallory")
            _ = await engine.reject("gate", by: "alice", comment: "not today")
        })

    /// alice approves the gate (a step with a command of its own), which then runs.
    static let approvedGate = RecordedScenario(
        name: "approved-gate",
        extraSteps: "  gate:\n    needs: [build, test]\n    run: announce it\n    approval: {approvers: [alice]}",
        shipNeeds: ["gate"],
        drive: { engine, _ in
            try await S.waitFor(engine) { $0["gate"]?.state == .waiting }
            _ = await engine.approve("gate", by: "alice", comment: "ship it")
        })

    /// Every step succeeds; the operator rolls `build` back (and `ship` before it), then quits.
    static let rollbackOfOneStep = RecordedScenario(
        name: "rollback-step", closesWhenFinished: false,
        drive: { engine, _ in
            _ = try await S.settle(engine)
            _ = await engine.rollback("build", by: "tester")
            try await S.waitFor(engine) { $0["build"]?.state == .rolledBack }
            _ = await engine.close(by: "tester")
        })

    /// The operator rolls the whole run back while `build` runs: it is cancelled, and
    /// `test` and `fetch` are undone.
    static let rollbackOfTheRun = RecordedScenario(
        name: "rollback-run",
        script: { $0.stepID == "build" && $0.purpose == .run ? .hold : .succeed([:]) },
        drive: { engine, executor in
            try await S.waitFor(engine) { $0["test"]?.state == .succeeded }
            try await S.waitUntil { executor.heldSteps.contains("build") }
            _ = await engine.rollbackRun(by: "tester")
        })

    /// `build` fails its first attempt; the operator retries it and the run succeeds.
    static let operatorRetry = RecordedScenario(
        name: "operator-retry",
        script: { $0.stepID == "build" && $0.purpose == .run && $0.attempt == 1 ? .fail(1) : .succeed([:]) },
        drive: { engine, _ in
            _ = try await S.settle(engine)
            _ = await engine.retry("build", by: "tester")
        })

    /// Ctrl-C while `build` and `test` run: the run ends interrupted, to be resumed.
    static let interrupted = RecordedScenario(
        name: "interrupted",
        script: { ["build", "test"].contains($0.stepID) && $0.purpose == .run ? .hold : .succeed([:]) },
        drive: { engine, executor in
            try await S.waitUntil { executor.heldSteps == ["build", "test"] }
            _ = await engine.cancelRun(by: "tester", outcome: .interrupted)
        })

    /// Ctrl-C while `build` and `test` run, then `baton resume --rerun-interrupted`, which
    /// runs both again and finishes the run.
    static let interruptedAndResumed: RecordedScenario = {
        var scenario = interrupted
        scenario.name = "interrupted-resumed"
        scenario.resumedOnce = true
        return scenario
    }()

    /// The operator rolls `build` back; `ship`'s rollback fails, which holds `build` back until
    /// the operator retries it.
    static let failedRollbackRetried = RecordedScenario(
        name: "rollback-retried", closesWhenFinished: false,
        script: { job in
            job.stepID == "ship" && job.purpose == .rollback && job.earlier == 0 ? .fail(4) : .succeed([:])
        },
        drive: { engine, _ in
            _ = try await S.settle(engine)
            _ = await engine.rollback("build", by: "tester")
            try await S.waitFor(engine) { $0["ship"]?.state == .rollbackFailed }
            _ = await engine.rollback("ship", by: "tester")
            try await S.waitFor(engine) { $0["build"]?.state == .rolledBack }
            _ = await engine.close(by: "tester")
        })

    /// The operator pauses the run while `test` runs, skips the failed `build`, and resumes the run.
    static let pausedAndSkipped = RecordedScenario(
        name: "paused-skipped",
        script: { job in
            guard job.purpose == .run else { return .succeed([:]) }
            switch job.stepID {
            case "build": return .fail(5)
            case "test": return .hold
            default: return .succeed([:])
            }
        },
        drive: { engine, executor in
            try await S.waitUntil { executor.heldSteps.contains("test") }
            _ = await engine.pauseRun(by: "tester")
            try await S.waitFor(engine) { $0["build"]?.state == .failed }
            executor.release("test")
            try await S.waitFor(engine) { $0["test"]?.state == .succeeded }
            _ = await engine.skip("build", by: "tester")
            _ = await engine.resumeRun(by: "tester")
        })
}
