@testable import BatonEngine
import Foundation
import Testing
@testable import BatonConsole

/// The search of a step's log file finds what the lines in memory no longer hold, in either
/// form of log, and matches each line as the log pane would show it.
@Suite struct LogFileSearchTests {
    enum LogForm: String, CaseIterable {
        /// Bytes as printed, with a `.log.index` (what Baton writes now).
        case indexed
        /// `<UTC time> <stream> <text>` per line, no index (what Baton wrote before).
        case older
    }

    /// A folder of its own for one test, removed when the test is done with it.
    final class Scratch {
        let path = NSTemporaryDirectory() + "baton-log-search-\(UUID().uuidString.prefix(8))"
        init() { try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Writes `texts` as the log of step `flood` in `form`; returns its path.
    func writeLog(_ texts: [String], form: LogForm, in scratch: Scratch) throws -> String {
        switch form {
        case .indexed:
            let store = try StepLogStore(directory: scratch.path) { Issue.record("unexpected failure: \($0)") }
            // Chunks of 1,000 lines, as a chatty step's output arrives.
            for start in stride(from: 0, to: texts.count, by: 1_000) {
                let bytes = Array(texts[start..<min(start + 1_000, texts.count)].map { $0 + "\n" }.joined().utf8)
                store.write(OutputChunk(stepID: "flood", stream: .stdout, bytes: bytes))
            }
            store.closeAll()
            return store.path(for: "flood")
        case .older:
            let path = scratch.path + "/flood.log"
            let text = texts.map { "2026-12-02T17:12:46.123Z out \($0)\n" }.joined()
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    /// 20,000 numbered lines, with a needle at line 3 and, in the window, at line 19,999.
    static let haystack: [String] = (1...20_000).map { number in
        number == 3 || number == 19_999 ? "line \(number): the Needle is here" : "line \(number)"
    }

    @Test(arguments: LogForm.allCases)
    func aNeedleBeforeTheWindowIsFoundAndShown(form: LogForm) throws {
        let scratch = Scratch()
        let path = try writeLog(Self.haystack, form: form, in: scratch)
        let search = LogFileSearch(serial: 1, stepID: "flood", path: path, query: "needle", windowLines: StepLog.limit, excludesWindow: true)
        let result = try #require(search.run { false })
        #expect(result.totalLines == 20_000)
        #expect(result.windowStart == 15_001)
        // Line 19,999 is among the last 5,000, which the console holds and searched itself.
        #expect(result.matches == [3])
        #expect(result.matchCount == 1)
        #expect(result.place(of: 3) == "before the window")
        let excerpt = try #require(result.excerpt)
        #expect(excerpt.focus == 3)
        #expect(excerpt.firstLine == 1)
        #expect(excerpt.lines.count == 3 + LogExcerpt.radius)
        #expect(excerpt.lines[2].text == "line 3: the Needle is here")
        #expect(excerpt.lines.last?.text == "line \(3 + LogExcerpt.radius)")
        #expect(!excerpt.reachesEnd)

        // When the lines in memory hold no match, the ones the engine held back from them (a
        // step printing faster than the console takes) are reported too.
        var everything = search
        everything.excludesWindow = false
        let all = try #require(everything.run { false })
        #expect(all.matches == [3, 19_999])
        #expect(all.excerpt?.focus == 19_999)
        #expect(all.place(of: 19_999) == "not among the lines in memory")
    }

    @Test(arguments: LogForm.allCases)
    func anExcerptIsReadAroundAnyLine(form: LogForm) throws {
        let scratch = Scratch()
        let path = try writeLog(Self.haystack, form: form, in: scratch)
        let middle = try #require(LogExcerptRequest(serial: 2, stepID: "flood", path: path, line: 12_345).run { false })
        #expect(middle.firstLine == 12_345 - LogExcerpt.radius)
        #expect(middle.lines.count == 2 * LogExcerpt.radius + 1)
        #expect(middle.lines[LogExcerpt.radius].text == "line 12345")
        let end = try #require(LogExcerptRequest(serial: 3, stepID: "flood", path: path, line: 19_990).run { false })
        #expect(end.lastLine == 20_000)
        #expect(end.reachesEnd)
    }

    @Test func aSearchThatIsNoLongerWantedStopsAndAnUnreadableLogIsSaid() throws {
        let scratch = Scratch()
        let path = try writeLog(Self.haystack, form: .indexed, in: scratch)
        var looks = 0
        let cancelled = LogFileSearch(serial: 1, stepID: "flood", path: path, query: "needle", windowLines: 0, excludesWindow: false).run {
            looks += 1
            return true
        }
        #expect(cancelled == nil)
        #expect(looks == 1, "the scan stopped at its first look")
        #expect(LogFileSearch(serial: 1, stepID: "flood", path: scratch.path + "/none.log", query: "x", windowLines: 0, excludesWindow: false).run { false } == nil)
    }

    /// Lines whose bytes the pane shows changed: each must match a query exactly when its
    /// shown text does.
    @Test func lineBytesMatchAsTheirShownTextDoes() {
        let lines: [[UInt8]] = [
            Array("plain ASCII text with an ERROR in it".utf8),
            Array("crlf line with error\r".utf8),
            Array("tab\tseparated\terror".utf8),
            Array("\u{1B}[31merror in red\u{1B}[0m".utf8),
            Array("Straße und STRASSE, fehler".utf8),
            [0x62, 0x61, 0x64, 0xFF, 0x20, 0x65, 0x72, 0x72, 0x6F, 0x72],
            Array(String(repeating: "x", count: VisibleText.displayLimit + 10).utf8) + Array(" error past the cut".utf8),
            Array("error".utf8),
            [],
        ]
        let queries = ["error", "ERROR", "\\e[31m", "\\xFF", "e   s", "straße", "ss", "r\\r", "x error", "more bytes", " ", "t\ts"]
        for bytes in lines {
            bytes.withUnsafeBytes { buffer in
                let line = StepLogScanner.Line(number: 1, stream: .stdout, time: Date(), bytes: buffer)
                let shown = StepLog.visible(line.outputLine(stepID: "s")).text
                for query in queries {
                    #expect(LogLineMatcher(query: query).matches(line) == LogSearch.matches(shown, query: query),
                            "query \(query) on \(shown)")
                }
            }
        }
    }
}
