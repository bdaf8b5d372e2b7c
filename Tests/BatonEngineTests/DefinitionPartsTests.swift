import Foundation
import Testing
@testable import BatonEngine

/// The parts are kept as the JSON `run_started` holds: keys in the order `String` sorts them,
/// escaped as the journal escapes strings, and read back to the same entries.
@Suite struct DefinitionPartsTests {
    @Test func thePartsAreWrittenAsASortedJSONObject() {
        let parts: DefinitionParts = ["steps.b.run": "2222", "name": "\"q\"\n", "steps.a.needs": "1111", "steps.a": "0000"]
        #expect(String(decoding: parts.json, as: UTF8.self)
                == #"{"name":"\"q\"\n","steps.a":"0000","steps.a.needs":"1111","steps.b.run":"2222"}"#)
        #expect(parts.dictionary == ["steps.b.run": "2222", "name": "\"q\"\n", "steps.a.needs": "1111", "steps.a": "0000"])
    }

    @Test func keysSortAsStringsSortThemWhateverTheirScript() {
        let entries = ["uses:é.yaml": "1", "uses:e.yaml": "2", "uses:z.yaml": "3", "uses:日本.yaml": "4", "steps.x.run": "5", "uses:E.yaml": "6"]
        let parts = DefinitionParts(entries)
        var expected: [UInt8] = []
        for (index, key) in entries.keys.sorted().enumerated() {
            expected += Array((index == 0 ? "{" : ",").utf8)
            RunEvent.appendJSONString(key, to: &expected)
            expected += Array(":".utf8)
            RunEvent.appendJSONString(entries[key] ?? "", to: &expected)
        }
        expected += Array("}".utf8)
        #expect(parts.json == expected)
        #expect(parts.dictionary == entries)
    }

    @Test func ofTwoPartsWithOneKeyTheLastAddedStands() {
        var builder = DefinitionParts.Builder()
        builder.add(key: "steps.a.run", value: "first")
        builder.add(key: "other", value: "x")
        builder.add(step: "a", field: "run", canonical: Array("p4:true".utf8))
        let parts = builder.build()
        #expect(parts.dictionary.count == 2)
        #expect(parts.dictionary["steps.a.run"]?.count == DefinitionFingerprint.partLength)
        #expect(parts.dictionary["steps.a.run"] != "first")
    }

    @Test func noPartsAreAnEmptyObject() {
        let parts = DefinitionParts([:])
        #expect(parts.isEmpty)
        #expect(String(decoding: parts.json, as: UTF8.self) == "{}")
        #expect(!DefinitionParts(["a": "b"]).isEmpty)
    }

    @Test func aJournalLineReadsBackToTheSameParts() throws {
        var event = RunEvent(kind: .runStarted)
        event.definitionParts = ["steps.a.run": "0123456789abcdef", "name": "fedcba9876543210"]
        let line = event.jsonLine()
        let read = try #require(RunEvent(journalLine: line))
        #expect(read.definitionParts == event.definitionParts)
        let decoded = try JSONDecoder().decode(RunEvent.self, from: Data(line))
        #expect(decoded.definitionParts == event.definitionParts)
    }
}
