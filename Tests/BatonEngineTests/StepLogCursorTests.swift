import Foundation
import Testing
@testable import BatonEngine

/// A cursor hands on a log's chunks as the index lists them, each once, as the log grows, and
/// says so when the log is truncated or removed under it.
@Suite struct StepLogCursorTests {
    typealias S = EngineTestSupport

    /// Everything one read hands on, as (stream, bytes) pairs.
    func read(_ cursor: StepLogCursor, finishing: Bool = false) throws -> [(OutputLine.Stream, String)] {
        var pieces: [(OutputLine.Stream, String)] = []
        let take = { (piece: StepLogCursor.Piece) in pieces.append((piece.stream, String(decoding: piece.bytes, as: UTF8.self))) }
        if finishing { try cursor.finish(take) } else { try cursor.read(take) }
        return pieces
    }

    @Test func chunksComeOnceEachAsTheLogGrows() throws {
        let directory = S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try StepLogStore(directory: directory) { Issue.record("unexpected failure: \($0)") }
        let cursor = StepLogCursor(path: store.path(for: "s"))
        #expect(try read(cursor).isEmpty, "a step that printed nothing has nothing to read")

        store.write(OutputChunk(stepID: "s", stream: .baton, bytes: Array("attempt 1 of 1 started\n".utf8)))
        store.write(OutputChunk(stepID: "s", stream: .stdout, bytes: Array("one\n".utf8)))
        let first = try read(cursor)
        #expect(first.map(\.0) == [.baton, .stdout])
        #expect(first.map(\.1) == ["attempt 1 of 1 started\n", "one\n"])
        #expect(try read(cursor).isEmpty, "nothing is handed on twice")

        // The newline the store writes before Baton's line, after an unfinished one, is in no chunk.
        store.write(OutputChunk(stepID: "s", stream: .stderr, bytes: Array("\u{1B}[31mred".utf8)))
        store.write(OutputChunk(stepID: "s", stream: .baton, bytes: Array("attempt 1 ended\n".utf8)))
        let second = try read(cursor)
        #expect(second.map(\.0) == [.stderr, .baton])
        #expect(second.map(\.1) == ["\u{1B}[31mred", "attempt 1 ended\n"])
        store.closeAll()
        let log = try String(contentsOfFile: store.path(for: "s"), encoding: .utf8)
        #expect(log == "attempt 1 of 1 started\none\n\u{1B}[31mred\nattempt 1 ended\n")
        #expect(cursor.position == log.utf8.count)
    }

    @Test func bytesNoIndexLineCoversComeOnlyAtTheFinishAsTheLastChunksStream() throws {
        let directory = S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try StepLogStore(directory: directory) { Issue.record("unexpected failure: \($0)") }
        store.write(OutputChunk(stepID: "s", stream: .stderr, bytes: Array("indexed\n".utf8)))
        store.closeAll()
        let handle = try #require(FileHandle(forWritingAtPath: store.path(for: "s")))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("left by a crash".utf8))
        try handle.close()

        let cursor = StepLogCursor(path: store.path(for: "s"))
        #expect(try read(cursor).map(\.1) == ["indexed\n"])
        let rest = try read(cursor, finishing: true)
        #expect(rest.map(\.0) == [.stderr])
        #expect(rest.map(\.1) == ["left by a crash"])
    }

    @Test func anOlderLogComesALineAtATimeAndThenTheChunksAResumedRunAdded() throws {
        let directory = S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/build.log"
        let older = "2026-12-02T17:12:46.123Z out hello\nnot a line of the older form\n2026-12-02T17:12:46.124Z err oops\n2026-12-02T17:12:46.125Z out unfin"
        try Data(older.utf8).write(to: URL(fileURLWithPath: path))
        let cursor = StepLogCursor(path: path)
        let lines = try read(cursor)
        #expect(lines.map(\.0) == [.stdout, .stderr])
        #expect(lines.map(\.1) == ["hello\n", "oops\n"], "a line without its newline waits")
        #expect(try read(cursor, finishing: true).map(\.1) == ["unfin\n"])

        let resumed = directory + "/deploy.log"
        try Data("2026-12-02T17:12:46.123Z out before\n".utf8).write(to: URL(fileURLWithPath: resumed))
        let resumedCursor = StepLogCursor(path: resumed)
        #expect(try read(resumedCursor).map(\.1) == ["before\n"])
        let store = try StepLogStore(directory: directory) { Issue.record("unexpected failure: \($0)") }
        store.write(OutputChunk(stepID: "deploy", stream: .stdout, bytes: Array("after\n".utf8)))
        store.closeAll()
        #expect(try read(resumedCursor).map(\.1) == ["after\n"])
    }

    @Test func aChunkLargerThanABlockComesWhole() throws {
        let directory = S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try StepLogStore(directory: directory) { Issue.record("unexpected failure: \($0)") }
        let big = (0..<(StepLogCursor.blockSize * 5 / 2)).map { UInt8(0x41 + $0 % 26) } + [0x0A]
        store.write(OutputChunk(stepID: "s", stream: .stdout, bytes: Array("small\n".utf8)))
        store.write(OutputChunk(stepID: "s", stream: .stdout, bytes: big))
        store.write(OutputChunk(stepID: "s", stream: .stderr, bytes: Array("after\n".utf8)))
        store.closeAll()
        var stdout: [UInt8] = []
        var streams: [OutputLine.Stream] = []
        try StepLogCursor(path: store.path(for: "s")).read { piece in
            if piece.stream == .stdout { stdout += piece.bytes }
            if streams.last != piece.stream { streams.append(piece.stream) }
        }
        #expect(stdout == Array("small\n".utf8) + big)
        #expect(streams == [.stdout, .stderr])
    }

    @Test func aTruncatedLogIsAFailure() throws {
        let directory = S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try StepLogStore(directory: directory) { Issue.record("unexpected failure: \($0)") }
        store.write(OutputChunk(stepID: "s", stream: .stdout, bytes: Array("one\ntwo\n".utf8)))
        let cursor = StepLogCursor(path: store.path(for: "s"))
        _ = try read(cursor)
        #expect(truncate(store.path(for: "s"), 0) == 0)
        let failure = #expect(throws: StepLogCursor.Failure.self) { try read(cursor) }
        #expect(failure?.description.contains("was truncated") == true, "\(String(describing: failure))")
        store.closeAll()
    }

    @Test func aRemovedLogIsAFailure() throws {
        let directory = S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try StepLogStore(directory: directory) { _ in }
        store.write(OutputChunk(stepID: "s", stream: .stdout, bytes: Array("one\n".utf8)))
        let cursor = StepLogCursor(path: store.path(for: "s"))
        _ = try read(cursor)
        #expect(unlink(store.path(for: "s")) == 0)
        let failure = #expect(throws: StepLogCursor.Failure.self) { try read(cursor) }
        #expect(failure?.description.contains("was removed") == true, "\(String(describing: failure))")
        store.closeAll()
    }
}
