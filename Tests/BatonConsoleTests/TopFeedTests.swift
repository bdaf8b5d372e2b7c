import BatonEngine
import BatonTestSupport
import Foundation
import Synchronization
import Testing
@testable import BatonConsole

/// `TopFeed` on real folders: it reads the recorded runs, then posts what changes — a new run,
/// an event, a host that starts and stops, a run deleted — as inotify reports it.
@Suite(.serialized, .timeLimit(.minutes(1))) struct TopFeedTests {
    /// What a feed posted, folded as the screen folds it.
    final class Screen: Sendable {
        let state = Mutex(TopState(user: "me", stateDirectory: "", width: 200, height: 60, now: 0))

        func take(_ messages: [TopMessage]) {
            state.withLock { state in
                for message in messages { _ = TopUpdate.update(&state, message) }
            }
        }

        /// Waits until `condition` holds for what was posted (half a minute at most: a busy machine runs the whole suite beside it).
        func waitFor(_ what: String, _ condition: (TopState) -> Bool) async throws {
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                if state.withLock({ condition($0) }) { return }
                try await Task.sleep(for: .milliseconds(20))
            }
            let runs = state.withLock { $0.runs.map { "\($0.id) \($0.stateWords) live=\($0.isLive)" } }
            Issue.record("timed out waiting for \(what); the runs: \(runs)")
        }

        func run(_ id: String) -> TopRun? { state.withLock { $0.runs.first { $0.id == id } } }
    }

    private func scratch() -> StateDirectory {
        StateDirectory(path: NSTemporaryDirectory() + "baton-topfeed-\(UUID().uuidString.prefix(8))")
    }

    @Test func theFeedReadsTheRunsThenFollowsNewRunsEventsHostsAndRemovals() async throws {
        let state = scratch()
        defer { try? FileManager.default.removeItem(atPath: state.path) }
        let finished = "20270101-080000-aaaa"
        try JournalBuilder(runID: finished).runStarted(steps: ["a"]).succeeded("a").finished(.succeeded)
            .write(to: state.runDirectory(finished), workflowText: "name: built\nsteps:\n  a:\n    run: \"true\"\n")
        let damaged = "20270101-080100-bbbb"
        try JournalBuilder(runID: damaged).runStarted(steps: ["a"])
            .write(to: state.runDirectory(damaged), workflowText: "name: built\n", tail: Array("garbage\n".utf8))

        let feed = try TopFeed(stateDirectory: state, user: "me")
        let screen = Screen()
        feed.start { screen.take($0) }
        defer { feed.stop() }
        try await screen.waitFor("the recorded runs") { $0.loaded && $0.runs.count == 2 }
        #expect(screen.run(finished)?.stateWords == "succeeded")
        #expect(screen.run(damaged)?.problem == "journal line 2 is not a valid event")

        // A run starts, with a gate that waits on "me", served by a host.
        let started = "20270101-090000-cccc"
        let directory = state.runDirectory(started)
        let workflow = "name: gated\nsteps:\n  build:\n    run: \"true\"\n  ship:\n    approval:\n      approvers: [me]\n    needs: [build]\n"
        let journal = JournalBuilder(runID: started, workflow: "gated").runStarted(steps: ["build", "ship"]).succeeded("build")
        try journal.write(to: directory, workflowText: workflow)
        try await screen.waitFor("the new run") { $0.runs.contains { $0.id == started } }
        #expect(screen.run(started)?.isLive == false)

        let host = try RunHost(path: directory.hostSocketPath, runID: started, perform: { _, _ in .accepted("ok") }, status: { ("running", []) })
        try await screen.waitFor("the run to be live") { $0.runs.first { $0.id == started }?.isLive == true }

        // Its gate opens: it waits on me, and comes first.
        let handle = try #require(FileHandle(forWritingAtPath: directory.eventsPath))
        handle.seekToEndOfFile()
        handle.write(Data(journal.step("ship", .waiting).events.last!.jsonLine() + [0x0A]))
        try await screen.waitFor("the gate waiting on me") { $0.runs.first?.id == started && $0.runs.first?.waitsOnMe == true }
        #expect(screen.run(started)?.waitingText == "approval of 'ship': you may decide")

        // Its Baton ends: the host stops and the journal is closed.
        host.stop()
        handle.closeFile()
        try await screen.waitFor("the run to be no longer live") { $0.runs.first { $0.id == started }?.isLive == false }
        #expect(screen.run(started)?.stateWords == "stopped unexpectedly")

        // A run directory deleted while watched.
        try FileManager.default.removeItem(atPath: state.runDirectory(finished).path)
        try await screen.waitFor("the deleted run to go") { !$0.runs.contains { $0.id == finished } }
    }

    @Test func aRunWhoseStepsRanOnHostsCountsThem() async throws {
        let state = scratch()
        defer { try? FileManager.default.removeItem(atPath: state.path) }
        let workflow = "name: fleet\nhosts: {web1: web1, web2: web2}\ngroups: {web: [web1, web2]}\nsteps:\n  restart:\n    on: web\n    run: ./restart\n"
        let id = "20270101-120000-aaaa"
        var running = RunEvent.step("restart[web1]", .running, attempt: 1)
        running.handle = "web1:/tmp/baton.00ff"
        var failed = RunEvent.step("restart[web2]", .running, attempt: 1)
        failed.handle = "web2:/tmp/baton.ff00"
        try JournalBuilder(runID: id, workflow: "fleet").runStarted(steps: ["restart[web1]", "restart[web2]"])
            .appending(running).appending(failed).step("restart[web2]", .failed, exitCode: 1)
            .write(to: state.runDirectory(id), workflowText: workflow)
        let local = "20270101-120100-bbbb"
        try JournalBuilder(runID: local).runStarted(steps: ["a"]).succeeded("a")
            .write(to: state.runDirectory(local), workflowText: "name: built\nsteps:\n  a:\n    run: \"true\"\n")

        let feed = try TopFeed(stateDirectory: state, user: "me")
        let screen = Screen()
        feed.start { screen.take($0) }
        defer { feed.stop() }
        try await screen.waitFor("both runs") { $0.loaded && $0.runs.count == 2 }
        let remote = try #require(screen.run(id))
        #expect(remote.hosts == 2 && remote.activeHosts == 1 && remote.failedHosts == 1)
        #expect(screen.run(local)?.hosts == 0, "a run whose attempts have no handle is on no host")
    }

    @Test func aGateThatNamesNoApproversWaitsOnlyOnTheRunsOperators() async throws {
        let state = scratch()
        defer { try? FileManager.default.removeItem(atPath: state.path) }
        let workflow = "name: open-gate\nsteps:\n  ship:\n    approval:\n      prompt: Go?\n"
        // Started by someone else, in a folder of a group "me" is not in: not mine to decide.
        let theirs = "20270101-110000-aaaa"
        try JournalBuilder(runID: theirs, user: "someone-else").runStarted(steps: ["ship"]).step("ship", .waiting)
            .write(to: state.runDirectory(theirs), workflowText: workflow)
        // Started by "me": the starter is an operator.
        let mine = "20270101-110100-bbbb"
        try JournalBuilder(runID: mine, user: "me").runStarted(steps: ["ship"]).step("ship", .waiting)
            .write(to: state.runDirectory(mine), workflowText: workflow)
        var hosts: [RunHost] = []
        for id in [theirs, mine] {
            hosts.append(try RunHost(path: state.runDirectory(id).hostSocketPath, runID: id, perform: { _, _ in .accepted("ok") }, status: { ("running", []) }))
        }
        defer { for host in hosts { host.stop() } }

        let feed = try TopFeed(stateDirectory: state, user: "me")
        let screen = Screen()
        feed.start { screen.take($0) }
        defer { feed.stop() }
        try await screen.waitFor("both runs live") { $0.runs.count == 2 && $0.runs.allSatisfy(\.isLive) }
        #expect(screen.run(mine)?.waitsOnMe == true)
        #expect(screen.run(theirs)?.waitsOnMe == false)
        #expect(screen.run(theirs)?.waitingText == "approval of 'ship' by any operator")
    }

    @Test func aStateDirectoryMadeAfterTheFeedStartedIsFollowedOnceItExists() async throws {
        let state = scratch()
        defer { try? FileManager.default.removeItem(atPath: state.path) }
        let feed = try TopFeed(stateDirectory: state, user: "me")
        let screen = Screen()
        feed.start { screen.take($0) }
        defer { feed.stop() }
        try await screen.waitFor("the notice") { $0.loaded && $0.watchNotice?.hasPrefix("no runs folder at") == true }

        let id = "20270101-100000-dddd"
        try JournalBuilder(runID: id).runStarted(steps: ["a"]).write(to: state.runDirectory(id), workflowText: "name: built\n")
        try await screen.waitFor("the first run") { $0.runs.contains { $0.id == id } && $0.watchNotice == nil }

        // The whole state directory goes, and comes back.
        try FileManager.default.removeItem(atPath: state.path)
        try await screen.waitFor("the runs to go") { $0.runs.isEmpty && $0.watchNotice != nil }
        try JournalBuilder(runID: id).runStarted(steps: ["a"]).write(to: state.runDirectory(id), workflowText: "name: built\n")
        try await screen.waitFor("the run to be back") { $0.runs.contains { $0.id == id } }
    }
}
