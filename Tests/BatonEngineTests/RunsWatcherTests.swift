import BatonTestSupport
import Foundation
import Testing
@testable import BatonEngine

/// `RunsWatcher` sees, through inotify on real folders, new run directories, appends to their
/// journals, hosts' sockets and removals, and what to look at again when its folder moves.
@Suite(.timeLimit(.minutes(1))) struct RunsWatcherTests {
    private func scratch() -> StateDirectory {
        StateDirectory(path: NSTemporaryDirectory() + "baton-watch-\(UUID().uuidString.prefix(8))")
    }

    /// Waits (20 seconds at most) until the watcher's descriptor is readable, then drains it;
    /// repeats until `done` says the changes gathered so far are complete.
    private func changes(of watcher: RunsWatcher, until done: (RunsChanges) -> Bool) -> RunsChanges {
        var gathered = RunsChanges()
        let deadline = ContinuousClock.now + .seconds(20)
        while !done(gathered) && ContinuousClock.now < deadline {
            var entry = pollfd(fd: watcher.descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 1000) > 0 else { continue }
            let next = watcher.drain()
            gathered.rescan = gathered.rescan || next.rescan
            gathered.added.formUnion(next.added)
            gathered.removed.formUnion(next.removed)
            gathered.journals.formUnion(next.journals)
            gathered.hosts.formUnion(next.hosts)
        }
        return gathered
    }

    @Test func aNewRunDirectoryAndAnAppendToItsJournalAreSeen() throws {
        let state = scratch()
        defer { try? FileManager.default.removeItem(atPath: state.path) }
        let old = JournalBuilder(runID: "20270101-000000-aaaa").runStarted(steps: ["a"]).succeeded("a").finished(.succeeded)
        try old.write(to: state.runDirectory("20270101-000000-aaaa"), workflowText: "name: built\n")
        let watcher = try RunsWatcher(stateDirectory: state)
        #expect(watcher.rescan() == ["20270101-000000-aaaa"])
        #expect(watcher.watchesRunsFolder)
        #expect(watcher.drain().isEmpty)

        // A run starts: its directory, then its journal.
        let new = JournalBuilder(runID: "20270101-000100-bbbb").runStarted(steps: ["a", "b"]).step("a", .running)
        try new.write(to: state.runDirectory("20270101-000100-bbbb"), workflowText: "name: built\n")
        let started = changes(of: watcher) { $0.added.contains("20270101-000100-bbbb") }
        #expect(started.added == ["20270101-000100-bbbb"])
        #expect(!started.rescan)

        // It records an event.
        let id = "20270101-000100-bbbb"
        let handle = try #require(FileHandle(forWritingAtPath: state.runDirectory(id).eventsPath))
        handle.seekToEndOfFile()
        handle.write(Data(new.step("a", .succeeded, exitCode: 0).events.last!.jsonLine() + [0x0A]))
        #expect(changes(of: watcher) { $0.journals.contains(id) }.journals == [id])
        // Closing a journal written to may mean its Baton ended: liveness is to be looked at again.
        handle.closeFile()
        #expect(changes(of: watcher) { $0.hosts.contains(id) }.hosts == [id])
    }

    @Test func aHostSocketComingAndGoingAndARemovedRunAreSeen() throws {
        let state = scratch()
        defer { try? FileManager.default.removeItem(atPath: state.path) }
        let id = "20270101-000000-cccc"
        try JournalBuilder(runID: id).runStarted(steps: ["a"]).write(to: state.runDirectory(id), workflowText: "name: built\n")
        let watcher = try RunsWatcher(stateDirectory: state)
        _ = watcher.rescan()

        let host = try RunHost(
            path: state.runDirectory(id).hostSocketPath, runID: id, perform: { _, _ in .accepted("ok") }, status: { ("running", []) })
        #expect(changes(of: watcher) { $0.hosts.contains(id) }.hosts == [id])
        #expect(RunHost.presence(at: state.runDirectory(id).hostSocketPath) == .serving)
        host.stop()
        #expect(changes(of: watcher) { $0.hosts.contains(id) }.hosts == [id])
        #expect(RunHost.presence(at: state.runDirectory(id).hostSocketPath) == .absent)

        try FileManager.default.removeItem(atPath: state.runDirectory(id).path)
        #expect(changes(of: watcher) { $0.removed.contains(id) }.removed == [id])
    }

    @Test func aRunsFolderMadeLaterOrDeletedWhileWatchedAsksForARescan() throws {
        let state = scratch()
        defer { try? FileManager.default.removeItem(atPath: state.path) }
        // Neither the state directory nor its runs folder exist yet.
        let watcher = try RunsWatcher(stateDirectory: state)
        #expect(watcher.rescan() == [])
        #expect(!watcher.watchesRunsFolder)
        try FileManager.default.createDirectory(atPath: state.runsPath, withIntermediateDirectories: true)
        #expect(changes(of: watcher) { $0.rescan }.rescan)
        #expect(watcher.rescan() == [])
        #expect(watcher.watchesRunsFolder)

        try FileManager.default.removeItem(atPath: state.path)
        #expect(changes(of: watcher) { $0.rescan }.rescan)
        #expect(watcher.rescan() == [])
        #expect(!watcher.watchesRunsFolder)
    }

    @Test func aQueueThatOverflowsAsksForARescan() throws {
        let limit = Int((try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 16384
        try #require(limit <= 1 << 17, "the kernel queues \(limit) events: too many to overflow in a test")
        let state = scratch()
        defer { try? FileManager.default.removeItem(atPath: state.path) }
        let id = "20270101-000000-eeee"
        try JournalBuilder(runID: id).runStarted(steps: ["a"]).write(to: state.runDirectory(id), workflowText: "name: built\n")
        let watcher = try RunsWatcher(stateDirectory: state)
        _ = watcher.rescan()
        // More events than the kernel queues, none read meanwhile: each file made is one.
        let directory = state.runDirectory(id).path
        for index in 0...limit {
            let fd = open("\(directory)/f\(index)", O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
            close(fd)
        }
        #expect(watcher.drain().rescan)
        // A rescan watches everything again, and the queue is quiet.
        #expect(watcher.rescan() == [id])
        #expect(!watcher.drain().rescan)
    }

    @Test func aStaleSocketIsToldFromALiveHost() throws {
        let state = scratch()
        defer { try? FileManager.default.removeItem(atPath: state.path) }
        try FileManager.default.createDirectory(atPath: state.path, withIntermediateDirectories: true)
        let path = state.path + "/host.sock"
        #expect(RunHost.presence(at: path) == .absent)
        // A socket bound and never listened on, as a Baton killed with SIGKILL leaves one.
        var address = try RunHost.address(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        #expect(RunHost.presence(at: path) == .stale)
    }
}
