import Foundation
import Testing
@testable import BatonEngine

/// A run that calls other workflow files keeps copies of them: it resumes, attaches and
/// replays with what it ran, even after the files changed or vanished; an edited stored copy
/// is refused as an edited `workflow.yaml` is, and no stored copy may hold a secret.
@Suite struct ReusableWorkflowResumeTests {
    typealias S = EngineTestSupport

    /// A folder whose `main.yaml` calls `lib.yaml`: a gate, then a step that writes which
    /// copy of the file it ran from into `which`.
    private func gatedFolder() throws -> WorkflowFolder {
        let folder = try WorkflowFolder([:])
        try folder.write("main.yaml", """
            name: gated
            env:
              OUT: "\(folder.path)"
            steps:
              build:
                uses: lib.yaml
            """)
        try folder.write("lib.yaml", """
            steps:
              gate:
                approval: true
              work:
                needs: gate
                run: printf stored > "$OUT/which"
            """)
        return folder
    }

    /// Starts a recorded run of the folder's `main.yaml`, waits for the gate, and closes it
    /// (its Baton leaves it waiting); returns its directory.
    private func runUntilTheGate(_ folder: WorkflowFolder) async throws -> RunDirectory {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let definition = try folder.definition()
        let configuration = EngineConfiguration(
            runID: "uses-\(UUID().uuidString.prefix(8))", user: "tester", runDirectory: directory, syncJournal: false)
        let engine = try Engine(
            workflow: definition.workflow, workflowText: definition.text, calledFiles: definition.calledFiles,
            configuration: configuration)
        await engine.start()
        try await S.waitFor(engine) { $0["build.gate"]?.state == .waiting }
        _ = await engine.close(by: "tester")
        return directory
    }

    @Test func theRunStoresEveryCalledFileAndTheDigestCoversThem() async throws {
        let folder = try gatedFolder()
        let directory = try await runUntilTheGate(folder)
        let stored = try directory.readStoredDefinition()
        #expect(stored.calledFiles.main == "main.yaml")
        #expect(stored.calledFiles.files == [CalledFile(path: "lib.yaml", text: try String(contentsOfFile: folder.path + "/lib.yaml", encoding: .utf8))])
        #expect(FileManager.default.fileExists(atPath: directory.calledFilesPath + "/manifest.json"))
        let started = try #require(try directory.readJournal().events.first)
        let fingerprint = DefinitionFingerprint(text: stored.text, calledFiles: stored.calledFiles.files)
        #expect(started.definitionDigest == fingerprint.digest)
        #expect(started.definitionDigest != DefinitionFingerprint(text: stored.text).digest, "the digest covers the called files")
        #expect(started.definitionParts?.dictionary["uses:lib.yaml"] != nil)
    }

    @Test func aResumeRunsTheStoredCopyAfterTheCalledFileChangedAndVanished() async throws {
        let folder = try gatedFolder()
        let directory = try await runUntilTheGate(folder)
        try folder.write("lib.yaml", "steps:\n  gate:\n    approval: true\n  work:\n    needs: gate\n    run: printf edited > \"$OUT/which\"\n")
        try folder.remove("lib.yaml")

        let run = try directory.resumeCheck(environment: [:]).get()
        #expect(run.workflow.stepIDs == ["build.gate", "build.work"])
        #expect(try directory.loadStoredWorkflow() == run.workflow, "attach, replay, logs and top load the same")
        let configuration = EngineConfiguration(runID: run.state.runID, user: "tester", runDirectory: directory, syncJournal: false)
        let engine = try Engine(workflow: run.workflow, resuming: run.events, configuration: configuration)
        await engine.start()
        #expect(await engine.approve("build.gate", by: "tester").isAccepted)
        #expect(try await S.settle(engine) == .finished(.succeeded))
        #expect(try String(contentsOfFile: folder.path + "/which", encoding: .utf8) == "stored")
    }

    @Test func anEditedStoredCopyIsRefusedAndNamed() async throws {
        let folder = try gatedFolder()
        let directory = try await runUntilTheGate(folder)
        let copy = directory.calledFilesPath + "/1-lib.yaml"
        let text = try String(contentsOfFile: copy, encoding: .utf8)
        try text.replacingOccurrences(of: "printf stored", with: "printf edited").write(toFile: copy, atomically: true, encoding: .utf8)
        let refusal = try #require(directory.resumeCheck(environment: [:]).failure)
        #expect(refusal.description.contains("was edited after the run started: the called workflow 'lib.yaml' changed"), "\(refusal.description)")
        #expect(refusal.description.contains("put the files back as they were"))

        // Put back, it resumes; left out of the index, it is named as gone.
        try text.write(toFile: copy, atomically: true, encoding: .utf8)
        #expect(directory.resumeCheck(environment: [:]).failure == nil)
        try #"{"main": "main.yaml", "files": []}"#.write(toFile: directory.calledFilesPath + "/manifest.json", atomically: true, encoding: .utf8)
        let gone = try #require(directory.resumeCheck(environment: [:]).failure)
        #expect(gone.description.contains("the called workflow 'lib.yaml' is no longer stored"), "\(gone.description)")
    }

