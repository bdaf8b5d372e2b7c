import BatonEngine
import Foundation
import Testing

/// A scratch folder for the reopening tests: a four-step pipeline whose steps append their
/// names to a file each time they run (so a step that runs again shows), its state directory,
/// and the real `baton` binary to run against it.
///
/// `test` fails until the file `fixed` exists; `build`, `test` and `ship` have rollbacks that
/// append `undo-<step>` (with `failingShipRollback`, that of `ship` fails until the file
/// `rollback-fixed` exists); `docs` needs only `build`.
struct PipelineScratch {
    let directory: String
    var state: String { directory + "/state" }
    var file: String { directory + "/pipeline.yaml" }

    /// Writes the pipeline with `onFailure` (wait, stop or rollback) and `concurrency`.
    init(onFailure: String = "wait", concurrency: Int = 1, failingShipRollback: Bool = false) throws {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        directory = NSTemporaryDirectory() + "baton-reopen-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let ran = "'\(directory)/ran'"
        let workflow = """
            name: pipeline
            on_failure: \(onFailure)
            concurrency: \(concurrency)
            steps:
              build:
                run: echo build >> \(ran)
                rollback: echo undo-build >> \(ran)
              test:
                needs: [build]
                run: echo test >> \(ran); test -f '\(directory)/fixed'
                rollback: echo undo-test >> \(ran)
              ship:
                needs: [test]
                run: echo ship >> \(ran)
                rollback: echo undo-ship >> \(ran)\(failingShipRollback ? "; test -f '\(directory)/rollback-fixed'" : "")
              docs:
                needs: [build]
                run: echo docs >> \(ran)
            """
        try workflow.write(toFile: file, atomically: true, encoding: .utf8)
    }

    /// Removes the folder.
    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Makes `test` pass from now on.
    func fix() {
        _ = FileManager.default.createFile(atPath: directory + "/fixed", contents: nil)
    }

    /// Makes the rollback of `ship` succeed from now on.
    func fixRollback() {
        _ = FileManager.default.createFile(atPath: directory + "/rollback-fixed", contents: nil)
    }

    /// What the steps and rollbacks wrote, in order.
    var ran: [String] {
        ((try? String(contentsOfFile: directory + "/ran", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// How many times each step ran.
    var runs: [String: Int] {
        ran.reduce(into: [:]) { counts, line in counts[line, default: 0] += 1 }
    }

    /// Runs `baton` with `arguments` and `--state-dir`, stdin from /dev/null.
    func baton(_ arguments: String...) async throws -> ChildProcess.Result {
        try await ChildProcess.finish(ConsoleEndToEndTests.binary, arguments + ["--state-dir", state], within: .seconds(30))
    }

    /// The one recorded run.
    var runID: String {
        get throws { try #require(try FileManager.default.contentsOfDirectory(atPath: state + "/runs").first) }
    }

    var run: RunDirectory {
        get throws { RunDirectory(path: state + "/runs/" + (try runID)) }
    }

    /// The journal's bytes, to show that a refused request changed nothing.
    var journal: Data {
        get throws { try Data(contentsOf: URL(fileURLWithPath: try run.eventsPath)) }
    }

    /// The fold of the journal.
    var folded: RunState {
        get throws { try JournalReader.fold(try run.readJournal().events) }
    }
}
