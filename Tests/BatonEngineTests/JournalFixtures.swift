import BatonEngine
import Foundation

/// The frozen journals in `Tests/Fixtures/journals`: one run directory (`events.jsonl` and
/// `workflow.yaml`) per journal, written by real runs and never edited.
///
/// `format5-*` were recorded by this Baton from `RecordedScenario`s; set
/// `BATON_RECORD_FIXTURES=1` and run `JournalFixtureTests` to record them again (only when
/// the format changes on purpose). `format3-*` and `format2-*` were recorded the same way by
/// the releases before journal formats 4 and 3, and are frozen. `format1-*` were written by the release before journal
/// format 2 (`baton-before run … --headless`): one interrupted with SIGINT while `deploy`
/// ran, one killed with SIGKILL after `on_failure: stop` had halted it and while `slow` ran.
enum JournalFixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/journals").path

    /// The scenarios recorded as fixtures of the current format, by fixture name.
    static let recorded: [(name: String, scenario: RecordedScenario)] = [
        ("format5-success", .success),
        ("format5-failure-stop", .failureStop),
        ("format5-failure-rollback", .failureRollback),
        ("format5-approved-gate", .approvedGate),
        ("format5-rejected-gate", .rejectedGate),
        ("format5-cancelled-run", .cancelledRun),
        ("format5-rollback-run", .rollbackOfTheRun),
        ("format5-rollback-after-success", .rollbackOfOneStep),
        ("format5-dynamic-fan-out", .dynamicFanOut),
    ]

    /// The fixtures of format 3, recorded by the release before format 4 and never recorded again.
    static let formatThree = [
        "format3-success", "format3-failure-stop", "format3-failure-rollback", "format3-approved-gate",
        "format3-rejected-gate", "format3-cancelled-run", "format3-rollback-run", "format3-rollback-after-success",
    ]

    /// The fixtures of format 2, recorded by the release before format 3 and never recorded again.
    static let formatTwo = [
        "format2-success", "format2-failure-stop", "format2-failure-rollback", "format2-approved-gate",
        "format2-rejected-gate", "format2-cancelled-run", "format2-rollback-run",
    ]

    /// The format a fixture's name says it was written in.
    static func format(of name: String) -> Int {
        Int(name.dropFirst("format".count).prefix { $0.isNumber }) ?? 0
    }

    /// Whether this test run records the current format's fixtures again.
    static let recording = ProcessInfo.processInfo.environment["BATON_RECORD_FIXTURES"] == "1"

    /// The run directory of a fixture.
    static func directory(_ name: String) -> RunDirectory {
        RunDirectory(path: "\(root)/\(name)")
    }

    /// A copy of a fixture in a fresh directory under `parent`, for a test that resumes it:
    /// the frozen files are never written to.
    static func copy(_ name: String, under parent: String) throws -> RunDirectory {
        let copy = RunDirectory(path: "\(parent)/\(name)")
        try FileManager.default.createDirectory(atPath: copy.path, withIntermediateDirectories: true)
        for file in ["events.jsonl", "workflow.yaml"] {
            try FileManager.default.copyItem(atPath: "\(directory(name).path)/\(file)", toPath: "\(copy.path)/\(file)")
        }
        return copy
    }
}