    @Test func aMissingStoredCopyIsRefused() async throws {
        let folder = try gatedFolder()
        let directory = try await runUntilTheGate(folder)
        try FileManager.default.removeItem(atPath: directory.calledFilesPath + "/1-lib.yaml")
        let refusal = try #require(directory.resumeCheck(environment: [:]).failure)
        #expect(refusal.description.hasPrefix("cannot read the stored workflow of run \(directory.runID):\n\(directory.calledFilesPath)/1-lib.yaml"), "\(refusal.description)")
        #expect(throws: WorkflowLoadError.self) { try directory.loadStoredWorkflow() }
    }

    @Test func aCalledFileThatHoldsASecretIsNeverStored() throws {
        let workflow = Workflow(name: "w", secrets: ["TOKEN"], steps: [Step(id: "a", run: "true")])
        let called = CalledFiles(main: "main.yaml", files: [CalledFile(path: "lib.yaml", text: "steps:\n  a:\n    run: deploy --token hunter22\n")])
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let configuration = EngineConfiguration(runID: "secret", user: "tester", runDirectory: directory, syncJournal: false, environment: ["TOKEN": "hunter22"])
        #expect(throws: JournalError.self) {
            _ = try Engine(workflow: workflow, workflowText: "name: w\n", calledFiles: called, configuration: configuration)
        }
        #expect(!FileManager.default.fileExists(atPath: directory.calledFilesPath))
        let problems = SecretsInDefinition.problems(
            in: "secrets: [TOKEN]\n", calling: called, of: workflow, file: "main.yaml", calledFileName: { "lib/\($0)" },
            environment: ["TOKEN": "hunter22"])
        #expect(problems.map(\.description) == [
            "lib/lib.yaml:3:25: the file holds the value of the secret 'TOKEN'; Baton stores the file as written, so a secret may only come from the environment: write $TOKEN in its place",
        ])
    }

    @Test func theFingerprintNamesEachCalledFileThatChanged() {
        let text = "steps:\n  a:\n    uses: lib.yaml\n"
        let before = [CalledFile(path: "lib.yaml", text: "steps: {x: {run: a}}\n"), CalledFile(path: "other.yaml", text: "steps: {y: {run: b}}\n")]
        let fingerprint = DefinitionFingerprint(text: text, calledFiles: before)
        var started = RunEvent(kind: .runStarted)
        started.steps = fingerprint.stepIDs
        started.definitionDigest = fingerprint.digest
        started.definitionParts = fingerprint.parts
        #expect(DefinitionFingerprint(text: text, calledFiles: before.reversed()).changes(since: started).isEmpty, "the order files were called in does not matter")
        let after = [CalledFile(path: "lib.yaml", text: "steps: {x: {run: b}}\n"), CalledFile(path: "new.yaml", text: "steps: {}\n")]
        #expect(DefinitionFingerprint(text: text, calledFiles: after).changes(since: started) == [
            "the called workflow 'lib.yaml' changed", "the called workflow 'new.yaml' was added", "the called workflow 'other.yaml' is no longer stored",
        ])
    }

    @Test func theFingerprintComparesTheStepsAsWrittenNotAsExpanded() throws {
        let text = "steps:\n  deploy:\n    for_each: [a, b]\n    run: deploy\n  build:\n    uses: lib.yaml\nfinally:\n  tidy:\n    run: tidy\n"
        let fingerprint = DefinitionFingerprint(text: text)
        var started = RunEvent(kind: .runStarted)
        started.steps = ["deploy[a]", "deploy[b]", "build.compile", "build.pack", "tidy"]
        started.definitionDigest = fingerprint.digest
        started.definitionParts = fingerprint.parts
        let edited = text.replacingOccurrences(of: "run: deploy", with: "run: deploy --fast")
        #expect(DefinitionFingerprint(text: edited).changes(since: started) == ["step 'deploy' changed 'run'"])
    }
}

private extension Result {
    /// The error of a failure; nil for a success.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
