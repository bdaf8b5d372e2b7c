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

    @Test func theBacklogHoldsOutputBackOnceFrontEndsLag() {
        let backlog = OutputBacklog(limit: 100)
        func chunk(_ size: Int) -> OutputChunk {
            OutputChunk(stepID: "s", stream: .stdout, bytes: [UInt8](repeating: 0x61, count: size - 1) + [0x0A])
        }
        var held = backlog.admit(chunk(60), logPath: "/logs/s.log")
        #expect(held.map(\.bytes.count) == [60])
        #expect(backlog.bytesInFlight == 60)
        // Past the limit: one notice, then nothing, while the first chunk is still held.
        let notice = backlog.admit(chunk(60), logPath: "/logs/s.log")
        #expect(notice.map(\.stream) == [.baton])
        #expect(notice.first?.lines.first?.text.hasSuffix("the full output is in /logs/s.log") == true)
        #expect(backlog.admit(chunk(50), logPath: "/logs/s.log").isEmpty)
        // Once the front end has let go of it, output flows again, after a count of what was left out.
        held = []
        #expect(backlog.bytesInFlight == 0)
        let resumed = backlog.admit(chunk(10), logPath: "/logs/s.log")
        #expect(resumed.map(\.stream) == [.baton, .stdout])
        #expect(resumed.first?.lines.first?.text == "… 110 bytes of output were left out here; the full output is in /logs/s.log")
        #expect(backlog.bytesInFlight == 10)
        _ = held
    }

    @Test func outputNobodyReadsStaysBoundedAndIsAllLogged() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let total = 3 * OutputBacklog.defaultLimit
        // Nothing reads `updates`: everything published stays in the stream's buffer.
        let engine = try await S.startedEngine(
            [S.shell("chatty", "yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c \(total)")], runDirectory: directory)
        #expect(try await S.settle(engine, limit: .seconds(60)) == .finished(.succeeded))
        #expect(engine.outputBacklog.bytesInFlight <= OutputBacklog.defaultLimit)
        #expect(engine.outputBacklog.bytesInFlight > 0)
        let size = try FileManager.default.attributesOfItem(atPath: directory.logsPath + "/chatty.log")[.size] as? Int
        #expect(size == total)
    }
}
