import BatonTestSupport
import Foundation
import Testing
@testable import BatonEngine

/// `JournalFollower` folds a growing journal a piece at a time and ends where a whole read ends.
@Suite struct JournalFollowerTests {
    private func scratch() -> String {
        let path = NSTemporaryDirectory() + "baton-follow-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func append(_ bytes: [UInt8], to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(bytes))
        handle.closeFile()
    }

    private var run: JournalBuilder {
        JournalBuilder(runID: "followed").runStarted(steps: ["build", "test", "ship"]).succeeded("build").step("test", .running)
    }

    @Test func appendedEventsAreFoldedOnceAndTheStateMatchesAWholeRead() throws {
        let directory = scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/events.jsonl"
        let first = run
        try Data(first.journalBytes).write(to: URL(fileURLWithPath: path))
        var follower = JournalFollower(path: path)
        let changed1 = follower.catchUp()
        #expect(changed1)
        #expect(follower.state == (try first.state()))
        #expect(follower.offset == Int64(first.journalBytes.count))
        // Nothing new: nothing changes.
        let changed2 = follower.catchUp()
        #expect(!changed2)

        let later = first.step("test", .succeeded, exitCode: 0).succeeded("ship").finished(.succeeded)
        try append(Array(later.journalBytes.dropFirst(first.journalBytes.count)), to: path)
        let changed3 = follower.catchUp()
        #expect(changed3)
        #expect(follower.state == (try later.state()))
        #expect(follower.state == (try JournalReader.fold(JournalReader.read(path: path).events)))
        #expect(follower.problem == nil)
    }

    @Test func anUnfinishedLastLineWaitsForItsNewline() throws {
        let directory = scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/events.jsonl"
        let before = run
        let after = before.step("test", .succeeded, exitCode: 0)
        let line = Array(after.journalBytes.dropFirst(before.journalBytes.count))
        try Data(before.journalBytes + line.prefix(10)).write(to: URL(fileURLWithPath: path))
        var follower = JournalFollower(path: path)
        follower.catchUp()
        #expect(follower.state.lastSeq == before.events.count)
        #expect(follower.problem == nil)
        try append(Array(line.dropFirst(10)), to: path)
        let changed4 = follower.catchUp()
        #expect(changed4)
        #expect(follower.state == (try after.state()))
    }

    @Test func aJournalCutShorterOrReplacedIsFoldedAgainFromItsStart() throws {
        let directory = scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/events.jsonl"
        let long = run.step("test", .succeeded, exitCode: 0)
        try Data(long.journalBytes).write(to: URL(fileURLWithPath: path))
        var follower = JournalFollower(path: path)
        follower.catchUp()

        // Cut back to fewer events.
        let short = JournalBuilder(runID: "followed").runStarted(steps: ["build", "test", "ship"])
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.truncateFile(atOffset: UInt64(short.journalBytes.count))
        handle.closeFile()
        let changed5 = follower.catchUp()
        #expect(changed5)
        #expect(follower.state == (try short.state()))

        // Replaced by another file of another run, longer than what was read.
        let other = JournalBuilder(runID: "other").runStarted(steps: ["a"]).succeeded("a").finished(.succeeded)
        let replacement = directory + "/replacement"
        try Data(other.journalBytes).write(to: URL(fileURLWithPath: replacement))
        #expect(rename(replacement, path) == 0)
        let changed6 = follower.catchUp()
        #expect(changed6)
        #expect(follower.state == (try other.state()))
    }

    @Test func aDamagedLineOrAnEventThatDoesNotFitStopsTheFollowerWithItsLine() throws {
        let directory = scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/events.jsonl"
        try Data(run.journalBytes + Array("not json\n".utf8)).write(to: URL(fileURLWithPath: path))
        var follower = JournalFollower(path: path)
        follower.catchUp()
        #expect(follower.problem == "journal line \(run.events.count + 1) is not a valid event")
        #expect(follower.state.lastSeq == run.events.count)
        // Later lines are not read past the damage.
        try append(Array(run.journalBytes.prefix(10)), to: path)
        let changed7 = follower.catchUp()
        #expect(!changed7)

        // An event out of order.
        let other = directory + "/other.jsonl"
        var skipped = run.events
        skipped.remove(at: 1)
        try Data(skipped.flatMap { $0.jsonLine() + [0x0A] }).write(to: URL(fileURLWithPath: other))
        var second = JournalFollower(path: other)
        second.catchUp()
        #expect(second.problem?.hasPrefix("journal line 2: event 3: expected event 2") == true, "\(second.problem ?? "")")
    }

    @Test func aMissingJournalIsNoProblemAndIsReadOnceItAppears() throws {
        let directory = scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/events.jsonl"
        var follower = JournalFollower(path: path)
        let changed8 = follower.catchUp()
        #expect(!changed8)
        #expect(!follower.exists && follower.problem == nil)
        try Data(run.journalBytes).write(to: URL(fileURLWithPath: path))
        let changed9 = follower.catchUp()
        #expect(changed9)
        #expect(follower.exists && follower.state.workflowName == "built")
        try FileManager.default.removeItem(atPath: path)
        let changed10 = follower.catchUp()
        #expect(changed10)
        #expect(!follower.exists && follower.state.lastSeq == 0)
    }

    @Test func aPipeOrAFolderInTheJournalsPlaceIsAProblemNotAHang() throws {
        let directory = scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fifo = directory + "/events.jsonl"
        #expect(mkfifo(fifo, 0o600) == 0)
        var follower = JournalFollower(path: fifo)
        follower.catchUp()
        #expect(follower.problem == "the journal is not a regular file")

        let folder = directory + "/folder"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var second = JournalFollower(path: folder)
        second.catchUp()
        #expect(second.problem == "the journal is not a regular file")
    }
}
