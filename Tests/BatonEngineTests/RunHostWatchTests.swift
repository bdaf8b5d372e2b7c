import BatonTestSupport
import Foundation
import Synchronization
import Testing
@testable import BatonEngine

/// Watching a run over its host's socket: the journal, `live`, then events and output; a
/// watcher that stalls is dropped without slowing anyone; an attached client rebuilds the run
/// and hears when its host goes away. Nested in `RunHostTests`, which runs its tests one at a
/// time: a burst of a thousand connections there must not crowd the watchers timed here.
extension RunHostTests {
    @Suite struct Watching {
        typealias S = EngineTestSupport

        /// A started engine whose step `build` prints two lines and whose gate `ship` then waits,
        /// served at a socket in its run directory.
        private func servedRun() async throws -> (Engine, RunHost, RunDirectory) {
            let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
            let configuration = EngineConfiguration(
                runID: "watched", user: "starter", executor: ShellExecutor(), runDirectory: directory, syncJournal: false, environment: [:])
            let text = """
                name: watched
                steps:
                  build:
                    run: echo hello; echo world
                  ship:
                    needs: [build]
                    approval: {}

                """
            let engine = try Engine(workflow: try WorkflowLoader.load(yaml: text, file: "watched.yaml"), workflowText: text, configuration: configuration)
            await engine.start()
            try await S.waitFor(engine) { $0["ship"]?.state == .waiting }
            return (engine, try RunHost(serving: engine, in: directory), directory)
        }

