import BatonEngine
import Foundation
import Testing

/// The engine with a journal that cannot be written: nothing starts and nothing is published
/// as recorded.
@Suite(.timeLimit(.minutes(1))) struct JournalWriteFailureTests {
    typealias S = EngineTestSupport

    @Test func aJournalOnAFullDeviceStartsNothingAndPublishesNoEvent() async throws {
        let scratch = S.temporaryDirectory()
        let directory = RunDirectory(path: scratch + "/run")
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        // Every write to /dev/full fails with ENOSPC: a disk full from the first byte.
        try FileManager.default.createSymbolicLink(atPath: directory.eventsPath, withDestinationPath: "/dev/full")
        let marker = scratch + "/ran"
        let workflow = Workflow(name: "full", steps: [S.shell("first", "touch '\(marker)'"), S.shell("second", "touch '\(marker)2'", needs: ["first"])])
        let configuration = EngineConfiguration(runID: "full-1", user: "tester", runDirectory: directory)
        let engine = try Engine(workflow: workflow, workflowText: "name: full\n", configuration: configuration)
        let updates = Task { () -> [EngineUpdate] in
            var seen: [EngineUpdate] = []
            for await update in engine.updates { seen.append(update) }
            return seen
        }
        await engine.start()
        let outcome = await engine.waitUntilFinished()
        let seen = await updates.value

        #expect(outcome == .interrupted)
        let failure = try #require(await engine.recordingFailure)
        #expect(failure.message.contains("No space left on device"), "\(failure)")
        #expect(!FileManager.default.fileExists(atPath: marker), "a step started though its start was never recorded")
        #expect(!seen.contains { if case .event = $0 { return true } else { return false } }, "an event was published as recorded")
        #expect(seen.contains { if case .recordingFailed = $0 { return true } else { return false } })
    }

    @Test func aStepThatFailsAfterALogFailedIsNotRetriedAndTheRunEnds() async throws {
        let scratch = S.temporaryDirectory()
        let directory = RunDirectory(path: scratch + "/run")
        let count = scratch + "/attempts"
        // The step takes the logs folder away, prints (which cannot be logged now) and fails.
        let step = Step(
            id: "flaky", run: "echo x >> '\(count)'; rm -rf '\(directory.logsPath)'; sleep 0.1; echo lost; sleep 0.1; exit 1",
            retry: RetryPolicy(attempts: 3, backoff: .milliseconds(1)))
        let configuration = EngineConfiguration(runID: "log-1", user: "tester", runDirectory: directory, syncJournal: false)
        let engine = try Engine(workflow: Workflow(name: "logs", steps: [step]), workflowText: "name: logs\n", configuration: configuration)
        await engine.start()
        // A run that waited for a retry it cannot start would hang here: the suite's time limit fails it.
        let outcome = await engine.waitUntilFinished()
        #expect(outcome == .interrupted)
        let failure = try #require(await engine.recordingFailure)
        #expect(failure.description.contains("flaky"), "\(failure)")
        let attempts = try String(contentsOfFile: count, encoding: .utf8).split(separator: "\n").count
        #expect(attempts == 1, "nothing new starts once the run cannot be recorded")
        // The journal, still writable, says how the run ended.
        let recorded = try JournalReader.fold(try directory.readJournal().events)
        #expect(recorded.outcome == .interrupted)
    }
}
