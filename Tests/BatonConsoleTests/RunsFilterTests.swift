import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// `baton runs --state`, `--workflow`, `--since` and `--limit`, run as a real process against
/// journals written for the test.
@Suite(.timeLimit(.minutes(2))) struct RunsFilterTests {
    /// The run ids `baton runs --json` lists with `arguments`, newest first.
    private func listed(_ scratch: JSONOutputTests.Scratch, _ arguments: [String]) async throws -> [String] {
        let result = try await SeparateStreams.baton(["runs", "--json", "--state-dir", scratch.stateDir] + arguments)
        #expect(result.status == 0, "\(arguments): \(result.stdout)\(result.stderr)")
        let runs = try #require(try result.document() as? [[String: Any]])
        return runs.compactMap { $0["run_id"] as? String }
    }

    /// Three runs: a deploy that succeeded a minute ago, an etl that failed three hours ago and
    /// a deploy rolled back three days ago.
    private func threeRuns() throws -> JSONOutputTests.Scratch {
        let scratch = try JSONOutputTests.Scratch()
        let now = Date().timeIntervalSince1970.rounded(.down)
        try scratch.record(
            JournalBuilder(runID: "20270101-000000-0001", workflow: "deploy", startTime: now - 3 * 86_400)
                .runStarted(steps: ["a"]).succeeded("a").finished(.rolledBack),
            steps: ["a"])
        try scratch.record(
            JournalBuilder(runID: "20270101-000000-0002", workflow: "etl", startTime: now - 3 * 3_600)
                .runStarted(steps: ["a"]).step("a", .running).step("a", .failed, exitCode: 1).finished(.failed),
            steps: ["a"])
        try scratch.record(
            JournalBuilder(runID: "20270101-000000-0003", workflow: "deploy", startTime: now - 60)
                .runStarted(steps: ["a"]).succeeded("a").finished(.succeeded),
            steps: ["a"])
        return scratch
    }

    @Test func stateSelectsByTheJSONNameOrTheTablesWords() async throws {
        let scratch = try threeRuns()
        defer { scratch.remove() }
        #expect(try await listed(scratch, ["--state", "failed"]) == ["20270101-000000-0002"])
        #expect(try await listed(scratch, ["--state", "rolled_back"]) == ["20270101-000000-0001"])
        #expect(try await listed(scratch, ["--state", "rolled back"]) == ["20270101-000000-0001"])
        #expect(try await listed(scratch, ["--state", "Rolled-Back"]) == ["20270101-000000-0001"])
        #expect(try await listed(scratch, ["--state", "failed", "--state", "succeeded"]) == ["20270101-000000-0003", "20270101-000000-0002"])
        #expect(try await listed(scratch, ["--state", "waiting for an operator"]).isEmpty)

        // The table lists the same run.
        let table = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["runs", "--state", "failed", "--state-dir", scratch.stateDir])
        let rows = table.output.split(separator: "\n")
        #expect(rows.count == 2 && rows[1].hasPrefix("20270101-000000-0002"), "\(table.output)")
    }

    @Test func aMisspeltStateIsRefusedWithTheStatesAndTheClosestOne() async throws {
        let scratch = try threeRuns()
        defer { scratch.remove() }
        let result = try await SeparateStreams.baton(["runs", "--state", "faild", "--json", "--state-dir", scratch.stateDir])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        #expect(result.stderr.contains("unknown state 'faild'; did you mean 'failed'?"), "\(result.stderr)")
        #expect(result.stderr.contains("states are: not_started, running, stopping, paused, waiting_for_operator, succeeded, failed"), "\(result.stderr)")
        #expect(result.stderr.contains("stopped_unexpectedly, unreadable"), "\(result.stderr)")
    }

    @Test func workflowSelectsByNameAndSuggestsAKnownOne() async throws {
        let scratch = try threeRuns()
        defer { scratch.remove() }
        #expect(try await listed(scratch, ["--workflow", "deploy"]) == ["20270101-000000-0003", "20270101-000000-0001"])
        #expect(try await listed(scratch, ["--workflow", "etl", "--state", "failed"]) == ["20270101-000000-0002"])
        #expect(try await listed(scratch, ["--workflow", "etl", "--state", "succeeded"]).isEmpty)

        let misspelt = try await SeparateStreams.baton(["runs", "--workflow", "deplyo", "--json", "--state-dir", scratch.stateDir])
        #expect(misspelt.status == 0)
        #expect(try #require(try misspelt.document() as? [Any]).isEmpty)
        #expect(misspelt.stderr.contains("no runs of a workflow named 'deplyo'; did you mean 'deploy'?"), "\(misspelt.stderr)")
    }

    @Test func sinceTakesADurationOrAnISODate() async throws {
        let scratch = try threeRuns()
        defer { scratch.remove() }
        #expect(try await listed(scratch, ["--since", "2h"]) == ["20270101-000000-0003"])
        #expect(try await listed(scratch, ["--since", "1h30m", "--workflow", "etl"]).isEmpty)
        #expect(try await listed(scratch, ["--since", "4h"]) == ["20270101-000000-0003", "20270101-000000-0002"])
        // Two days ago, as a date and time in UTC and as a date.
        let twoDaysAgo = Date().addingTimeInterval(-2 * 86_400)
        let zoned = ISO8601DateFormatter()
        #expect(try await listed(scratch, ["--since", zoned.string(from: twoDaysAgo)]) == ["20270101-000000-0003", "20270101-000000-0002"])
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate, .withDashSeparatorInDate]
        day.timeZone = .current
        #expect(try await listed(scratch, ["--since", day.string(from: Date().addingTimeInterval(-5 * 86_400))]).count == 3)

        let bad = try await SeparateStreams.baton(["runs", "--since", "yesterday", "--state-dir", scratch.stateDir])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--since takes a duration (30m, 2h, 1h30m) or an ISO 8601 date or time"), "\(bad.stderr)")
    }

    @Test func sinceReadsADateAndTimeWithoutAZoneAsLocalTime() async throws {
        let scratch = try JSONOutputTests.Scratch()
        defer { scratch.remove() }
        // 08:00 and 09:00 UTC, 10:00 and 11:00 two hours east.
        for (id, start) in [("20270115-080000-aaaa", 1_800_000_000.0), ("20270115-090000-bbbb", 1_800_003_600.0)] {
            try scratch.record(JournalBuilder(runID: id, startTime: start).runStarted(steps: ["a"]), steps: ["a"])
        }
        let east = ["TZ": "Etc/GMT-2"]
        func listed(since: String) async throws -> [String] {
            let result = try await SeparateStreams.baton(["runs", "--json", "--since", since, "--state-dir", scratch.stateDir], environment: east)
            #expect(result.status == 0, "\(result.stderr)")
            return try #require(try result.document() as? [[String: Any]]).compactMap { $0["run_id"] as? String }
        }
        #expect(try await listed(since: "2027-01-15T10:30:00") == ["20270115-090000-bbbb"])
        #expect(try await listed(since: "2027-01-15T09:59:59") == ["20270115-090000-bbbb", "20270115-080000-aaaa"])
        #expect(try await listed(since: "2027-01-15T08:30:00Z") == ["20270115-090000-bbbb"])
        #expect(try await listed(since: "2027-01-15T10:30:00+02:00") == ["20270115-090000-bbbb"])
        #expect(try await listed(since: "2027-01-16").isEmpty)
    }

    @Test func limitZeroListsEveryRunAndANegativeLimitIsRefused() async throws {
        let scratch = try JSONOutputTests.Scratch()
        defer { scratch.remove() }
        for number in 1...25 {
            let id = String(format: "20270101-0000%02d-aaaa", number)
            try scratch.record(JournalBuilder(runID: id, startTime: 1_800_000_000 + Double(number)).runStarted(steps: ["a"]).succeeded("a").finished(.succeeded), steps: ["a"])
        }
        #expect(try await listed(scratch, []).count == 20, "20 by default")
        let all = try await listed(scratch, ["--limit", "0"])
        #expect(all.count == 25)
        #expect(all.first == "20270101-000025-aaaa" && all.last == "20270101-000001-aaaa")
        #expect(try await listed(scratch, ["--limit", "3"]) == ["20270101-000025-aaaa", "20270101-000024-aaaa", "20270101-000023-aaaa"])
        // The limit counts the runs listed, after the filters.
        #expect(try await listed(scratch, ["--limit", "2", "--since", "2027-01-15T08:00:24Z"]) == ["20270101-000025-aaaa", "20270101-000024-aaaa"])

        let table = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["runs", "--limit", "0", "--state-dir", scratch.stateDir])
        #expect(table.status == 0)
        #expect(table.output.split(separator: "\n").count == 26, "a header and every run: \(table.output)")

        let negative = try await SeparateStreams.baton(["runs", "--limit=-1", "--state-dir", scratch.stateDir])
        #expect(negative.status == 2)
        #expect(negative.stderr.contains("--limit must be 0 (all runs) or more"), "\(negative.stderr)")
    }

    @Test func filtersDoNotApplyToAnAuditTrail() async throws {
        let scratch = try threeRuns()
        defer { scratch.remove() }
        let result = try await SeparateStreams.baton(["runs", "--audit", "last", "--state", "failed", "--state-dir", scratch.stateDir])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--audit prints one run's trail"), "\(result.stderr)")
    }
}