        private func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
            try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
            }
        }

        @Test func aWatcherAskingForOutputGetsTheJournalLiveThenOutputWithItsPlaceInTheLog() async throws {
            let (engine, host, directory) = try await servedRun()
            defer { host.stop() }
            let path = host.path
            let isLive = Atomic<Bool>(false)
            let watcher = Task {
                try await offPool { () -> [HostMessage] in
                    var seen: [HostMessage] = []
                    _ = try HostConnection(path: path).watch(output: true) { message in
                        seen.append(message)
                        if message.type == .live { isLive.store(true, ordering: .relaxed) }
                        return !(message.type == .event && message.event?.kind == .runFinished)
                    }
                    return seen
                }
            }
            // The journal so far comes first; then the approval and what follows, live.
            let deadline = ContinuousClock.now + .seconds(45)
            while !isLive.load(ordering: .relaxed) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            #expect(await engine.approve("ship", by: "alice").isAccepted)
            let seen = try await watcher.value
            let live = try #require(seen.firstIndex { $0.type == .live })
            #expect(seen[..<live].allSatisfy { $0.type == .event })
            #expect(seen[live].seq == seen[live - 1].event?.seq, "live names the last event of the journal as read")
            let events = seen.compactMap(\.event)
            #expect(events.map(\.seq) == Array(1...events.count), "every event once, in order, across the boundary")
            // The output printed before the watch is in the log, not the stream; notes after it are.
            let log = try String(contentsOfFile: "\(directory.logsPath)/build.log", encoding: .utf8)
            #expect(log.contains("hello\nworld\n"))
            for message in seen where message.type == .output {
                let chunk = try #require(message.chunk)
                let offset = try #require(chunk.logOffset)
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: "\(directory.logsPath)/\(chunk.stepID).log")))
                #expect(Array(bytes[offset..<(offset + chunk.bytes.count)]) == chunk.bytes, "an output's offset is where its bytes sit in the log")
            }
        }

        @Test func aWatcherThatStopsReadingIsDroppedAndTheOthersGetEverything() async throws {
            let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
            try directory.create(workflowText: "name: stalled\n")
            let fanOut = UpdateFanOut(limit: 500)
            let host = try RunHost(
                path: directory.hostSocketPath, runID: "stalled", perform: { _, _ in .refused("no") }, status: { ("running", []) },
                journal: directory, updates: fanOut)
            defer { host.stop() }
            let path = host.path
            // The stalled watcher asks for the stream and then never reads: a stopped process. It
            // reads on only once the host has dropped it (or after 45 s, to fail rather than hang).
            let stalled = try await offPool { try HostConnection(path: path) }
            let woken = DispatchSemaphore(value: 0)
            let stalledTask = Task {
                try await offPool { () -> HostMessage? in
                    var stopped = false
                    return try stalled.watch(output: true) { _ in
                        // Reads the first message, then stops as a SIGSTOPped client would.
                        if !stopped { _ = woken.wait(timeout: .now() + 45) }
                        stopped = true
                        return true
                    }
                }
            }
            let kept = Atomic<Int>(0)
            let keeper = Task {
                try await offPool { () -> Int in
                    _ = try HostConnection(path: path).watch(output: true) { message in
                        if message.type == .output { kept.add(1, ordering: .relaxed) }
                        return kept.load(ordering: .relaxed) < 2_000
                    }
                    return kept.load(ordering: .relaxed)
                }
            }
            let deadline = ContinuousClock.now + .seconds(45)
            while fanOut.subscriberCount < 2 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            try #require(fanOut.subscriberCount == 2, "both watchers subscribed")
            // 2,000 chunks of 4 KiB: far more than the stalled watcher's socket and buffer hold.
            let chunk = OutputChunk(stepID: "chatty", stream: .stdout, bytes: Array(repeating: 0x61, count: 4095) + [0x0A])
            for published in 1...2_000 {
                fanOut.publish([.output(chunk)])
                // The keeper keeps up, as a client on a loaded machine does: it is never far behind.
                while published - kept.load(ordering: .relaxed) > 100 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
            }
            #expect(try await keeper.value == 2_000, "a watcher that keeps up gets every chunk")
            while fanOut.subscriberCount > 1 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            woken.signal()
            let end = try await stalledTask.value
            #expect(end?.reason == .fellBehind, "the stalled watcher is told it fell behind, and dropped")
        }

        @Test func theHandWrittenOutputLineDecodesAsTheProtocolsOutputMessage() throws {
            var chunk = OutputChunk(stepID: "deploy[\"web\"]\u{1}é", stream: .stderr, bytes: [0xFF, 0x00, 0x0A, 0x1B] + Array("ok\n".utf8),
                                    time: Date(timeIntervalSince1970: 1_796_498_254.125))
            chunk.logOffset = 4096
            var line: [UInt8] = []
            HostLines.appendOutput(chunk, to: &line)
            #expect(line.last == 0x0A)
            let decoded = try JSONDecoder().decode(HostMessage.self, from: Data(line.dropLast()))
            #expect(decoded == HostMessage.output(chunk))
            #expect(decoded.chunk == chunk && decoded.chunk?.logOffset == 4096)
        }

        @Test func aChunkTheSnapshotsLogAlreadyHeldIsLeftOutOrCut() {
            var chunk = OutputChunk(stepID: "build", stream: .stdout, bytes: Array("abcdef".utf8))
            chunk.logOffset = 10
            #expect(RemoteRunClient.unseen(chunk, logEnds: ["build": 16]) == nil, "read whole")
            #expect(RemoteRunClient.unseen(chunk, logEnds: ["build": 13])?.bytes == Array("def".utf8), "read in part")
            #expect(RemoteRunClient.unseen(chunk, logEnds: ["build": 10])?.bytes == Array("abcdef".utf8), "not read")
            #expect(RemoteRunClient.unseen(chunk, logEnds: [:])?.bytes == Array("abcdef".utf8), "no log was read")
        }

        /// A watcher that reads until the host closes its connection is sent the last events,
        /// the end and EOF when the run's journal closes right after them, while the host still
        /// serves.
        @Test func aWatcherIsSentTheEndAndClosedWhenTheJournalCloses() async throws {
            let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
            try directory.create(workflowText: "name: closing\n")
            let fanOut = UpdateFanOut()
            let host = try RunHost(
                path: directory.hostSocketPath, runID: "closing", perform: { _, _ in .refused("no") }, status: { ("running", []) },
                journal: directory, updates: fanOut)
            defer { host.stop() }
            let path = host.path
            let live = DispatchSemaphore(value: 0)
            let ended = Atomic<Bool>(false)
            let watcher = Task {
                try await offPool { () -> (seqs: [Int], end: HostMessage?) in
                    defer { ended.store(true, ordering: .relaxed) }
                    var seqs: [Int] = []
                    let end = try HostConnection(path: path).watch { message in
                        if message.type == .live { live.signal() }
                        if let event = message.event { seqs.append(event.seq) }
                        return true
                    }
                    return (seqs, end)
                }
            }
            try await offPool { live.wait() }
            // Once the pump has settled into waiting, the journal closes within its batch: the
            // end comes with no wake of its own.
            try await Task.sleep(for: .milliseconds(100))
            fanOut.publish([.event(RunEvent(seq: 1, time: 1, kind: .runPaused)), .event(RunEvent(seq: 2, time: 2, kind: .runResumed))])
            fanOut.finishAll()
            let deadline = ContinuousClock.now + .seconds(45)
            while !ended.load(ordering: .relaxed), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            let endedInTime = ended.load(ordering: .relaxed)
            #expect(endedInTime, "the watch ended without the host being stopped")
            host.stop()
            let (seqs, end) = try await watcher.value
            #expect(seqs == [1, 2])
            #expect(end?.reason == .closed)
        }

        /// A run that ends right after its last events, and whose Baton then stops its host at
        /// once, as `baton run` does before it exits: the watcher still gets those events and
        /// the stream's end.
        @Test func aHostStoppedAsItsRunEndsSendsWatchersTheLastEventsFirst() async throws {
            let (engine, host, _) = try await servedRun()
            let path = host.path
            let live = DispatchSemaphore(value: 0)
            let watcher = Task {
                try await offPool { () -> (kinds: [RunEvent.Kind], end: HostMessage?) in
                    var kinds: [RunEvent.Kind] = []
                    let end = try HostConnection(path: path).watch { message in
                        if message.type == .live { live.signal() }
                        if let event = message.event { kinds.append(event.kind) }
                        return true
                    }
                    return (kinds, end)
                }
            }
            try await offPool { live.wait() }
            #expect(await engine.approve("ship", by: "alice").isAccepted)
            let deadline = ContinuousClock.now + .seconds(45)
            while !engine.fanOut.isFinished, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
            host.stop()
            let (kinds, end) = try await watcher.value
            #expect(kinds.last == .runFinished, "the run's last event reached the watcher: \(kinds)")
            #expect(end?.reason == .closed)
        }

        @Test func anAttachedClientRebuildsTheRunActsOnItAndHearsItClose() async throws {
            let (engine, host, directory) = try await servedRun()
            let client = try await offPool { try RemoteRunClient(directory: directory) }
            #expect(client.workflow.steps.map(\.id) == ["build", "ship"])
            var updates = client.updates().makeAsyncIterator()
            guard case .snapshot(let snapshot) = await updates.next() else {
                Issue.record("the first update is not a snapshot")
                return
            }
            #expect(snapshot.state["ship"]?.state == .waiting)
            #expect(snapshot.logs["build"]?.contains { $0.text == "world" } == true, "the logs so far come from the run directory")
            #expect(await client.perform(OperatorCommand(.approve, step: "ship", comment: "from afar")).isAccepted)
            var sawFinish = false
            while !sawFinish, let update = await updates.next() {
                if case .engine(.event(let event)) = update, event.kind == .runFinished { sawFinish = true }
            }
            #expect(sawFinish)
            #expect(await engine.state.audit.contains { $0.user == client.user && $0.comment == "from afar" })
            var ending: ClientEnding?
            while let update = await updates.next() {
                if case .ended(let end) = update { ending = end }
            }
            guard case .closed = ending else {
                Issue.record("a run that ended and closed is not reported closed: \(String(describing: ending))")
                return
            }
            host.stop()
        }

        @Test func anAttachedClientHearsItsHostGoWhileTheRunWaits() async throws {
            let (_, host, directory) = try await servedRun()
            let client = try await offPool { try RemoteRunClient(directory: directory) }
            var updates = client.updates().makeAsyncIterator()
            guard case .snapshot = await updates.next() else {
                Issue.record("the first update is not a snapshot")
                return
            }
            // The host goes away without closing the run, as when its Baton is killed.
            host.stop()
            var ending: ClientEnding?
            while let update = await updates.next() {
                if case .ended(let end) = update { ending = end }
            }
            guard case .hostGone(let text) = ending else {
                Issue.record("the client did not report its host gone: \(String(describing: ending))")
                return
            }
            #expect(text.contains("baton resume watched"))
            #expect(await client.perform(OperatorCommand(.approve, step: "ship")) == .refused("the run's host is gone"))
        }
    }
}
