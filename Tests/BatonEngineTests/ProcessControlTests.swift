import BatonTestSupport
import Foundation
import Testing
@testable import BatonEngine

@Suite struct ProcessControlTests {
    typealias S = EngineTestSupport

    /// Reads the process-group id a step wrote (its shell is the group leader), waiting as
    /// long as the suite's other waits do: a loaded machine can starve the test for seconds.
    private func groupID(at path: String) async throws -> pid_t {
        let deadline = ContinuousClock.now + .seconds(45)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
               let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return pid
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestTimeout()
    }

    /// True once no live (non-zombie) process of the group is left, waiting up to half a minute
    /// for the kernel to finish delivering the signals (it answers as soon as they are gone).
    private func groupIsGone(_ group: pid_t) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if ProcessTable.liveMembers(ofGroup: group).isEmpty { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    @Test func cancelLeavesNoProcessOfTheGroup() async throws {
        let pidFile = S.temporaryDirectory() + "/pid"
        let engine = try await S.startedEngine([
            S.shell("stubborn", "echo $$ > '\(pidFile)'; trap '' TERM; sleep 60 & sleep 60 & wait"),
        ])
        let group = try await groupID(at: pidFile)
        #expect(!ProcessTable.liveMembers(ofGroup: group).isEmpty)
        #expect(await engine.cancel("stubborn", by: "tester").isAccepted)
        #expect(try await S.settle(engine) == .needsOperator(["'stubborn' was cancelled"]))
        #expect(await engine.state["stubborn"]?.reason == "cancelled by tester")
        // The shell ignores SIGTERM, so SIGKILL after the grace period must have taken the whole group.
        #expect(await groupIsGone(group))
    }

    @Test func cancelRunStopsEveryGroup() async throws {
        let directory = S.temporaryDirectory()
        let engine = try await S.startedEngine([
            S.shell("one", "echo $$ > '\(directory)/one'; sleep 60"),
            S.shell("two", "echo $$ > '\(directory)/two'; sleep 60 & wait"),
            S.shell("three", "true", needs: ["one"]),
        ])
        let first = try await groupID(at: directory + "/one")
        let second = try await groupID(at: directory + "/two")
        #expect(await engine.cancelRun(by: "tester", outcome: .interrupted).isAccepted)
        #expect(try await S.settle(engine) == .finished(.interrupted))
        #expect(await groupIsGone(first))
        #expect(await groupIsGone(second))
        // An interrupted run is meant to be resumed: what ran is interrupted, what waited waits on.
        let state = await engine.state
        #expect(state["one"]?.state == .interrupted)
        #expect(state["two"]?.state == .interrupted)
        #expect(state["three"]?.state == .pending)
    }

    @Test func suspendStopsTheGroupAndResumeLetsItFinish() async throws {
        let directory = S.temporaryDirectory()
        let engine = try await S.startedEngine([
            // Ticks until the test says stop, so that a loaded machine cannot end it before the suspend.
            S.shell("ticker", "echo $$ > '\(directory)/pid'; while [ ! -f '\(directory)/stop' ]; do echo tick >> '\(directory)/ticks'; sleep 0.05; done"),
        ])
        let group = try await groupID(at: directory + "/pid")
        #expect(await engine.suspend("ticker", by: "tester").isAccepted)
        #expect(await engine.state["ticker"]?.state == .suspended)
        // Stopped: every process of the group is stopped (T), or waits uninterruptibly (D) on
        // one that is. dash starts a command with vfork, and the shell waits in D until the
        // stopped child runs its program; a process mid-way through a disk read (D) takes the
        // stop once the read is done.
        func isStopped(_ states: [String]) -> Bool { states.contains("T") && states.allSatisfy { $0 == "T" || $0 == "D" } }
        var states: [String] = []
        let deadline = ContinuousClock.now + .seconds(30)
        repeat {
            try await Task.sleep(for: .milliseconds(50))
            states = ProcessTable.states(ofGroup: group)
        } while !isStopped(states) && ContinuousClock.now < deadline
        #expect(isStopped(states), "the step's processes should be stopped: \(states)")
        let before = (try? String(contentsOfFile: directory + "/ticks", encoding: .utf8)) ?? ""
        try await Task.sleep(for: .milliseconds(400))
        let during = (try? String(contentsOfFile: directory + "/ticks", encoding: .utf8)) ?? ""
        #expect(before == during, "no tick may be written while suspended")
        #expect(await engine.resumeStep("ticker", by: "tester").isAccepted)
        // Resumed, it ticks again; then it is told to stop and ends by itself.
        let resumed = ContinuousClock.now + .seconds(10)
        while ((try? String(contentsOfFile: directory + "/ticks", encoding: .utf8)) ?? "") == during && ContinuousClock.now < resumed {
            try await Task.sleep(for: .milliseconds(20))
        }
        let after = (try? String(contentsOfFile: directory + "/ticks", encoding: .utf8)) ?? ""
        #expect(after.count > during.count, "the resumed step ticks again")
        _ = FileManager.default.createFile(atPath: directory + "/stop", contents: nil)
        #expect(try await S.settle(engine) == .finished(.succeeded))
    }

    @Test func aTimeoutStopsTheStepAndCountsAsAFailure() async throws {
        let clock = ManualClock()
        let engine = try await S.startedEngine([S.shell("slow", "sleep 30", timeout: .seconds(10))], clock: clock)
        try await clock.waitForSleepers(1)
        #expect(clock.pendingWaits == [.seconds(10)])
        clock.advance(by: .milliseconds(9_999))
        #expect(await engine.state["slow"]?.state == .running)
        clock.advance(by: .milliseconds(1))
        let settlement = try await S.settle(engine)
        #expect(settlement == .needsOperator(["'slow' failed: timed out after 10s"]))
        #expect(await engine.state["slow"]?.state == .failed)
    }

    @Test func aTimedOutStepThatIgnoresSIGTERMIsKilledWhenTheGracePeriodEnds() async throws {
        let clock = ManualClock()
        let pidFile = S.temporaryDirectory() + "/pid"
        let engine = try await S.startedEngine([
            S.shell("stubborn", "trap '' TERM; echo $$ > '\(pidFile)'; sleep 30 & wait", timeout: .seconds(10)),
        ], clock: clock)
        let group = try await groupID(at: pidFile)
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(10))
        // SIGTERM went out and was ignored; SIGKILL waits for the grace period (500 ms) on the clock.
        try await clock.waitForSleepers(1)
        #expect(clock.pendingWaits == [.milliseconds(500)])
        #expect(await engine.state["stubborn"]?.state == .running)
        #expect(!ProcessTable.liveMembers(ofGroup: group).isEmpty)
        clock.advance(by: .milliseconds(500))
        #expect(try await S.settle(engine) == .needsOperator(["'stubborn' failed: timed out after 10s"]))
        #expect(await groupIsGone(group))
    }

    @Test func aMissingWorkingDirectoryFailsWithAReason() async throws {
        let step = Step(id: "lost", run: "true", dir: "/no/such/place")
        let engine = try await S.startedEngine([step])
        _ = try await S.settle(engine)
        let record = await engine.state["lost"]
        #expect(record?.state == .failed)
        #expect(record?.reason?.contains("/no/such/place") == true)
    }
}
