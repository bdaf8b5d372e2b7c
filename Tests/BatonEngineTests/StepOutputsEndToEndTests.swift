import BatonTestSupport
import Foundation
import Testing
@testable import BatonEngine

/// Real shell steps write `$BATON_OUTPUT`; the engine publishes what it can take, fails the
/// step for what it cannot, and the journal says why.
@Suite struct StepOutputsEndToEndTests {
    typealias S = EngineTestSupport

    /// The run's journal, folded as `baton` and a resume read it.
    private func journalState(_ directory: RunDirectory) throws -> RunState {
        try JournalReader.fold(try directory.readJournal().events)
    }

    @Test func aBadOutputLineFailsTheStepAndTheJournalSaysWhere() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let engine = try await S.startedEngine([
            S.shell("produce", "echo 'ok=1' >> \"$BATON_OUTPUT\"; echo 'version 1.2' >> \"$BATON_OUTPUT\"; echo done"),
            S.shell("consume", "true", needs: ["produce"]),
        ], runDirectory: directory)
        _ = try await S.settle(engine)
        _ = await engine.finish(outcome: .failed, reason: "test over")
        _ = await engine.waitUntilFinished()

        let reason = #"exited with code 0, but its output file line 2 is not key=value: "version 1.2""#
        let state = try journalState(directory)
        #expect(state["produce"]?.state == .failed)
        #expect(state["produce"]?.reason == reason)
        #expect(state["produce"]?.exitCodes == [0])
        #expect(state["produce"]?.outputs == [:], "nothing of a bad file is published")
        #expect(state["consume"]?.state == .blocked)
        let log = try String(contentsOfFile: directory.logsPath + "/produce.log", encoding: .utf8)
        #expect(log.contains(#"the output file line 2 is not key=value: "version 1.2"; the step's outputs were not taken"#))
    }

    @Test func aBadOutputFileIsRetriedLikeAnyFailure() async throws {
        let clock = ManualClock()
        let step = Step(
            id: "flaky", run: "echo 'broken' >> \"$BATON_OUTPUT\"",
            retry: RetryPolicy(attempts: 2, backoff: .seconds(5)))
        let engine = try await S.startedEngine([step], clock: clock)
        let events = S.collectEvents(engine)
        try await clock.waitForSleepers(1)
        #expect(await engine.state["flaky"]?.state == .retrying)
        clock.advance(by: .seconds(5))
        _ = try await S.settle(engine)
        _ = await engine.finish(outcome: .failed, reason: "test over")
        let log = await events.value.filter { $0.step == "flaky" && $0.kind == .step }
        #expect(log.map(\.state) == [.running, .retrying, .running, .failed])
        #expect(log[1].reason == #"attempt 1 of 2 exited with code 0, but its output file line 1 is not key=value: "broken"; next in 5s"#)
        #expect(log[3].reason == #"exited with code 0, but its output file line 1 is not key=value: "broken""#)
    }

    @Test func dashedDottedAndMultiLineOutputsReachDependentsAndTheJournal() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let seen = S.temporaryDirectory() + "/seen"
        let produce = """
            echo 'image.tag=v1.4' >> "$BATON_OUTPUT"
            echo 'my-key=dashed' >> "$BATON_OUTPUT"
            printf 'notes<<EOF\\nfirst line\\n\\nthird = line\\nEOF\\n' >> "$BATON_OUTPUT"
            """
        let consume = #"printf '%s|%s|%s' "$STEPS_PRODUCE_OUTPUTS_IMAGE_TAG" "$STEPS_PRODUCE_OUTPUTS_MY_KEY" "$STEPS_PRODUCE_OUTPUTS_NOTES" > "#
            + "'\(seen)'"
        let when = try ConditionParser.parse("steps.produce.outputs['image.tag'] == 'v1.4' && steps.produce.outputs.my-key == 'dashed'")
        let engine = try await S.startedEngine([
            S.shell("produce", produce),
            Step(id: "consume", run: consume, needs: ["produce"], when: when),
        ], runDirectory: directory)
        #expect(try await S.settle(engine) == .finished(.succeeded))
        _ = await engine.waitUntilFinished()

        let expected = ["image.tag": "v1.4", "my-key": "dashed", "notes": "first line\n\nthird = line"]
        #expect(await engine.state["produce"]?.outputs == expected)
        #expect(try journalState(directory)["produce"]?.outputs == expected, "the journal keeps the line breaks")
        #expect(try String(contentsOfFile: seen, encoding: .utf8) == "v1.4|dashed|first line\n\nthird = line")
    }

    @Test func twoKeysForOneVariableFailTheStep() async throws {
        let engine = try await S.startedEngine([
            S.shell("produce", "echo 'my-key=1' >> \"$BATON_OUTPUT\"; echo 'my_key=2' >> \"$BATON_OUTPUT\""),
        ])
        _ = try await S.settle(engine)
        let record = await engine.state["produce"]
        #expect(record?.state == .failed)
        #expect(record?.reason
            == "exited with code 0, but its output file sets 'my-key' (line 1) and 'my_key' (line 2), which would both be $STEPS_PRODUCE_OUTPUTS_MY_KEY; rename one")
        _ = await engine.finish(outcome: .failed, reason: "test over")
    }

    @Test func anOutputFileOverOneMebibyteFailsTheStep() async throws {
        // 1,100,000 bytes of one value: before, it was ignored and the step succeeded.
        let engine = try await S.startedEngine([
            S.shell("produce", "{ printf 'big='; head -c 1099996 /dev/zero | tr '\\0' v; } >> \"$BATON_OUTPUT\""),
        ])
        _ = try await S.settle(engine)
        let record = await engine.state["produce"]
        #expect(record?.state == .failed)
        #expect(record?.reason == "exited with code 0, but its output file is 1100000 bytes, more than the 1 MiB limit")
        _ = await engine.finish(outcome: .failed, reason: "test over")
    }

    @Test func aFailingExitKeepsItsReasonAndNotesTheBadFile() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let engine = try await S.startedEngine([
            S.shell("produce", "echo 'junk' >> \"$BATON_OUTPUT\"; exit 4"),
        ], runDirectory: directory)
        _ = try await S.settle(engine)
        _ = await engine.finish(outcome: .failed, reason: "test over")
        _ = await engine.waitUntilFinished()
        #expect(try journalState(directory)["produce"]?.reason == "exited with code 4")
        let log = try String(contentsOfFile: directory.logsPath + "/produce.log", encoding: .utf8)
        #expect(log.contains(#"the output file line 1 is not key=value: "junk""#))
    }
}
