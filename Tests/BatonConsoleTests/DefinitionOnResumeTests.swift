import BatonEngine
import Foundation
import Testing

/// `baton resume` runs the definition the first Baton ran, through the real binary: a file
/// that holds a secret's value never starts (its masked copy could not be run), a run killed
/// with SIGKILL resumes exactly its commands, an edited `workflow.yaml` is refused with what
/// changed, and secrets must be long enough to mask and present in the environment.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct DefinitionOnResumeTests {
    /// A scratch folder with three caches, of which the workflow may delete only `cache-build42`.
    struct Scratch {
        let path = NSTemporaryDirectory() + "baton-definition-\(UUID().uuidString.prefix(8))"
        var state: String { path + "/state" }
        var go: String { path + "/go" }
        let caches = ["cache-build42", "cache-important", "cache-other"]

        init() throws {
            for cache in caches {
                try FileManager.default.createDirectory(atPath: "\(path)/x/\(cache)", withIntermediateDirectories: true)
            }
        }

        /// A workflow whose step `clean` waits for `go` and then runs `rm -rf` on `target`.
        func write(target: String, secret: String = "BUILD_TOKEN", extra: String = "") throws -> String {
            let file = path + "/wf.yaml"
            try """
                secrets: [\(secret)]
                steps:
                  fetch:
                    run: "true"
                  clean:
                    needs: fetch
                    run: until [ -e '\(go)' ]; do sleep 0.02; done; rm -rf '\(path)/x/'\(target)
                \(extra)
                """.write(toFile: file, atomically: true, encoding: .utf8)
            return file
        }

        var remaining: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path + "/x")) ?? []).sorted() }

        func remove() { try? FileManager.default.removeItem(atPath: path) }
    }

    private var binary: String { ConsoleEndToEndTests.binary }

    /// `env ASSIGNMENTS… baton ARGUMENTS…`, waited for as a task.
    private func baton(_ environment: [String], _ arguments: [String], within limit: Duration = .seconds(30)) async throws -> ChildProcess.Result {
        try await ChildProcess.finish("/usr/bin/env", ["-u", "BUILD_TOKEN"] + environment + [binary] + arguments, within: limit)
    }

    /// Starts `baton run FILE` with `BUILD_TOKEN=build42`, waits until `clean` runs, and kills
    /// Baton with SIGKILL; returns the run's directory.
    private func runAndKill(_ file: String, _ scratch: Scratch) async throws -> RunDirectory {
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build baton first: swift build")
        let child = try ChildProcess.start("/usr/bin/env", ["BUILD_TOKEN=build42", binary, "run", file, "--headless", "--state-dir", scratch.state])
        var reaped = false
        defer { if !reaped { kill(child.pid, SIGKILL); _ = try? child.wait(limit: .seconds(10)) } }
        let deadline = ContinuousClock.now + .seconds(60)
        var found: RunDirectory?
        while found == nil, ContinuousClock.now < deadline {
            if let id = (try? FileManager.default.contentsOfDirectory(atPath: scratch.state + "/runs"))?.first {
                let candidate = RunDirectory(path: "\(scratch.state)/runs/\(id)")
                if let events = try? candidate.readJournal().events, (try? JournalReader.fold(events))?["clean"]?.state == .running {
                    found = candidate
                }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let run = try #require(found, "the step never started")
        kill(child.pid, SIGKILL)
        let killed = try await child.exit(within: .seconds(10))
        reaped = true
        #expect(killed.status == 128 + SIGKILL)
        return run
    }

    /// Resumes `run` with `BUILD_TOKEN=build42` and `--rerun-interrupted`, and lets its step
    /// go on only once the resumed Baton has stopped the step the dead one left waiting, so
    /// what deletes the cache is the resumed run.
    private func resume(_ run: RunDirectory, _ scratch: Scratch) async throws -> ChildProcess.Result {
        let child = try ChildProcess.start(
            "/usr/bin/env", ["BUILD_TOKEN=build42", binary, "resume", run.runID, "--headless", "--rerun-interrupted", "--state-dir", scratch.state])
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, !((try? run.readJournal().events) ?? []).contains(where: { $0.kind == .runReopened }) {
            try await Task.sleep(for: .milliseconds(20))
        }
        _ = FileManager.default.createFile(atPath: scratch.go, contents: nil)
        let result = try await child.exit(within: .seconds(30))
        let events = try run.readJournal().events
        let reopened = try #require(events.firstIndex { $0.kind == .runReopened }, "\(result.output)")
        #expect(events[reopened...].contains { $0.step == "clean" && $0.state == .succeeded }, "the resumed run ran clean")
        return result
    }

    @Test func aFileThatHoldsTheSecretsValueIsRefusedAtTheStart() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build baton first: swift build")
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.write(target: "cache-build42")
        _ = FileManager.default.createFile(atPath: scratch.go, contents: nil)
        let refused = try await baton(["BUILD_TOKEN=build42"], ["run", file, "--headless", "--state-dir", scratch.state])
        #expect(refused.status == 2, "\(refused.output)")
        #expect(refused.output.contains("wf.yaml:7:"), "file:line:column: \(refused.output)")
        #expect(refused.output.contains("the file holds the value of the secret 'BUILD_TOKEN'"), "\(refused.output)")
        #expect(!refused.output.contains("build42"), "the value is never shown: \(refused.output)")
        #expect(!FileManager.default.fileExists(atPath: scratch.state + "/runs"), "nothing is stored")
        #expect(scratch.remaining == scratch.caches, "nothing ran")
    }

    @Test func aKilledRunResumesExactlyTheCommandItRan() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.write(target: "cache-$BUILD_TOKEN")
        let written = try String(contentsOfFile: file, encoding: .utf8)
        let run = try await runAndKill(file, scratch)
        #expect(try String(contentsOfFile: run.workflowPath, encoding: .utf8) == written, "stored as written")
        let started = try #require(try run.readJournal().events.first)
        #expect(started.definitionDigest == DefinitionFingerprint.sha256(written))

        let resumed = try await resume(run, scratch)
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(scratch.remaining == ["cache-important", "cache-other"], "only cache-build42 is deleted")
    }

    @Test(arguments: [
        ("a changed command", "rm -rf", "rm -rf -v", "step 'clean' changed 'run'"),
        ("changed needs", "    needs: fetch\n", "", "step 'clean' changed 'needs'"),
        ("an added step", "steps:\n", "steps:\n  more:\n    run: \"true\"\n", "step 'more' was added"),
        ("a comment", "steps:\n", "# looks harmless\nsteps:\n", "only text outside the settings changed"),
    ])
    func anEditedWorkflowIsRefusedOnResume(edit: String, old: String, new: String, named: String) async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.write(target: "cache-$BUILD_TOKEN")
        let run = try await runAndKill(file, scratch)
        // The dead Baton's step still waits for `go`; a refused resume leaves it alone.
        defer { _ = LeftoverProcesses.stop(run: run.runID) }
        let stored = try String(contentsOfFile: run.workflowPath, encoding: .utf8)
        try #require(stored.contains(old))
        try stored.replacingOccurrences(of: old, with: new).write(toFile: run.workflowPath, atomically: true, encoding: .utf8)
        let before = try run.readJournal().events

        let refused = try await baton(["BUILD_TOKEN=build42"], ["resume", run.runID, "--headless", "--rerun-interrupted", "--state-dir", scratch.state])
        #expect(refused.status == 2, "\(edit): \(refused.output)")
        #expect(refused.output.contains("was edited after the run started: \(named)"), "\(edit): \(refused.output)")
        #expect(try run.readJournal().events == before, "\(edit): a refused resume records nothing")
    }

    @Test func aSecretTooShortToMaskIsRefusedAtTheStart() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build baton first: swift build")
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.write(target: "cache-$BUILD_TOKEN")
        let refused = try await baton(["BUILD_TOKEN=x"], ["run", file, "--headless", "--state-dir", scratch.state])
        #expect(refused.status == 2, "\(refused.output)")
        #expect(refused.output.contains("wf.yaml:1:11: the secret 'BUILD_TOKEN' is 1 character long"), "\(refused.output)")
        #expect(!FileManager.default.fileExists(atPath: scratch.state + "/runs"), "nothing is stored")
    }

    @Test func aSecretMissingAtResumeIsRefusedWithItsName() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.write(target: "cache-$BUILD_TOKEN")
        let run = try await runAndKill(file, scratch)
        let before = try run.readJournal().events

        let refused = try await baton([], ["resume", run.runID, "--headless", "--rerun-interrupted", "--state-dir", scratch.state])
        #expect(refused.status == 2, "\(refused.output)")
        #expect(refused.output.contains("needs the secret BUILD_TOKEN, which Baton takes only from the environment: set BUILD_TOKEN"),
                "\(refused.output)")
        #expect(try run.readJournal().events == before, "a refused resume records nothing")

        let resumed = try await resume(run, scratch)
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(scratch.remaining == ["cache-important", "cache-other"])
    }
}
