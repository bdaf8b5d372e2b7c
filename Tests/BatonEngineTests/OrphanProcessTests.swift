import BatonTestSupport
import Foundation
import Testing
@testable import BatonEngine

/// Stops steps whose process trees try to survive, and counts what is left of them.
///
/// Every process a step starts inherits the workflow's `env:`, which holds a variable unique
/// to the test; the test counts the live processes whose `/proc/<pid>/environ` holds it —
/// before stopping (all of the tree, so the count can fail) and after (none).
@Suite struct OrphanProcessTests {
    typealias S = EngineTestSupport

    /// A variable unique to one test, as a name, a value and the `name=value` entry.
    private struct Marker {
        let name = "BATON_ORPHAN_TEST"
        let value = UUID().uuidString
        var entry: String { "\(name)=\(value)" }
        var env: [String: String] { [name: value] }
    }

    @Test(arguments: StubbornProcessTree.allCases)
    func cancellingAStepLeavesNoProcessOfItsTree(_ tree: StubbornProcessTree) async throws {
        let marker = Marker()
        defer { ProcessTable.killAll(carrying: marker.entry) }
        let engine = try await S.startedEngine([S.shell("stubborn", tree.command)], env: marker.env)
        let before = await ProcessTable.count(carrying: marker.entry, within: .seconds(45)) { $0 >= tree.processCount }
        #expect(before == tree.processCount)
        #expect(await engine.cancel("stubborn", by: "tester").isAccepted)
        #expect(try await S.settle(engine) == .needsOperator(["'stubborn' was cancelled"]))
        let after = await ProcessTable.count(carrying: marker.entry, within: .seconds(15)) { $0 == 0 }
        #expect(after == 0, "\(after) of the \(before) processes outlived the cancel")
    }

    @Test(arguments: StubbornProcessTree.allCases)
    func aTimeoutLeavesNoProcessOfItsTree(_ tree: StubbornProcessTree) async throws {
        let marker = Marker()
        defer { ProcessTable.killAll(carrying: marker.entry) }
        let engine = try await S.startedEngine(
            [S.shell("slow", tree.command, timeout: .seconds(10))], env: marker.env)
        // The timeout leaves a loaded machine time to start the whole tree first: with 5 s, one
        // run of the full suite, on a machine busy with more than it, counted 8 of 9.
        let before = await ProcessTable.count(carrying: marker.entry, within: .milliseconds(9500)) { $0 >= tree.processCount }
        #expect(before == tree.processCount, "the tree should be complete well before the timeout")
        #expect(try await S.settle(engine) == .needsOperator(["'slow' failed: timed out after 10s"]))
        let after = await ProcessTable.count(carrying: marker.entry, within: .seconds(15)) { $0 == 0 }
        #expect(after == 0, "\(after) of the \(before) processes outlived the timeout")
    }

    /// Interrupting or cancelling the run also stops what steps that already finished left
    /// running in the background, in their group or out of it.
    @Test(arguments: [RunOutcome.interrupted, .cancelled])
    func stoppingTheRunLeavesNoProcessOfAnyStep(_ outcome: RunOutcome) async throws {
        let marker = Marker()
        defer { ProcessTable.killAll(carrying: marker.entry) }
        let engine = try await S.startedEngine([
            S.shell("daemon", "sleep 300 & setsid sleep 300 & echo started"),
            S.shell("stubborn", StubbornProcessTree.shellIgnoresTerm.command),
        ], env: marker.env)
        try await S.waitFor(engine) { $0["daemon"]?.state == .succeeded }
        let expected = 2 + StubbornProcessTree.shellIgnoresTerm.processCount
        let before = await ProcessTable.count(carrying: marker.entry, within: .seconds(45)) { $0 >= expected }
        #expect(before == expected)
        #expect(await engine.cancelRun(by: "tester", outcome: outcome).isAccepted)
        #expect(try await S.settle(engine) == .finished(outcome))
        #expect(await engine.waitUntilFinished() == outcome)
        let after = await ProcessTable.count(carrying: marker.entry, within: .seconds(15)) { $0 == 0 }
        #expect(after == 0, "\(after) of the \(before) processes outlived the run")
    }

    /// A run that ends by itself leaves a step's background processes alone, as a shell
    /// script would: only a run that was stopped sweeps them.
    @Test func aRunThatSucceedsLeavesBackgroundProcessesRunning() async throws {
        let marker = Marker()
        defer { ProcessTable.killAll(carrying: marker.entry) }
        let engine = try await S.startedEngine([S.shell("daemon", "sleep 300 & echo started")], env: marker.env)
        #expect(try await S.settle(engine) == .finished(.succeeded))
        #expect(await engine.waitUntilFinished() == .succeeded)
        #expect(ProcessTable.live(carrying: marker.entry).count == 1)
    }
}
