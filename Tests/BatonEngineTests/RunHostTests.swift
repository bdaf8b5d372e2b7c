import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// The run's host: typed commands over a Unix socket, answered by the engine as the user the
/// kernel vouches for; bad input, silent and vanishing clients never touch the run.
@Suite(.serialized) struct RunHostTests {
    typealias S = EngineTestSupport

    /// A started engine whose gate `ship` waits, served at a socket in its run directory.
    private func servedRun() async throws -> (Engine, RunHost, RunDirectory) {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let executor = ScriptedExecutor()
        let configuration = EngineConfiguration(
            runID: "hosted", user: "starter", executor: executor, simulator: executor, runDirectory: directory,
            syncJournal: false, environment: [:])
        let engine = try Engine(
            workflow: Workflow(name: "hosted", steps: [Step(id: "build", run: "make"), Step(id: "ship", needs: ["build"], approval: ApprovalGate())]),
            workflowText: "name: hosted\n", configuration: configuration)
        await engine.start()
        try await S.waitFor(engine) { $0["ship"]?.state == .waiting }
        return (engine, try RunHost(serving: engine, in: directory), directory)
    }

    /// Runs blocking socket work on a thread of its own: blocked on the cooperative pool, it
    /// would starve the engine task that the host waits on to answer.
    private func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    /// A raw connection, for what a well-behaved client never sends.
    private func rawConnection(_ path: String) throws -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in for (index, byte) in path.utf8.enumerated() { raw[index] = byte } }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(connected == 0)
        return fd
    }

    /// Reads lines from a raw connection until it closes or `count` lines came.
    private func readLines(_ fd: Int32, count: Int) -> [String] {
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while text.split(separator: "\n").count < count {
            let read = Glibc.read(fd, &buffer, buffer.count)
            guard read > 0 else { break }
            text += String(decoding: buffer[0..<read], as: UTF8.self)
        }
        return text.split(separator: "\n").map(String.init)
    }

    /// The sockets bound to `path` in the system: the listener and the host's end of every
    /// connection it holds (tests run side by side, so the process's descriptors are no measure).
    private func socketsBound(to path: String) -> Int {
        // Read as bytes: another process's abstract socket name need not be UTF-8.
        // (/proc files report no size, so they are read to their end, not by their size.)
        let table = String(decoding: (try? FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/net/unix")).readToEnd()) ?? Data(), as: UTF8.self)
        return table.split(separator: "\n").filter { $0.hasSuffix(" " + path) }.count
    }

    @Test func aCommandIsCarriedOutAsThePeersUser() async throws {
        let (engine, host, _) = try await servedRun()
        defer { host.stop() }
        let path = host.path
        let (hello, refused, status, approved) = try await offPool {
            let connection = try HostConnection(path: path)
            return (connection.hello, try connection.send(.retry(step: "ship")), try connection.status(),
                    try connection.send(.approve(step: "ship", comment: "from afar")))
        }
        #expect(hello.run == "hosted")
        #expect(hello.user == OperatorIdentity.current, "the kernel says who we are")
        #expect(hello.protocolVersion == HostMessage.version)
        #expect(refused.type == .result && refused.accepted == false)
        #expect(refused.message == "cannot retry 'ship': it is waiting for approval")
        #expect(status.state == "waiting_for_operator")
        #expect(status.waiting == ["'ship' is waiting for approval by any operator"])
        #expect(approved.accepted == true)
        try await S.waitFor(engine) { $0.outcome == .succeeded }
        let audit = await engine.state.audit
        #expect(audit.contains { $0.action == "approve" && $0.user == OperatorIdentity.current && $0.comment == "from afar" })
    }

    @Test func badMessagesGetClearErrorsAndAPersistentClientIsDropped() async throws {
        let (engine, host, _) = try await servedRun()
        defer { host.stop() }
        let path = host.path
        let (lines, after) = try await offPool { () -> ([String], [String]) in
            let fd = try rawConnection(path)
            defer { close(fd) }
            let bad = [
                "not json", #"{"v":2,"type":"status","id":4}"#, #"{"v":1,"type":"command","id":5,"action":"explode","step":"ship"}"#,
            ]
            for line in bad { _ = line.withCString { write(fd, $0, strlen($0)) }; _ = write(fd, "\n", 1) }
            return (readLines(fd, count: 5), readLines(fd, count: 1))
        }
        #expect(lines.count == 5, "\(lines)")
        #expect(lines[0].contains(#""type":"hello""#))
        #expect(lines[1].contains("not a JSON object"))
        #expect(lines[2].contains("protocol version 2 is not spoken here; this host speaks version 1") && lines[2].contains(#""id":4"#))
        #expect(lines[3].contains("'action' has a value this host does not know"))
        #expect(lines[4].contains("3 bad messages: closing the connection"))
        #expect(after.isEmpty, "the host closed the connection")
        #expect(await engine.state["ship"]?.state == .waiting, "the run goes on untouched")
    }

    @Test func silentVanishingAndManyClientsLeaveTheRunAndNoDescriptorBehind() async throws {
        let (engine, host, _) = try await servedRun()
        defer { host.stop() }
        let path = host.path
        let state = try await offPool { () -> String? in
            let silent = try rawConnection(path)
            defer { close(silent) }
            // A client killed mid-message: half a line, then gone.
            let halfway = try rawConnection(path)
            _ = #"{"v":1,"type":"comm"#.withCString { write(halfway, $0, strlen($0)) }
            close(halfway)
            // Each waits for its hello before it goes, so that the burst runs at the host's pace
            // and its descriptors never crowd the other tests in this process.
            for _ in 0..<1000 {
                let fd = try rawConnection(path)
                _ = readLines(fd, count: 1)
                close(fd)
            }
            // While one client says nothing, another is served at once.
            return try HostConnection(path: path).status().state
        }
        #expect(state == "waiting_for_operator")
        let connection = try await offPool { try HostConnection(path: path).hello }
        #expect(connection.run == "hosted")
        // A thousand client threads end at the machine's pace: wait generously.
        let deadline = ContinuousClock.now + .seconds(120)
        // A client leaves the count just before its descriptor is closed: wait for both.
        while (host.clientCount > 0 || socketsBound(to: host.path) > 1) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(host.clientCount == 0, "every connection is closed")
        #expect(socketsBound(to: host.path) == 1, "no descriptor leaks: only the listener is left")
        #expect(await engine.state["ship"]?.state == .waiting)
    }

    @Test func aStaleSocketIsReplacedAndAGoneHostIsSaidSo() async throws {
        let (_, host, directory) = try await servedRun()
        host.stop()
        let socketPath = directory.hostSocketPath
        #expect(try await offPool { (try? HostConnection(path: socketPath)) == nil }, "a stopped host answers nobody")
        // A dead host's socket file: a new host takes its place.
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in for (index, byte) in directory.hostSocketPath.utf8.enumerated() { raw[index] = byte } }
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(stale, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        close(stale)
        let reason = try await offPool { () -> HostError.Reason? in
            do {
                _ = try HostConnection(path: socketPath)
                return nil
            } catch {
                return (error as? HostError)?.reason
            }
        }
        #expect(reason == .gone, "a stale socket is a host that is gone")
        let (engine, other, _) = try await servedRun()
        other.stop()
        let replacement = try RunHost(path: directory.hostSocketPath, runID: "hosted", perform: { command, user in
            await engine.perform(command, by: user)
        }, status: { ("running", []) })
        defer { replacement.stop() }
        #expect(try await offPool { try HostConnection(path: socketPath).hello.run } == "hosted")
    }

    @Test func aWatcherGetsTheJournalThenEveryEventInOrder() async throws {
        let (engine, host, _) = try await servedRun()
        defer { host.stop() }
        let path = host.path
        let watcher = Task {
            try await offPool { () -> [RunEvent] in
                var seen: [RunEvent] = []
                _ = try HostConnection(path: path).watch { message in
                    guard message.type == .event, let event = message.event else { return true }
                    seen.append(event)
                    return event.kind != .runFinished
                }
                return seen
            }
        }
        // The watcher may subscribe before or after the approval: either way it misses nothing.
        #expect(await engine.approve("ship", by: "alice").isAccepted)
        let seen = try await watcher.value
        #expect(seen.map(\.seq) == Array(1...seen.count), "every event once, in order")
        #expect(seen.first?.kind == .runStarted)
        #expect(seen.last?.kind == .runFinished && seen.last?.outcome == .succeeded)
        #expect(seen.contains { $0.kind == .command && $0.command == "approve" && $0.user == "alice" })
    }

    /// 1,000 generated messages, well-formed and not: the decoder answers each, never crashes.
    @Test func theDecoderAnswersEveryGeneratedMessage() {
        var random = SplitMix64(seed: 11)
        let pieces = [
            #"{"#, #"}"#, #""v":1"#, #""v":"1""#, #""type":"command""#, #""type":"status""#, #""type":"hello""#, #""id":7"#,
            #""action":"approve""#, #""action":"nope""#, #""step":"ship""#, #""step":"""#, #""comment":null"#, ",", ":", "[", "]",
            "\u{0}", "é", #"\u00"#, "1e999", "null", "true", "\"", "\\",
        ]
        var accepted = 0
        for _ in 0..<1000 {
            var line = ""
            for _ in 0..<Int(random.next() % 12) { line += pieces[Int(random.next() % UInt64(pieces.count))] }
            switch HostMessage.request(from: Data(line.utf8)) {
            case .success(let message):
                accepted += 1
                #expect(message.v == HostMessage.version)
            case .failure(let error):
                #expect(!error.message.isEmpty)
            }
        }
        let oversized = Data(repeating: 0x20, count: HostMessage.maximumLineBytes + 1)
        guard case .failure(let problem) = HostMessage.request(from: oversized) else { Issue.record("an oversized line was read"); return }
        #expect(problem.message.contains("at most \(HostMessage.maximumLineBytes) are read"))
        #expect(accepted < 1000)
    }
}
