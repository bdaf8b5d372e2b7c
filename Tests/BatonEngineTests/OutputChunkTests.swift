import Foundation
import Testing
@testable import BatonEngine

/// Output travels in chunks of whole lines, and what front ends have not taken is bounded.
@Suite struct OutputChunkTests {
    typealias S = EngineTestSupport

    /// The pieces a splitter emits for `reads`, as strings.
    func pieces(_ reads: [String], maxLineBytes: Int = ProcessLineSplitter.defaultMaxLineBytes) -> [String] {
        var splitter = ProcessLineSplitter(maxLineBytes: maxLineBytes)
        var pieces: [String] = []
        for read in reads {
            Array(read.utf8).withUnsafeBytes { splitter.feed($0) { pieces.append(String(decoding: $0, as: UTF8.self)) } }
        }
        splitter.finish { pieces.append(String(decoding: $0, as: UTF8.self)) }
        return pieces
    }

    @Test func aReadOfWholeLinesIsOnePieceWithItsBytesUnchanged() {
        #expect(pieces(["a\r\nb\n\nc\n"]) == ["a\r\nb\n\nc\n"])
        // An unfinished line waits for the read that finishes it.
        #expect(pieces(["one\ntw", "o\nthree\nfo", "ur"]) == ["one\n", "two\nthree\n", "four"])
        // Overlong lines are still cut; a cut piece ends its chunk.
        #expect(pieces(["ok\nabcdefghij\nend\n"], maxLineBytes: 4) == ["ok\nabcd", "efgh", "ij\nend\n"])
    }

    @Test func aChunkGivesItsLastLinesOnly() {
        let chunk = OutputChunk(stepID: "s", stream: .stderr, bytes: Array("one\r\ntwo\nthree\n".utf8))
        #expect(chunk.lines.map(\.text) == ["one", "two", "three"])
        #expect(chunk.lastLines(2).map(\.text) == ["two", "three"])
        #expect(chunk.lines.allSatisfy { $0.stream == .stderr && $0.stepID == "s" && $0.time == chunk.time })
        #expect(OutputChunk(stepID: "s", stream: .stdout, bytes: Array("\n\nx".utf8)).lines.map(\.text) == ["", "", "x"])
        #expect(OutputChunk(stepID: "s", stream: .stdout, bytes: []).lines.isEmpty)
    }

    @Test func secretsAreMaskedInEachLineOfAChunkAsInALine() {
        let redactor = SecretRedactor(values: ["hunter2", "two\nlines here"])
        let masked = redactor.redact(bytes: Array("a hunter2\nb ".utf8) + [0xFF] + Array(" two\nlines here\n".utf8))
        // A secret of several lines is masked line by line, as when lines came one at a time.
        #expect(masked == Array("a ***\nb ".utf8) + [0xFF] + Array(" two\n***\n".utf8))
        let line = "x two\nlines here y"
        #expect(redactor.redact(bytes: Array(line.utf8)) == Array(line.split(separator: "\n").map { redactor.redact(String($0)) }.joined(separator: "\n").utf8))
    }

    /// A chunk of `size` bytes: one line of `mark`s.
    func chunk(_ size: Int, _ mark: Character = "a") -> OutputChunk {
        OutputChunk(stepID: "s", stream: .stdout, bytes: [UInt8](repeating: mark.asciiValue!, count: size - 1) + [0x0A])
    }

    @Test func theBacklogHoldsOutputBackOnceFrontEndsLag() {
        let backlog = OutputBacklog(limit: 100)
        var held = backlog.admit(chunk(60), logPath: "/logs/s.log")
        #expect(held.map(\.bytes.count) == [60])
        #expect(backlog.bytesInFlight == 60)
        // Past the limit: one notice, then nothing, while the first chunk is still held.
        let notice = backlog.admit(chunk(60, "b"), logPath: "/logs/s.log")
        #expect(notice.map(\.stream) == [.baton])
        #expect(notice.first?.lines.first?.text.hasSuffix("the full output is in /logs/s.log") == true)
        #expect(backlog.admit(chunk(50, "c"), logPath: "/logs/s.log").isEmpty)
        // Once the front end has let go of it, output flows again: a count of what was left
        // out, the last chunk held back, then the new one.
        held = []
        #expect(backlog.bytesInFlight == 0)
        let resumed = backlog.admit(chunk(10, "d"), logPath: "/logs/s.log")
        #expect(resumed.map(\.stream) == [.baton, .stdout, .stdout])
        #expect(resumed.first?.lines.first?.text == "… 60 bytes of output were left out here; the full output is in /logs/s.log")
        #expect(resumed.dropFirst().map(\.bytes) == [chunk(50, "c").bytes, chunk(10, "d").bytes])
        #expect(backlog.bytesInFlight == 60)
        _ = held
    }

    @Test func theEndOfAStreamReleasesTheLastChunkHeldBack() {
        let backlog = OutputBacklog(limit: 100)
        let first = backlog.admit(chunk(90), logPath: nil)
        #expect(backlog.admit(chunk(30, "b"), logPath: nil).map(\.stream) == [.baton])
        #expect(backlog.admit(chunk(30, "c"), logPath: nil).isEmpty)
        // The front end is still behind, but the stream has ended: it gets the real end.
        let end = backlog.streamEnded(OutputChunk(stepID: "s", stream: .stdout, bytes: []), logPath: nil)
        #expect(end.map(\.stream) == [.baton, .stdout])
        #expect(end.first?.lines.first?.text == "… 30 bytes of output were left out here")
        #expect(end.last?.bytes == chunk(30, "c").bytes)
        #expect(backlog.streamEnded(OutputChunk(stepID: "s", stream: .stderr, bytes: []), logPath: nil).isEmpty)
        _ = first
    }

    @Test func outputNobodyReadsStaysBoundedAndIsAllLogged() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let total = 3 * OutputBacklog.defaultLimit
        // Nothing reads `updates`: everything published stays in the stream's buffer.
        let engine = try await S.startedEngine(
            [S.shell("chatty", "yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c \(total)")], runDirectory: directory)
        #expect(try await S.settle(engine, limit: .seconds(60)) == .finished(.succeeded))
        // The limit, and the last chunk held back, released when the stream ended.
        #expect(engine.outputBacklog.bytesInFlight <= OutputBacklog.defaultLimit + (2 << 20))
        #expect(engine.outputBacklog.bytesInFlight > 0)
        // What was published still ends where the output ended.
        _ = await engine.waitUntilFinished()
        var last: OutputChunk?
        for await update in engine.updates { if case .output(let chunk) = update, chunk.stream == .stdout { last = chunk } }
        // The log holds every byte, between the attempt's opening line and its closing line,
        // which starts a line of its own (the output's last line has no newline).
        let log = try Data(contentsOf: URL(fileURLWithPath: directory.logsPath + "/chatty.log"))
        let start = try #require(log.firstIndex(of: 0x0A)) + 1
        #expect(AttemptMarker.isOpening(String(decoding: log[..<(start - 1)], as: UTF8.self)))
        let output = log[start..<(start + total)]
        #expect(String(decoding: log[(start + total)...], as: UTF8.self).hasPrefix("\nattempt 1 ended: exit 0 after "))
        #expect(last.map { Data($0.bytes) == output.suffix($0.bytes.count) } == true)
    }
}
