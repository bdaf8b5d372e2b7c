import BatonEngine
import Foundation

/// The frozen journals in `Tests/Fixtures/journals`: one run directory (`events.jsonl` and
/// `workflow.yaml`) per journal, written by real runs and never edited.
///
/// `format2-*` were recorded by this Baton from `RecordedScenario`s; set
/// `BATON_RECORD_FIXTURES=1` and run `JournalFixtureTests` to record them again (only when
/// the format changes on purpose). `format1-*` were written by the release before journal
/// format 2 (`baton-before run … --headless`): one interrupted with SIGINT while `deploy`
/// ran, one killed with SIGKILL after `on_failure: stop` had halted it and while `slow` ran.
enum JournalFixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/journals").path

    /// The scenarios recorded as format-2 fixtures, by fixture name.
    static let recorded: [(name: String, scenario: RecordedScenario)] = [
        ("format2-success", .success),
        ("format2-failure-stop", .failureStop),
        ("format2-failure-rollback", .failureRollback),
        ("format2-approved-gate", .approvedGate),
        ("format2-rejected-gate", .rejectedGate),
        ("format2-cancelled-run", .cancelledRun),
        ("format2-rollback-run", .rollbackOfTheRun),
    ]

    /// Whether this test run records the format-2 fixtures again.
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
