import Foundation
import Synchronization
import Testing
@testable import BatonEngine

/// The log on disk keeps the bytes exactly, is read back in both of its forms and only at its
/// end, and a failure to write it is reported.
@Suite struct StepLogStoreTests {
    typealias S = EngineTestSupport

    /// Collects the failures a store reports.
    final class Failures: Sendable {
        private let storage = Mutex<[String]>([])
        var messages: [String] { storage.withLock { $0 } }
        func record(_ message: String) { storage.withLock { $0.append(message) } }
    }

    @Test func aCarriageReturnBeforeANewlineIsKeptInTheLog() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let engine = try await S.startedEngine([S.shell("crlf", #"printf 'a\r\nb\r\nno newline\r'"#)], runDirectory: directory)
        #expect(try await S.settle(engine) == .finished(.succeeded))
        _ = await engine.waitUntilFinished()
        let path = directory.logsPath + "/crlf.log"
        let log = try Data(contentsOf: URL(fileURLWithPath: path))
        // Between the attempt's markers, the bytes as printed; the closing marker starts a line
        // of its own after the last line, which had no newline.
        let lines = log.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
        try #require(lines.count == 6)
        #expect(AttemptMarker.isOpening(String(decoding: lines[0], as: UTF8.self)))
        #expect(String(decoding: lines[4], as: UTF8.self).hasPrefix("attempt 1 ended: exit 0 after ") && lines[5].isEmpty)
        #expect(Array(lines[1...3].joined(separator: [0x0A])) == Array("a\r\nb\r\nno newline\r".utf8))
        // Read back as the live lines are shown: without the CR.
        let read = StepLogStore.readLines(path: path, stepID: "crlf")
        #expect(read.filter { $0.stream == .stdout }.map(\.text) == ["a", "b", "no newline"])
        #expect(read.map(\.stream) == [.baton, .stdout, .stdout, .stdout, .baton])
    }

    @Test func logsOfTheOlderFormAreStillRead() throws {
        let directory = S.temporaryDirectory()
        let path = directory + "/build.log"
        let older = "2026-12-02T17:12:46.123Z out hello\n2026-12-02T17:12:46.124Z err \u{1B}[31moops\n2026-12-02T17:12:47.000Z baton attempt 2 of 3\n"
        try Data(older.utf8).write(to: URL(fileURLWithPath: path))
        let read = StepLogStore.readLines(path: path, stepID: "build")
        #expect(read.map { "\($0.stream.rawValue) \($0.text)" } == ["out hello", "err \u{1B}[31moops", "baton attempt 2 of 3"])
        #expect(read.first?.time == Date(timeIntervalSince1970: 1_796_231_566.123))

        // A resumed run goes on in the new form after the older lines: both are read, in order.
        let store = try StepLogStore(directory: directory) { Issue.record("unexpected failure: \($0)") }
        store.write(OutputChunk(stepID: "build", stream: .stdout, bytes: Array("again\r\nand more\n".utf8)))
        store.closeAll()
        let both = StepLogStore.readLines(path: path, stepID: "build")
        #expect(both.map(\.text) == ["hello", "\u{1B}[31moops", "attempt 2 of 3", "again", "and more"])
        #expect(both.last?.stream == .stdout)
        // The older bytes stay as they were; the new ones follow exactly.
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data((older + "again\r\nand more\n").utf8))
    }

    @Test func streamsAndTimesComeFromTheIndex() throws {
        let directory = S.temporaryDirectory()
        let store = try StepLogStore(directory: directory) { Issue.record("unexpected failure: \($0)") }
        let early = Date(timeIntervalSince1970: 1_800_000_000)
        store.write(OutputChunk(stepID: "s", stream: .stdout, bytes: Array("one\ntwo\n".utf8), time: early))
        store.write(OutputChunk(stepID: "s", stream: .stderr, bytes: Array("bad\n".utf8), time: early + 1))
        store.write(OutputChunk(stepID: "s", stream: .stdout, bytes: Array("piece".utf8), time: early + 2))
        store.closeAll()
        let read = StepLogStore.readLines(path: store.path(for: "s"), stepID: "s")
        #expect(read.map(\.text) == ["one", "two", "bad", "piece"])
        #expect(read.map(\.stream) == [.stdout, .stdout, .stderr, .stdout])
        #expect(read.map(\.time) == [early, early, early + 1, early + 2])
        // A read of the last bytes only starts on a whole line.
        let tail = StepLogStore.readLines(path: store.path(for: "s"), stepID: "s", maximumBytes: 12)
        #expect(tail.map(\.text) == ["bad", "piece"])
    }

    /// The bytes this thread has read so far (`rchar` of /proc/thread-self/io).
    static func bytesReadByThisThread() throws -> Int {
        let text = try String(contentsOfFile: "/proc/thread-self/io", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("rchar:") })
        return try #require(Int(line.dropFirst("rchar:".count).trimmingCharacters(in: .whitespaces)))
    }

