import BatonTestSupport
import Testing
@testable import BatonEngine

/// The fold keeps a step's time as the running time of its attempts, its rollback's time and
/// exit codes apart, what asked for its next attempt, and when the run was last heard of.
///
/// `JournalBuilder` stamps its events a quarter second apart, from `start`.
@Suite struct StepTimesTests {
    let start = 1_800_000_000.0

    @Test func aRollbackNeitherLengthensTheStepNorCountsAsAnAttempt() throws {
        let state = try JournalBuilder()
            .runStarted(steps: ["db", "undone"])
            .step("db", .running)                                  // 0.25
            .step("db", .succeeded, exitCode: 0)                   // 0.5
            .step("undone", .running)                              // 0.75
            .step("undone", .succeeded, exitCode: 0)               // 1.0
            .rollbackPlanned(["db", "undone"])                     // 1.25
            .step("db", .rollingBack)                              // 1.5
            .step("db", .rolledBack, exitCode: 0)                  // 1.75
            .step("undone", .rollingBack)                          // 2.0
            .step("undone", .rollbackFailed, exitCode: 2)          // 2.25
            .state()
        let db = try #require(state["db"])
        #expect(db.runTime(at: start + 100) == 0.25)
        #expect(db.finishedAt == start + 0.5, "the step ended when it succeeded, not when its rollback did")
        #expect(db.rollbackTime(at: start + 100) == 0.25)
        #expect(db.exitCodes == [0] && db.rollbackExitCodes == [0])
        let undone = try #require(state["undone"])
        #expect(undone.exitCodes == [0] && undone.rollbackExitCodes == [2])
        #expect(undone.rollbackFinishedAt == start + 2.25)
        #expect(undone.runTime(at: start + 100) == 0.25)
    }

    @Test func aSuspensionIsNotRunningTime() throws {
        let state = try JournalBuilder()
            .runStarted(steps: ["a"])
            .step("a", .running)            // 0.25
            .step("a", .suspended)          // 0.5
            .paused()                       // 0.75
            .resumed()                      // 1.0
            .step("a", .running)            // 1.25, the same attempt goes on
            .step("a", .succeeded, exitCode: 0)  // 1.5
            .state()
        let a = try #require(state["a"])
        #expect(a.attempt == 1)
        #expect(a.runTime(at: start + 100) == 0.5)
        #expect(a.attemptTime(at: start + 100) == 0.5)
    }

    @Test func everyAttemptCountsAndTheLatestIsTimedAlone() throws {
        let builder = JournalBuilder()
            .runStarted(steps: ["a"])
            .step("a", .running)                                        // 0.25
            .step("a", .retrying, exitCode: 1)                          // 0.5
            .step("a", .running)                                        // 0.75
            .step("a", .failed, exitCode: 1)                            // 1.0
            .command("retry", step: "a", by: "alice")                   // 1.25
            .step("a", .pending, reason: "retry requested by alice")    // 1.5
            .step("a", .running)                                        // 1.75
        let running = try #require(try builder.state()["a"])
        // Still running: the ongoing stretch counts up to now.
        #expect(running.runTime(at: start + 2.0) == 0.75)
        #expect(running.attemptTime(at: start + 2.0) == 0.25)
        #expect(running.pendingReason == "retry requested by alice")
        #expect(running.attempt == 3 && running.attemptBase == 2 && running.attemptInSeries == 1)

        let done = try #require(try builder.step("a", .succeeded, exitCode: 0).state()["a"])  // 2.0
        #expect(done.runTime(at: start + 100) == 0.75)
        #expect(done.attemptTime(at: start + 100) == 0.25)
        #expect(done.exitCodes == [1, 1, 0])
    }

    @Test func theRunKnowsWhenItWasLastHeardOf() throws {
        let builder = JournalBuilder().runStarted(steps: ["a"]).step("a", .running)
        #expect(try builder.state().lastEventAt == start + 0.25)
        #expect(try builder.paused().state().lastEventAt == start + 0.5)
        #expect(try JournalBuilder().runStarted(steps: []).finished(.succeeded).state().lastEventAt == start + 0.25)
    }
}
