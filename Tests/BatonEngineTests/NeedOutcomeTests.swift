import BatonTestSupport
import Testing
@testable import BatonEngine

/// The table in docs/workflow-format.md ("How a need's end reaches a step"): for each way a
/// needed step can end, what the scheduler does with a step without a state function, and with
/// `when: always()`, `success()` and `failure()`.
@Suite struct NeedOutcomeTests {
    /// One row: how the need ended, and the decision for each dependent.
    struct Row: Sendable, CustomTestStringConvertible {
        var need: String
        /// Builds the journal up to the need's end; the root step is upstream of the need.
        var journal: @Sendable (JournalBuilder) -> JournalBuilder
        var continueOnError = false
        /// For `plain`, `always`, `success` and `failure`, in that order.
        var expected: [String]
        var testDescription: String { need }
    }

    static let blockedByFailure = "block: upstream 'need' failed"

    static let rows: [Row] = [
        Row(need: "succeeded", journal: { $0.succeeded("root").succeeded("need") },
            expected: ["start", "start", "start", "skip"]),
        Row(need: "skipped by its condition", journal: { $0.succeeded("root").step("need", .skipped, reason: "condition is false: x") },
            expected: ["start", "start", "start", "skip"]),
        Row(need: "failed with continue_on_error", journal: { $0.succeeded("root").step("need", .running).step("need", .failed, exitCode: 1) },
            continueOnError: true, expected: ["start", "start", "start", "skip"]),
        Row(need: "failed", journal: { $0.succeeded("root").step("need", .running).step("need", .failed, exitCode: 1) },
            expected: [blockedByFailure, "start", blockedByFailure + ", and the condition is false: success()", "start"]),
        Row(need: "cancelled", journal: { $0.succeeded("root").step("need", .cancelled) },
            expected: [
                "block: upstream 'need' was cancelled", "start",
                "block: upstream 'need' was cancelled, and the condition is false: success()",
                "block: upstream 'need' was cancelled, and the condition is false: failure()",
            ]),
        Row(need: "blocked by a failure further up",
            journal: { $0.step("root", .running).step("root", .failed, exitCode: 1).step("need", .blocked, reason: "upstream 'root' failed") },
            expected: [
                "block: upstream 'need' is blocked", "start",
                "block: upstream 'need' is blocked, and the condition is false: success()", "start",
            ]),
        Row(need: "rolled back", journal: { $0.succeeded("root").succeeded("need").step("need", .rollingBack).step("need", .rolledBack) },
            expected: [
                "block: upstream 'need' was rolled back", "start",
                "block: upstream 'need' was rolled back, and the condition is false: success()",
                "block: upstream 'need' was rolled back, and the condition is false: failure()",
            ]),
        Row(need: "still running", journal: { $0.succeeded("root").step("need", .running) },
            expected: ["wait", "wait", "wait", "wait"]),
        Row(need: "interrupted", journal: { $0.succeeded("root").step("need", .running).step("need", .interrupted) },
            expected: ["wait", "wait", "wait", "wait"]),
    ]

    @Test(arguments: rows)
    func decisionForEachDependent(_ row: Row) throws {
        func when(_ source: String) throws -> Condition { try ConditionParser.parse(source) }
        let workflow = Workflow(name: "w", steps: [
            Step(id: "root", run: "true"),
            Step(id: "need", run: "true", needs: ["root"], continueOnError: row.continueOnError),
            Step(id: "plain", run: "true", needs: ["need"]),
            Step(id: "always", run: "true", needs: ["need"], when: try when("always()")),
            Step(id: "success", run: "true", needs: ["need"], when: try when("success()")),
            Step(id: "failure", run: "true", needs: ["need"], when: try when("failure()")),
        ])
        let state = try row.journal(JournalBuilder().runStarted(steps: workflow.stepIDs)).state()
        let decisions = Plan(workflow: workflow).findWork(in: state, capacity: 10)
        let found = (2...5).map { index in
            for decision in decisions {
                switch decision {
                case .start(index): return "start"
                case .skip(index, _): return "skip"
                case .block(index, let reason): return "block: \(reason)"
                case .fail(index, let reason): return "fail: \(reason)"
                default: continue
                }
            }
            return "wait"
        }
        #expect(found == row.expected)
    }

    @Test func aSkippedNeedLetsAStepWithoutAStateFunctionRunAndItsWhenIsStillAsked() throws {
        // Baton keeps its rule that a skipped need counts as done; GitHub Actions would skip
        // `deploy` here. `deploy`'s own condition still decides.
        let workflow = Workflow(name: "w", steps: [
            Step(id: "migrate", run: "true", when: try ConditionParser.parse("false")),
            Step(id: "deploy", run: "true", needs: ["migrate"], when: try ConditionParser.parse("steps.migrate.state == 'skipped'")),
            Step(id: "verify", run: "true", needs: ["migrate"], when: try ConditionParser.parse("steps.migrate.state == 'succeeded'")),
        ])
        let state = try JournalBuilder().runStarted(steps: workflow.stepIDs).step("migrate", .skipped, reason: "condition is false: false").state()
        #expect(Plan(workflow: workflow).findWork(in: state, capacity: 10) == [
            .start(step: 1), .skip(step: 2, reason: "condition is false: steps.migrate.state == 'succeeded'"),
        ])
    }

    @Test func whileTheRunHaltsOnlyStepsWithAStateFunctionMayStart() throws {
        let workflow = Workflow(name: "w", onFailure: .stop, steps: [
            Step(id: "a", run: "false"),
            Step(id: "independent", run: "true"),
            Step(id: "on-success", run: "true", when: try ConditionParser.parse("success()")),
            Step(id: "report", run: "true", needs: ["a"], when: try ConditionParser.parse("always()")),
        ])
        let plan = Plan(workflow: workflow)
        let failed = JournalBuilder().runStarted(steps: workflow.stepIDs).step("a", .running).step("a", .failed, exitCode: 1)
        let stopping = try failed.halted("'a' failed; on_failure: stop starts nothing new", outcome: .failed).state()
        #expect(plan.stateFunctionStepsMayStart(in: stopping))
        // success() is false in a halted run, so a step asking for it is skipped, not started.
        #expect(plan.findWork(in: stopping, capacity: 10) == [
            .skip(step: 2, reason: "condition is false: success()"), .start(step: 3),
        ])
        let interrupted = try failed.halted("interrupted by tester", outcome: .interrupted).state()
        #expect(!plan.stateFunctionStepsMayStart(in: interrupted))
        let rollingBack = try failed.halted("'a' failed; on_failure: rollback", outcome: .failed, compensate: true).state()
        #expect(!plan.stateFunctionStepsMayStart(in: rollingBack))
        let cancelled = try failed.halted("run cancelled by tester", outcome: .cancelled).state()
        #expect(plan.stateFunctionStepsMayStart(in: cancelled))
        #expect(try !plan.stateFunctionStepsMayStart(in: failed.paused().state()))
    }
}
