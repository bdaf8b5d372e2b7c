import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// A run named by the start of its id or of the id's last part, or by `last`, in every kind of
/// command that takes a run; an ambiguous or unknown reference is refused with what to do.
@Suite(.timeLimit(.minutes(2))) struct RunReferenceTests {
    /// Three runs of two workflows. The last two share their start second, and the one whose
    /// id sorts last started first.
    private func runs() throws -> JSONOutputTests.Scratch {
        let scratch = try JSONOutputTests.Scratch()
        try scratch.record(
            JournalBuilder(runID: "20270115-080000-3f2a", workflow: "deploy", startTime: 1_800_000_000).runStarted(steps: ["a"]).succeeded("a"),
            steps: ["a"])
        try scratch.record(
            JournalBuilder(runID: "20270115-090000-c9d1", workflow: "etl", startTime: 1_800_003_600.5).runStarted(steps: ["a"]).succeeded("a"),
            steps: ["a"])
        try scratch.record(
            JournalBuilder(runID: "20270115-090000-fff0", workflow: "deploy", startTime: 1_800_003_600.1).runStarted(steps: ["a"]).succeeded("a"),
            steps: ["a"])
        return scratch
    }

    /// The run id `baton runs --audit REFERENCE --json` reports.
    private func resolved(_ reference: String, in scratch: JSONOutputTests.Scratch) async throws -> String? {
        let result = try await SeparateStreams.baton(["runs", "--audit", reference, "--json", "--state-dir", scratch.stateDir])
        #expect(result.status == 0, "\(reference): \(result.stdout)\(result.stderr)")
        return (try result.document() as? [String: Any])?["run_id"] as? String
    }

    @Test func aStartOfTheIdOrOfItsLastPartNamesTheOneRunItBegins() async throws {
        let scratch = try runs()
        defer { scratch.remove() }
        #expect(try await resolved("20270115-080000-3f2a", in: scratch) == "20270115-080000-3f2a")
        #expect(try await resolved("20270115-08", in: scratch) == "20270115-080000-3f2a")
        #expect(try await resolved("3f2", in: scratch) == "20270115-080000-3f2a")
        #expect(try await resolved("c9", in: scratch) == "20270115-090000-c9d1")
        #expect(try await resolved(scratch.state.runDirectory("20270115-090000-fff0").path, in: scratch) == "20270115-090000-fff0")
    }

    @Test func lastIsTheRunThatStartedLastEvenWithinOneSecond() async throws {
        let scratch = try runs()
        defer { scratch.remove() }
        #expect(try await resolved("last", in: scratch) == "20270115-090000-c9d1")

        let empty = try JSONOutputTests.Scratch()
        defer { empty.remove() }
        let none = try await SeparateStreams.baton(["replay", "last", "--state-dir", empty.stateDir])
        #expect(none.status == 2)
        #expect(none.stderr.contains("there is no last run: no runs are recorded in \(empty.stateDir)/runs"), "\(none.stderr)")
    }

    @Test func anAmbiguousStartListsTheRunsItMatches() async throws {
        let scratch = try runs()
        defer { scratch.remove() }
        let result = try await SeparateStreams.baton(["runs", "--audit", "20270115", "--json", "--state-dir", scratch.stateDir])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "baton: run '20270115' is ambiguous: 3 runs match it", "\(result.stderr)")
        // Newest first, each with its workflow and start time as `baton runs` shows them.
        #expect(lines.count == 5, "\(result.stderr)")
        #expect(lines[1].hasPrefix("  20270115-090000-fff0  deploy  started "), "\(result.stderr)")
        #expect(lines[2].hasPrefix("  20270115-090000-c9d1  etl     started "), "\(result.stderr)")
        #expect(lines[3].hasPrefix("  20270115-080000-3f2a  deploy  started "), "\(result.stderr)")
        #expect(lines[4] == "  give more of the id (baton runs lists the runs)")
    }

    @Test func anAmbiguousStartOfManyRunsListsAFewAndCountsTheRest() async throws {
        let scratch = try JSONOutputTests.Scratch()
        defer { scratch.remove() }
        for number in 1...8 {
            try scratch.record(JournalBuilder(runID: "20270115-08000\(number)-ab0\(number)").runStarted(steps: ["a"]), steps: ["a"])
        }
        let result = try await SeparateStreams.baton(["logs", "ab", "a", "--state-dir", scratch.stateDir])
        #expect(result.status == 2)
        #expect(result.stderr.contains("run 'ab' is ambiguous: 8 runs match it"), "\(result.stderr)")
        #expect(result.stderr.contains("  and 3 more; give more of the id"), "\(result.stderr)")
        #expect(result.stderr.contains("20270115-080008-ab08") && !result.stderr.contains("20270115-080003-ab03"), "\(result.stderr)")
    }

    @Test func anUnknownRunSaysSoAndPointsAtTheListing() async throws {
        let scratch = try runs()
        defer { scratch.remove() }
        let result = try await SeparateStreams.baton(["runs", "--audit", "zz9", "--json", "--state-dir", scratch.stateDir])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "baton: no run 'zz9' in \(scratch.stateDir)/runs (baton runs lists the runs)\n", "\(result.stderr)")
        let path = try await SeparateStreams.baton(["replay", scratch.path + "/nowhere", "--state-dir", scratch.stateDir])
        #expect(path.status == 2)
        #expect(path.stderr.contains("no run in '\(scratch.path)/nowhere': there is no journal at \(scratch.path)/nowhere/events.jsonl"), "\(path.stderr)")
    }

    /// Each kind of command that takes a run resolves it the same way: the operator verbs,
    /// resume and rollback, replay, logs, watch, attach and graph --run.
    @Test func everyCommandTakingARunResolvesTheSameReferences() async throws {
        let scratch = try runs()
        defer { scratch.remove() }
        let state = ["--state-dir", scratch.stateDir]
        // A run nobody serves: the verbs reach the run, then find no host.
        let approve = try await SeparateStreams.baton(["approve", "3f2", "a"] + state)
        #expect(approve.status == 1, "\(approve.stderr)")
        #expect(approve.stderr.contains("baton: run 20270115-080000-3f2a: cannot approve"), "\(approve.stderr)")
        let cancel = try await SeparateStreams.baton(["cancel", "last"] + state)
        #expect(cancel.stderr.contains("baton: run 20270115-090000-c9d1:"), "\(cancel.stderr)")

        let replay = try await SeparateStreams.baton(["replay", "last"] + state)
        #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
        #expect(replay.stdout.hasPrefix("replay of run 20270115-090000-c9d1 of 'etl'"), "\(replay.stdout)")

        let logs = try await SeparateStreams.baton(["logs", "fff", "a"] + state)
        #expect(logs.status == 0, "\(logs.stdout)\(logs.stderr)")

        let watch = try await SeparateStreams.baton(["watch", "c9d"] + state)
        #expect(watch.stdout.contains("20270115-090000-c9d1") || watch.stderr.contains("20270115-090000-c9d1"), "\(watch.stdout)\(watch.stderr)")

        let resume = try await SeparateStreams.baton(["resume", "3f2", "--headless", "--unattended"] + state)
        #expect(resume.stdout.contains("20270115-080000-3f2a") || resume.stderr.contains("20270115-080000-3f2a"), "\(resume.stdout)\(resume.stderr)")

        let file = try scratch.file("one.yaml", "name: deploy\nsteps:\n  a:\n    run: \"true\"\n")
        let graph = try await SeparateStreams.baton(["graph", file, "--run", "3f2a", "--json"] + state)
        #expect((try graph.document() as? [String: Any])?["run_id"] as? String == "20270115-080000-3f2a")

        for command in [["approve", "20270115", "a"], ["resume", "20270115"], ["rollback", "20270115"], ["attach", "20270115"], ["watch", "20270115"]] {
            let refused = try await SeparateStreams.baton(command + state)
            #expect(refused.status == 2, "\(command): \(refused.stderr)")
            #expect(refused.stderr.hasPrefix("baton: run '20270115' is ambiguous: 3 runs match it"), "\(command): \(refused.stderr)")
        }
    }
}
