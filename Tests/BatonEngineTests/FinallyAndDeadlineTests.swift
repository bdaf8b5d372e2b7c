import BatonTestSupport
import Foundation
import Testing
@testable import BatonEngine

/// `finally:` steps run once every other step has settled, whatever the outcome, and see it as
/// `$BATON_RUN_OUTCOME`; the workflow's `timeout:` stops a run that takes too long, and its
/// finally steps still run.
@Suite struct FinallyAndDeadlineTests {
    private func problems(_ yaml: String) -> [String] { EngineTestSupport.loadProblems(yaml) }

    /// Runs a workflow of shell steps to its end, closing it; returns its final state and
    /// what the finally step `report` wrote to `outcome` in `directory`.
    private func run(
        _ yaml: String, in directory: String, clock: ManualClock? = nil,
        acting: @Sendable (Engine) async throws -> Void = { _ in }
    ) async throws -> (state: RunState, reported: String?) {
        let workflow = try WorkflowLoader.load(yaml: yaml, file: "wf.yaml")
        var configuration = EngineConfiguration(
            runID: "finally-\(UUID().uuidString.prefix(6))", user: "tester", syncJournal: false,
            cancelGracePeriod: .milliseconds(300), environment: [:])
        if let clock { configuration.clock = clock }
        let engine = try Engine(workflow: workflow, workflowText: yaml, configuration: configuration)
        await engine.start()
        try await acting(engine)
        _ = try await EngineTestSupport.settle(engine)
        _ = await engine.close(by: "tester")
        let reported = try? String(contentsOfFile: directory + "/outcome", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return (await engine.state, reported)
    }

    private func scratch() throws -> String {
        let directory = NSTemporaryDirectory() + "baton-finally-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func finallyStepsAreReadAndCheckedWhereTheyAre() throws {
        let workflow = try WorkflowLoader.load(yaml: """
            name: f
            timeout: 10m
            steps:
              build:
                run: make
            finally:
              report:
                run: echo done
              clean:
                needs: [report, build]
                run: rm -rf tmp
            """, file: "wf.yaml")
        #expect(workflow.stepIDs == ["build", "report", "clean"])
        #expect(workflow.steps.map(\.isFinally) == [false, true, true])
        #expect(workflow.timeout == .seconds(600))
        let found = problems("""
            name: f
            timeout: 0s
            steps:
              build:
                run: make
                needs: [report]
            finally:
              build:
                run: echo twice
              report:
                run: echo done
            """)
        #expect(found.contains { $0.hasPrefix("wf.yaml:2:10: 'timeout'") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("wf.yaml:6:13: step 'build' needs 'report', a finally step") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("wf.yaml:8:3: 'build' is both a step and a finally step") }, "\(found)")
    }

    @Test(arguments: [
        ("stop", "exit 0", "succeeded", RunOutcome.succeeded),
        ("stop", "exit 3", "failed", RunOutcome.failed),
        ("wait", "exit 3", "failed", RunOutcome.waitingForOperator),
    ])
    func finallyRunsAfterSuccessAndFailureAndKeepsTheOutcome(onFailure: String, command: String, reported: String, outcome: RunOutcome) async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (state, seen) = try await run("""
            name: f
            on_failure: \(onFailure)
            steps:
              build:
                run: \(command)
              ship:
                needs: [build]
                run: "true"
            finally:
              report:
                run: echo "$BATON_RUN_OUTCOME" > \(directory)/outcome
            """, in: directory)
        #expect(seen == reported)
        #expect(state["report"]?.state == .succeeded)
        #expect(state.outcome == outcome)
    }

    @Test func aCancelledRunStillRunsItsFinallySteps() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (state, seen) = try await run("""
            name: f
            steps:
              long:
                run: sleep 30
              after:
                needs: [long]
                run: "true"
            finally:
              report:
                run: echo "$BATON_RUN_OUTCOME" > \(directory)/outcome
            """, in: directory) { engine in
            try await EngineTestSupport.waitFor(engine) { $0["long"]?.state == .running }
            #expect(await engine.cancelRun(by: "alice").isAccepted)
        }
        #expect(seen == "cancelled")
        #expect(state["long"]?.state == .cancelled && state["after"]?.state == .cancelled)
        #expect(state.outcome == .cancelled)
    }

    @Test func aRolledBackRunRunsItsFinallyStepsAfterTheRollback() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (state, seen) = try await run("""
            name: f
            on_failure: rollback
            steps:
              migrate:
                run: "true"
                rollback: echo undone > \(directory)/undone
              deploy:
                needs: [migrate]
                run: exit 1
            finally:
              report:
                run: test -f \(directory)/undone && echo "$BATON_RUN_OUTCOME" > \(directory)/outcome
            """, in: directory)
        #expect(state["migrate"]?.state == .rolledBack)
        #expect(seen == "failed", "the report ran after the rollback, and saw how the run ends")
        #expect(state["report"]?.state == .succeeded)
    }

    @Test func theDeadlineStopsTheRunAndItsFinallyStepsStillRun() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = ManualClock()
        let (state, seen) = try await run("""
            name: f
            timeout: 1m
            steps:
              slow:
                run: sleep 30
              next:
                needs: [slow]
                run: "true"
            finally:
              report:
                run: echo "$BATON_RUN_OUTCOME" > \(directory)/outcome
            """, in: directory, clock: clock) { engine in
            try await EngineTestSupport.waitFor(engine) { $0["slow"]?.state == .running }
            try await clock.waitForSleepers(1)
            #expect(clock.pendingWaits == [.seconds(60)])
            clock.advance(by: .seconds(60))
        }
        #expect(state["slow"]?.state == .cancelled)
        #expect(state["next"]?.state == .blocked, "what needed the stopped step does not run")
        #expect(seen == "failed")
        #expect(state.outcome == .failed)
        #expect(state.haltReason?.hasPrefix("deadline: the run took longer than its timeout of 1m") == true, "\(state.haltReason ?? "")")
    }

    @Test func aFinallyStepsConditionReadsTheRunsOutcome() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (state, _) = try await run("""
            name: f
            on_failure: stop
            steps:
              build:
                run: exit 1
            finally:
              page:
                when: run.outcome == 'failed'
                run: "true"
              celebrate:
                when: run.outcome == 'succeeded'
                run: "true"
            """, in: directory)
        #expect(state["page"]?.state == .succeeded)
        #expect(state["celebrate"]?.state == .skipped)
        #expect(state.outcome == .failed)
    }
}
