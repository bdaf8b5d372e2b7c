import BatonEngine
import Foundation
import Testing

/// Reusable workflows through the real binary: `baton validate` lists the calls, a run keeps
/// copies of the files it calls and resumes with them after the originals are gone, an edited
/// copy is refused, and a called file that holds a secret's value never starts a run.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct CalledWorkflowCommandLineTests {
    /// A scratch folder with `main.yaml` calling `lib/build.yaml`, whose `check` step fails
    /// until the file `go` exists.
    struct Scratch {
        let path = NSTemporaryDirectory() + "baton-uses-\(UUID().uuidString.prefix(8))"
        var state: String { path + "/state" }
        var main: String { path + "/main.yaml" }
        var library: String { path + "/lib/build.yaml" }

        init() throws {
            try FileManager.default.createDirectory(atPath: path + "/lib", withIntermediateDirectories: true)
            try """
                name: release
                steps:
                  build:
                    uses: lib/build.yaml
                    with: {target: staging}
                  report:
                    needs: build
                    run: test "$STEPS_BUILD_OUTPUTS_TARGET" = staging
                """.write(toFile: main, atomically: true, encoding: .utf8)
            try """
                concurrency: 1
                params:
                  target: {required: true}
                outputs:
                  target: steps.check.outputs.target
                steps:
                  check:
                    run: test -e '\(path)/go' && echo "target=$PARAMS_TARGET" >> "$BATON_OUTPUT"
                """.write(toFile: library, atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }

        /// The one run recorded under the state folder.
        func run() throws -> RunDirectory {
            let runs = try FileManager.default.contentsOfDirectory(atPath: state + "/runs")
            try #require(runs.count == 1, "\(runs)")
            return RunDirectory(path: state + "/runs/" + runs[0])
        }
    }

    private func baton(_ arguments: [String], environment: [String] = []) async throws -> ChildProcess.Result {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        return try await ChildProcess.finish("/usr/bin/env", ["-u", "TOKEN"] + environment + [ConsoleEndToEndTests.binary] + arguments, within: .seconds(60))
    }

    @Test func validateListsTheCallsAndTheSettingsThatDoNotApply() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = try await baton(["validate", scratch.main])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains(
            "ok — 'release': 2 steps in 2 layers, 'build' calls \(scratch.path)/lib/build.yaml (1 step), whose 'concurrency' applies only when it runs on its own, on_failure wait"),
            "\(result.output)")
    }

    @Test func aRunResumesWithItsCopiesAfterTheCalledFileIsGoneAndRefusesAnEditedCopy() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let first = try await baton(["run", scratch.main, "--headless", "--unattended", "--state-dir", scratch.state])
        #expect(first.status == 1, "the called step fails and the run waits: \(first.output)")
        let run = try scratch.run()
        #expect(FileManager.default.fileExists(atPath: run.calledFilesPath + "/manifest.json"))

        // The original goes; a copy that would fail differently must not be what runs.
        try FileManager.default.removeItem(atPath: scratch.library)
        try FileManager.default.createDirectory(atPath: scratch.library, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: scratch.path + "/go", contents: nil)
        let resumed = try await baton(["resume", run.runID, "--retry-failed", "--headless", "--unattended", "--state-dir", scratch.state])
        #expect(resumed.status == 0, "\(resumed.output)")
        let state = try JournalReader.fold(try run.readJournal().events)
        #expect(state["build.check"]?.state == .succeeded && state["report"]?.state == .succeeded)

        // An edited copy is refused, and the refusal records nothing.
        let copy = run.calledFilesPath + "/1-build.yaml"
        let text = try String(contentsOfFile: copy, encoding: .utf8)
        try text.replacingOccurrences(of: "test -e", with: "test -f").write(toFile: copy, atomically: true, encoding: .utf8)
        let before = try run.readJournal().events
        let refused = try await baton(["resume", run.runID, "--retry-failed", "--headless", "--unattended", "--state-dir", scratch.state])
        #expect(refused.status == 2, "\(refused.output)")
        #expect(refused.output.contains("was edited after the run started: the called workflow 'lib/build.yaml' changed"), "\(refused.output)")
        #expect(try run.readJournal().events == before)
    }

    @Test func aCalledFileThatHoldsASecretsValueNeverStartsARun() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try "secrets: [TOKEN]\nsteps:\n  build:\n    uses: lib/deploy.yaml\n".write(toFile: scratch.main, atomically: true, encoding: .utf8)
        try "steps:\n  deploy:\n    run: deploy --token hunter22\n".write(toFile: scratch.path + "/lib/deploy.yaml", atomically: true, encoding: .utf8)
        let refused = try await baton(["run", scratch.main, "--headless", "--state-dir", scratch.state], environment: ["TOKEN=hunter22"])
        #expect(refused.status == 2, "\(refused.output)")
        #expect(refused.output.contains("\(scratch.path)/lib/deploy.yaml:3:25: the file holds the value of the secret 'TOKEN'"), "\(refused.output)")
        #expect(!FileManager.default.fileExists(atPath: scratch.state + "/runs"), "nothing is stored")
    }
}
