import BatonTestSupport
import Foundation
import Testing
@testable import BatonEngine

/// A scan reads a whole log, of either form, a block at a time, and makes the same lines as
/// `readLines` makes of its end.
@Suite struct StepLogScannerTests {
    typealias S = EngineTestSupport

    /// Every line a scan hands on, decoded, with the numbers it gave them.
    func scanned(_ path: String, stepID: String) -> (numbers: [Int], lines: [OutputLine])? {
        var numbers: [Int] = []
        var lines: [OutputLine] = []
        let count = StepLogScanner(path: path).scan { line in
            numbers.append(line.number)
            lines.append(line.outputLine(stepID: stepID))
            return true
        }
        guard let count else { return nil }
        #expect(count == lines.count)
        return (numbers, lines)
    }

    /// All of a log as `readLines` reads it, with limits far beyond the log's size.
    func readWhole(_ path: String, stepID: String) -> [OutputLine] {
        StepLogStore.readLines(path: path, stepID: stepID, limit: 10_000_000, maximumBytes: 256 << 20)
    }

    @Test func aScanMakesTheLinesReadLinesMakes() throws {
        let directory = S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try StepLogStore(directory: directory) { Issue.record("unexpected failure: \($0)") }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        store.write(OutputChunk(stepID: "s", stream: .stdout, bytes: Array("one\r\ntwo\n\n".utf8), time: start))
        store.write(OutputChunk(stepID: "s", stream: .stderr, bytes: [0x62, 0x61, 0x64, 0xFF, 0x0A], time: start + 1))
        // A piece of a line: the chunk ends without a newline, and the piece is a line of its own.
        store.write(OutputChunk(stepID: "s", stream: .stdout, bytes: Array("piece".utf8), time: start + 2))
        store.write(OutputChunk(stepID: "s", stream: .baton, bytes: Array("attempt 2 of 3\n".utf8), time: start + 3))
        store.closeAll()
        // Bytes a crash left past the last indexed chunk.
        let handle = try #require(FileHandle(forWritingAtPath: store.path(for: "s")))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("tail one\ntail two".utf8))
        try handle.close()

        let (numbers, lines) = try #require(scanned(store.path(for: "s"), stepID: "s"))
        #expect(lines.map(\.text) == ["one", "two", "", "bad\u{FFFD}", "piece", "attempt 2 of 3", "tail one", "tail two"])
        #expect(lines == readWhole(store.path(for: "s"), stepID: "s"))
        #expect(numbers == Array(1...8))
    }

    @Test func anOlderLogAndOneAResumedRunWentOnWithAreReadInOrder() throws {
        let directory = S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/build.log"
        let older = "2026-12-02T17:12:46.123Z out hello\nnot a line of the older form\n2026-12-02T17:12:46.124Z err \u{1B}[31moops\n"
        try Data(older.utf8).write(to: URL(fileURLWithPath: path))
        let alone = try #require(scanned(path, stepID: "build"))
        #expect(alone.lines.map(\.text) == ["hello", "\u{1B}[31moops"])
        #expect(alone.lines == readWhole(path, stepID: "build"))

        let store = try StepLogStore(directory: directory) { Issue.record("unexpected failure: \($0)") }
        store.write(OutputChunk(stepID: "build", stream: .stdout, bytes: Array("again\nand more\n".utf8)))
        store.closeAll()
        let both = try #require(scanned(path, stepID: "build"))
        #expect(both.lines.map(\.text) == ["hello", "\u{1B}[31moops", "again", "and more"])
        #expect(both.lines == readWhole(path, stepID: "build"))
        #expect(both.numbers == [1, 2, 3, 4])
    }

    @Test func linesAcrossBlocksAndChunksAreWhole() throws {
        let directory = S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try StepLogStore(directory: directory) { Issue.record("unexpected failure: \($0)") }
        // About 5 MiB in chunks of uneven sizes, with lines of uneven lengths, so block
        // boundaries fall inside lines and inside chunks.
        var generator = SplitMix64(seed: 7)
        var number = 0
        while number < 120_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(generator.next() % 4_000 + 1) {
                number += 1
                bytes += Array("line \(number) ".utf8) + [UInt8](repeating: 0x78, count: Int(generator.next() % 60)) + [0x0A]
            }
            store.write(OutputChunk(stepID: "big", stream: number % 3 == 0 ? .stderr : .stdout, bytes: bytes))
        }
        store.closeAll()
        let (numbers, lines) = try #require(scanned(store.path(for: "big"), stepID: "big"))
        #expect(lines.count == number)
        #expect(numbers.last == number)
        #expect(lines == readWhole(store.path(for: "big"), stepID: "big"))
    }

    @Test func aScanStopsWhenAskedAndAMissingLogIsNotScanned() throws {
        let directory = S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try StepLogStore(directory: directory) { Issue.record("unexpected failure: \($0)") }
        store.write(OutputChunk(stepID: "s", stream: .stdout, bytes: Array((1...100).map { "line \($0)\n" }.joined().utf8)))
        store.closeAll()
        var seen: [Int] = []
        let count = StepLogScanner(path: store.path(for: "s")).scan { line in
            seen.append(line.number)
            return line.number < 10
        }
        #expect(count == 10)
        #expect(seen == Array(1...10))
        #expect(StepLogScanner(path: directory + "/none.log").scan { _ in true } == nil)
    }
}
