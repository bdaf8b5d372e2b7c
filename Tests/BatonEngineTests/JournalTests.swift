import Foundation
import Testing
@testable import BatonEngine

@Suite struct JournalTests {
    typealias S = EngineTestSupport

    @Test func replayingTheJournalGivesTheLiveState() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let engine = try await S.startedEngine([
            S.simulated("a", outputs: ["k": "v"]), S.simulated("b", needs: ["a"], exitCodes: [1, 0], retry: RetryPolicy(attempts: 2, backoff: .milliseconds(5))),
            S.simulated("gate", needs: ["a"], approval: ApprovalGate(approvers: ["tester"])), S.simulated("c", needs: ["b", "gate"]),
        ], runDirectory: directory)
        _ = try await S.settle(engine)
        #expect(await engine.approve("gate", by: "intruder").isAccepted == false)
        #expect(await engine.approve("gate", by: "tester", comment: "fine").isAccepted)
        #expect(try await S.settle(engine) == .finished(.succeeded))
        _ = await engine.waitUntilFinished()

        let contents = try directory.readJournal()
        #expect(!contents.ignoredTornLine)
        let replayed = try JournalReader.fold(contents.events)
        let live = await engine.state
        #expect(replayed == live)
        #expect(replayed.lastSeq == contents.events.count)
        // The state after every prefix is a valid fold too.
        for count in 0...contents.events.count {
            _ = try JournalReader.fold(Array(contents.events.prefix(count)))
        }
        #expect(FileManager.default.fileExists(atPath: directory.workflowPath))
    }

    @Test func aWrittenRunIsLockedUntilItsWriterCloses() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        try directory.create(workflowText: "name: x\n")
        #expect(!directory.isBeingWritten)
        let writer = try JournalWriter(path: directory.eventsPath) { _ in }
        #expect(directory.isBeingWritten)
        // A second writer of the same run is refused with a reason.
        #expect(throws: JournalError.self) { try JournalWriter(path: directory.eventsPath) { _ in } }
        await writer.close()
        #expect(!directory.isBeingWritten)
    }

    @Test func aTornLastLineIsIgnored() throws {
        let path = S.temporaryDirectory() + "/events.jsonl"
        var started = RunEvent(seq: 1, kind: .runStarted)
        started.steps = ["a"]
        var running = RunEvent.step("a", .running, attempt: 1)
        running.seq = 2
        let encoder = JSONEncoder()
        var data = Data()
        for event in [started, running] {
            data.append(try encoder.encode(event))
            data.append(0x0A)
        }
        var complete = RunEvent.step("a", .succeeded, exitCode: 0)
        complete.seq = 3
        let third = try encoder.encode(complete)
        data.append(third.prefix(third.count / 2))
        #expect(FileManager.default.createFile(atPath: path, contents: data))

        let contents = try JournalReader.read(path: path)
        #expect(contents.ignoredTornLine)
        #expect(contents.events.count == 2)
        let state = try JournalReader.fold(contents.events)
        #expect(state["a"]?.state == .running)
    }

    @Test func aDamagedLineInTheMiddleIsAnError() throws {
        let data = Data("{\"seq\":1,\"time\":0,\"kind\":\"run_started\",\"steps\":[]}\nnot json\n{\"seq\":2,\"time\":0,\"kind\":\"run_paused\"}\n".utf8)
        #expect(throws: JournalError.self) { try JournalReader.decode(data, path: "events.jsonl") }
        do {
            _ = try JournalReader.decode(data, path: "events.jsonl")
        } catch {
            #expect(error.description == "events.jsonl: line 2 is not a valid event")
        }
    }

    @Test func stepLogsKeepTimestampsAndStreams() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let engine = try await S.startedEngine([S.shell("talk", "echo to-out; echo to-err >&2")], runDirectory: directory)
        #expect(try await S.settle(engine) == .finished(.succeeded))
        _ = await engine.waitUntilFinished()
        // The log is what the step printed, between the attempt's opening and closing lines;
        // the index says when and on which stream.
        let log = try String(contentsOfFile: directory.logsPath + "/talk.log", encoding: .utf8)
        let logLines = log.split(separator: "\n").map(String.init)
        #expect(logLines.count == 4 && Set(logLines[1...2]) == ["to-out", "to-err"])
        #expect(AttemptMarker.isOpening(logLines[0]) && logLines[3].hasPrefix("attempt 1 ended: exit 0 after "))
        let index = try String(contentsOfFile: directory.logsPath + "/talk.log.index", encoding: .utf8)
        let records = index.split(separator: "\n").map(String.init)
        #expect(records.first == "baton-log-index 1")
        #expect(records.count == 5)
        let output = records.filter { !$0.hasSuffix(" baton") }.dropFirst()
        #expect(output.count == 2)
        #expect(output.allSatisfy { $0.range(of: #"^\d+ 7 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (out|err)$"#, options: .regularExpression) != nil })
        // A resumed console reads them back as they were.
        let read = StepLogStore.readLines(path: directory.logsPath + "/talk.log", stepID: "talk")
        #expect(Set(read.filter { $0.stream != .baton }.map { "\($0.stream.rawValue) \($0.text)" }) == ["out to-out", "err to-err"])
        #expect(read.map(\.stream).first == .baton && read.map(\.stream).last == .baton)
        #expect(read.allSatisfy { abs($0.time.timeIntervalSinceNow) < 60 })
        // Reading only the end of a big log starts on a whole line.
        let lastLength = (read.last?.text.utf8.count ?? 0) + 1
        let tail = StepLogStore.readLines(path: directory.logsPath + "/talk.log", stepID: "talk", maximumBytes: lastLength + 3)
        #expect(tail.count == 1 && tail.first?.text == read.last?.text)
    }

    @Test func secretsNeverReachTheJournalOrTheLogs() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let secret = "hunter2-\(UUID().uuidString.prefix(6))"
        let engine = try await S.startedEngine([
            S.shell("leak", "echo \"token is $API_TOKEN\"; echo \"copy=$API_TOKEN\" >> \"$BATON_OUTPUT\"; echo \"$API_TOKEN\" >&2; exit 3"),
        ], runDirectory: directory, secrets: ["API_TOKEN"], env: ["API_TOKEN": secret])
        _ = try await S.settle(engine)
        _ = await engine.finish(outcome: .failed, reason: "done")
        _ = await engine.waitUntilFinished()
        for path in [directory.eventsPath, directory.logsPath + "/leak.log", directory.workflowPath] {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            #expect(!text.contains(secret), "secret found in \(path)")
        }
        let log = try String(contentsOfFile: directory.logsPath + "/leak.log", encoding: .utf8)
        #expect(log.contains("token is ***"))
    }
}
