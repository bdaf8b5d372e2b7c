import BatonTestSupport
import Foundation
import Testing
@testable import BatonEngine

/// The hand-written journal line must be byte for byte what `JSONEncoder` writes.
@Suite struct RunEventJSONLineTests {
    private func encoderLine(_ event: RunEvent) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(event), as: UTF8.self)
    }

    private func line(_ event: RunEvent) -> String { String(decoding: event.jsonLine(), as: UTF8.self) }

    @Test func everyFieldMatchesTheEncoder() throws {
        var event = RunEvent(seq: 7, time: 1796228500.789, kind: .runStarted)
        event.step = "db/primary"
        event.state = .rollbackFailed
        event.attempt = 3
        event.exitCode = -9
        event.outputs = ["b": "two words", "a": "x=y", "ü": "ß"]
        event.reason = "quote \" backslash \\ newline \n tab \t cr \r nul \u{0} bell \u{7} esc \u{1B} del \u{7F}"
        event.command = "rollback"
        event.user = "alice"
        event.comment = "looks good 👍 / ok"
        event.accepted = false
        event.runID = "20261202-160415-f587"
        event.workflow = "three-tier"
        event.steps = ["a", "b\u{8}\u{C}"]
        event.approvers = ["group:release", "bob \"the\" lead"]
        event.concurrency = 2
        event.outcome = .interrupted
        event.simulated = true
        event.definitionDigest = DefinitionFingerprint.sha256("steps: {a: {run: x}}")
        event.definitionParts = ["steps.a-b.run": "0123456789abcdef", "steps.a.needs": "fedcba9876543210", "name": "\"q\""]
        #expect(line(event) == (try encoderLine(event)))
        #expect(line(event).contains("\"definition_digest\":\"") && line(event).contains("\"definition_parts\":{"))
    }

    @Test func sparseEventsAndWholeTimesMatch() throws {
        let cases: [RunEvent] = [
            RunEvent(seq: 1, time: 0, kind: .runPaused),
            RunEvent(seq: 2, time: 1_700_000_000, kind: .runResumed),
            RunEvent(seq: 3, time: 1.5, kind: .runHalted),
            .step("s", .succeeded, exitCode: 0, outputs: [:]),
            .command("approve", step: "gate", user: "bob", comment: "", accepted: true),
        ]
        for event in cases {
            #expect(line(event) == (try encoderLine(event)))
        }
    }

    @Test func generatedEventsMatch() throws {
        var generator = SplitMix64(seed: 42)
        let alphabet = Array("ab/\\\"\n\u{1}é中 =")
        func text() -> String { String((0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }) }
        for seq in 1...300 {
            var event = RunEvent(seq: seq, time: Double(Int.random(in: 0...2_000_000_000_000, using: &generator)) / 1000, kind: .step)
            if Bool.random(using: &generator) { event.step = text() }
            if Bool.random(using: &generator) { event.state = StepState.allCases.randomElement(using: &generator) }
            if Bool.random(using: &generator) { event.attempt = Int.random(in: 1...9, using: &generator) }
            if Bool.random(using: &generator) { event.reason = text() }
            if Bool.random(using: &generator) { event.outputs = Dictionary([(text(), text()), (text(), text())], uniquingKeysWith: { first, _ in first }) }
            #expect(line(event) == (try encoderLine(event)))
        }
    }

    @Test func theLineReadsBackAsTheSameEvent() throws {
        var event = RunEvent.step("deploy", .failed, attempt: 2, exitCode: 1, reason: "exit 1\nsee log")
        event.seq = 12
        let decoded = try JSONDecoder().decode(RunEvent.self, from: Data(event.jsonLine()))
        #expect(decoded == event)
    }
}
