import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// The test journal builder writes journals the engine's own reader takes as its own.
@Suite struct JournalBuilderTests {
    @Test func numbersEventsAndAttemptsAsTheEngineDoes() throws {
        let journal = JournalBuilder(startTime: 1_800_000_000)
            .runStarted(steps: ["a"])
            .step("a", .running).step("a", .suspended).step("a", .running).step("a", .retrying, exitCode: 1)
            .step("a", .running).step("a", .succeeded, exitCode: 0)
            .finished(.succeeded)
        #expect(journal.events.map(\.seq) == Array(1...8))
        #expect(journal.events.map(\.time) == (0..<8).map { 1_800_000_000 + Double($0) * 0.25 })
        #expect(journal.events.filter { $0.state == .running }.map(\.attempt) == [1, nil, 2])
        let state = try journal.state()
        #expect(state["a"]?.attempt == 2)
        #expect(state["a"]?.exitCodes == [1, 0])
        #expect(state.format == RunEvent.formatVersion)
        #expect(state.outcome == .succeeded)
    }

    @Test func writesARunDirectoryThatReadsBack() throws {
        let directory = RunDirectory(path: EngineTestSupport.temporaryDirectory() + "/run")
        let journal = JournalBuilder().runStarted(steps: ["a"]).step("a", .running)
        try journal.write(to: directory, workflowText: "name: built\n", tail: Array("{\"kind\":".utf8))
        let contents = try directory.readJournal()
        #expect(contents.events == journal.events)
        #expect(contents.ignoredTornLine)
        #expect(try String(contentsOfFile: directory.workflowPath, encoding: .utf8) == "name: built\n")
    }
}
