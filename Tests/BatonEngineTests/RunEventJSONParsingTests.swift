import Foundation
import Testing
@testable import BatonEngine

/// The journal's own reader and `JSONDecoder` agree on every line, or the reader leaves the
/// line to `JSONDecoder`.
@Suite struct RunEventJSONParsingTests {
    /// Every journal in the fixtures, line by line.
    @Test func everyFixtureLineReadsAsJSONDecoderReadsIt() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/journals")
        let files = try #require(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".jsonl") }
        try #require(!files.isEmpty)
        var read = 0
        for file in files {
            let data = try Data(contentsOf: root.appendingPathComponent(file))
            for line in data.split(separator: 0x0A) where !line.isEmpty {
                guard let expected = try? JSONDecoder().decode(RunEvent.self, from: Data(line)) else { continue }
                let fast = try #require(RunEvent(journalLine: line), "left to JSONDecoder: \(String(decoding: line, as: UTF8.self))")
                #expect(fast == expected, "\(file): \(String(decoding: line, as: UTF8.self))")
                read += 1
            }
        }
        #expect(read > 100)
    }

    /// Lines Baton writes with every field and hostile text read back whole.
    @Test func writtenLinesReadBackWhole() throws {
        var event = RunEvent(seq: 7, time: 1_796_498_253.316, kind: .command)
        event.step = "deploy \"web\" \\ é\u{1}\t\n"
        event.state = .failed
        event.attempt = 2
        event.exitCode = -9
        event.outputs = ["a-b": "x\ny", "": "\u{0}"]
        event.reason = "/path/with/slashes"
        event.command = "approve"
        event.user = "nobody"
        event.comment = "🚀 ok"
        event.accepted = false
        event.approvers = ["group:ops", "alice"]
        event.runID = "r"
        event.workflow = "w"
        event.steps = []
        event.concurrency = 4
        event.outcome = .rolledBack
        event.simulated = true
        event.format = 3
        event.compensate = true
        event.reasons = ["one", "two"]
        event.definitionDigest = "abc"
        event.definitionParts = [:]
        let line = event.jsonLine()
        #expect(RunEvent(journalLine: line) == event)
        #expect(try JSONDecoder().decode(RunEvent.self, from: Data(line)) == event)
    }

    /// What this reader does not read exactly is left to JSONDecoder, never misread.
    @Test func anythingElseIsLeftToJSONDecoder() {
        let lines = [
            #"{"seq":1,"time":1,"kind":"step","unknown":1}"#,
            #"{"seq":1.5,"time":1,"kind":"step"}"#,
            #"{"seq":1,"time":1,"kind":"nope"}"#,
            #"{"seq":1,"time":1}"#,
            #"{"seq":1,"time":1,"kind":"step","step":"\u00e9"}"#,
            #"{"seq":1,"time":1,"kind":"step"} trailing"#,
            #"{"seq":1,"time":1,"kind":"step","step":"cut"#,
            #"{"seq":99999999999999999999,"time":1,"kind":"step"}"#,
            #"{"seq":-,"time":1,"kind":"step"}"#,
            #"{"seq":1e3,"time":1,"kind":"step"}"#,
            #"{"seq":1,"time":1,"kind":"step","step":"a\qb"}"#,
        ]
        for line in lines { #expect(RunEvent(journalLine: Array(line.utf8)) == nil, "\(line)") }
        let invalidUTF8 = Array(#"{"seq":1,"time":1,"kind":"step","step":""#.utf8) + [0xFF] + Array(#""}"#.utf8)
        #expect(RunEvent(journalLine: invalidUTF8) == nil, "text that is not UTF-8")
        #expect(RunEvent(journalLine: Array(#"{"kind":"step","seq":3,"step":null,"time":2.5}"#.utf8)) == RunEvent(seq: 3, time: 2.5, kind: .step))
        var escaped = RunEvent(seq: -4, time: 2.5, kind: .step)
        escaped.step = "tab\there \"quoted\" \u{1}"
        #expect(RunEvent(journalLine: Array(#"{"kind":"step","seq":-4,"step":"tab\there \"quoted\" \u0001","time":2.5}"#.utf8)) == escaped,
                "escapes after plain text, and a negative number")
    }
}