    @Test func theEndOfAHugeLogIsReadWithoutReadingTheRest() throws {
        let directory = S.temporaryDirectory()
        let store = try StepLogStore(directory: directory) { Issue.record("unexpected failure: \($0)") }
        store.write(OutputChunk(stepID: "huge", stream: .stdout, bytes: Array("first\n".utf8)))
        // A 4 GiB log, sparse so the test writes next to nothing, then the last words.
        let path = store.path(for: "huge")
        #expect(truncate(path, 4 << 30) == 0)
        store.write(OutputChunk(stepID: "huge", stream: .stderr, bytes: Array("last words\n".utf8)))
        store.closeAll()
        let before = try Self.bytesReadByThisThread()
        let lines = StepLogStore.readLines(path: path, stepID: "huge", limit: 5, maximumBytes: 64 * 1024)
        let read = try Self.bytesReadByThisThread() - before
        #expect(lines.map(\.text) == ["last words"])
        #expect(lines.map(\.stream) == [.stderr])
        #expect(read <= 3 * 64 * 1024, "read \(read) bytes of a 4 GiB log for its last line")
    }

    @Test func aFullDiskIsReportedOnceWithThePathAndTheReason() throws {
        let directory = S.temporaryDirectory()
        let failures = Failures()
        let store = try StepLogStore(directory: directory) { failures.record($0) }
        // Writes to /dev/full fail with ENOSPC, as on a full disk.
        try FileManager.default.createSymbolicLink(atPath: store.path(for: "full"), withDestinationPath: "/dev/full")
        store.write(OutputChunk(stepID: "full", stream: .stdout, bytes: Array("lost\n".utf8)))
        store.write(OutputChunk(stepID: "full", stream: .stdout, bytes: Array("lost too\n".utf8)))
        store.closeAll()
        #expect(failures.messages == ["cannot write the log of step 'full' (\(store.path(for: "full"))): \(String(cString: strerror(ENOSPC)))"])
    }

    @Test func aRemovedLogDirectoryIsReported() throws {
        let directory = S.temporaryDirectory() + "/logs"
        let failures = Failures()
        let store = try StepLogStore(directory: directory) { failures.record($0) }
        try FileManager.default.removeItem(atPath: directory)
        store.write(OutputChunk(stepID: "gone", stream: .stdout, bytes: Array("nowhere\n".utf8)))
        let index = StepLogStore.indexPath(forLog: store.path(for: "gone"))
        #expect(failures.messages == ["cannot open the log index of step 'gone' (\(index)): \(String(cString: strerror(ENOENT)))"])
    }

    @Test func aFileSizeLimitIsReported() async {
        // RLIMIT_FSIZE applies to a whole process, so the store writes in a child process,
        // which prints what the store reported.
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            signal(SIGXFSZ, SIG_IGN)
            var limit = rlimit(rlim_cur: 4096, rlim_max: 4096)
            guard setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0 else { exit(2) }
            let failures = Failures()
            let directory = NSTemporaryDirectory() + "baton-fsize-\(getpid())"
            guard let store = try? StepLogStore(directory: directory, onWriteFailure: { failures.record($0) }) else { exit(3) }
            store.write(OutputChunk(stepID: "big", stream: .stdout, bytes: [UInt8](repeating: 0x61, count: 8192)))
            store.closeAll()
            try? FileManager.default.removeItem(atPath: directory)
            print(failures.messages.joined(separator: "\n"))
        }
        let printed = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self)
        #expect(printed.hasPrefix("cannot write the log of step 'big' ("), "\(printed)")
        #expect(printed.hasSuffix("big.log): \(String(cString: strerror(EFBIG)))\n"), "\(printed)")
    }
}
