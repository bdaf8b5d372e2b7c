import Foundation
import Testing
@testable import BatonEngine

/// A run keeps what it needs to run on the same hosts again: a copy of its inventory file
/// (`--inventory`), covered by the definition's digest like the files it calls, and the folder
/// its workflow's `ssh_config:` is found from. A resume, attach or replay loads the same hosts
/// after the inventory file changed or vanished; an edited copy is refused and named.
@Suite struct InventoryResumeTests {
    typealias S = EngineTestSupport

    /// A folder whose `main.yaml` has a gate, then a step on the group `web` of `fleet.yaml`.
    private func fleetFolder(main extra: String = "") throws -> WorkflowFolder {
        try WorkflowFolder([
            "main.yaml": "name: fleet\n\(extra)steps:\n  gate:\n    approval: true\n  restart:\n    on: web\n    needs: gate\n    run: restart\n",
            "fleet.yaml": "hosts:\n  web1: deploy@10.0.0.11:2222\n  web2: web2\ngroups:\n  web: [web1, web2]\n",
        ])
    }

    /// Starts a recorded run of the folder's `main.yaml` with `fleet.yaml` as its inventory,
    /// waits for the gate, and closes it (its Baton leaves it waiting); returns its directory.
    private func runUntilTheGate(_ folder: WorkflowFolder, inventory: String? = "fleet.yaml") async throws -> RunDirectory {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let definition = try folder.definition(inventory: inventory)
        let configuration = EngineConfiguration(
            runID: "hosts-\(UUID().uuidString.prefix(8))", user: "tester", runDirectory: directory, syncJournal: false)
        let engine = try Engine(
            workflow: definition.workflow, workflowText: definition.text, calledFiles: definition.calledFiles, configuration: configuration)
        await engine.start()
        try await S.waitFor(engine) { $0["gate"]?.state == .waiting }
        _ = await engine.close(by: "tester")
        return directory
    }

    @Test func theRunKeepsItsInventoryFileAndResumesOnTheSameHostsWhenTheFileIsGone() async throws {
        let folder = try fleetFolder()
        let inventoryPath = "\(folder.path)/fleet.yaml"
        let definition = try folder.definition(inventory: "fleet.yaml")
        #expect(definition.calledFiles.files == [CalledFile(path: inventoryPath, text: try String(contentsOfFile: inventoryPath, encoding: .utf8), isInventory: true)])
        let directory = try await runUntilTheGate(folder)

        let manifest = try String(contentsOfFile: directory.calledFilesPath + "/manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"inventory\" : true"), "\(manifest)")
        let stored = try directory.readStoredDefinition()
        #expect(stored.calledFiles.inventory?.path == inventoryPath)
        let started = try #require(try directory.readJournal().events.first)
        #expect(started.definitionDigest == DefinitionFingerprint(text: stored.text, calledFiles: stored.calledFiles.files).digest)
        #expect(started.definitionDigest != DefinitionFingerprint(text: stored.text).digest, "the digest covers the inventory file")
        #expect(started.definitionParts?.dictionary["inventory:\(inventoryPath)"] != nil)

        try folder.write("fleet.yaml", "hosts:\n  web1: elsewhere\n")
        try folder.remove("fleet.yaml")
        let run = try directory.resumeCheck(environment: [:]).get()
        #expect(run.workflow.stepIDs == ["gate", "restart[web1]", "restart[web2]"])
        #expect(run.workflow.inventory == definition.workflow.inventory)
        #expect(run.workflow["restart[web1]"]?.host == "web1" && run.workflow["restart[web1]"]?.env["BATON_HOST_ADDRESS"] == "10.0.0.11")
        #expect(try directory.loadStoredWorkflow() == run.workflow, "attach, replay, logs and top load the same")
    }

    @Test func anEditedStoredInventoryIsRefusedAndNamed() async throws {
        let folder = try fleetFolder()
        let directory = try await runUntilTheGate(folder)
        let copy = directory.calledFilesPath + "/1-fleet.yaml"
        let text = try String(contentsOfFile: copy, encoding: .utf8)
        try text.replacingOccurrences(of: "10.0.0.11", with: "10.6.6.6").write(toFile: copy, atomically: true, encoding: .utf8)
        let refusal = try #require(directory.resumeCheck(environment: [:]).failure)
        #expect(refusal.description.contains(
            "was edited after the run started: the inventory file '\(folder.path)/fleet.yaml' changed"), "\(refusal.description)")
        try text.write(toFile: copy, atomically: true, encoding: .utf8)
        #expect(directory.resumeCheck(environment: [:]).failure == nil)
    }

    @Test func theWorkflowsSSHConfigIsFoundWhereTheRunFoundItAndMustStillBeThere() async throws {
        let folder = try fleetFolder(main: "hosts:\n  web1: a\n  web2: b\ngroups:\n  web: [web1, web2]\nssh_config: ssh/config\n")
        try folder.write("ssh/config", "Host *\n  BatchMode yes\n")
        let directory = try await runUntilTheGate(folder, inventory: nil)
        let stored = try directory.readStoredDefinition()
        #expect(stored.calledFiles.folder == folder.path, "the run keeps the folder its workflow was in")
        #expect(stored.calledFiles.files.isEmpty)
        let run = try directory.resumeCheck(environment: [:]).get()
        #expect(run.workflow.inventory.sshConfig == "\(folder.path)/ssh/config", "not a path inside the run's directory")

        try folder.remove("ssh/config")
        let refusal = try #require(directory.resumeCheck(environment: [:]).failure)
        #expect(refusal.description.contains("connects to its hosts with the ssh_config \(folder.path)/ssh/config, which is no longer there"), "\(refusal.description)")
        #expect(try directory.loadStoredWorkflow().inventory.sshConfig == "\(folder.path)/ssh/config", "attach and replay still load it")
    }

    @Test func aRunWithoutAnInventoryOrSSHConfigStoresNothingMore() async throws {
        let folder = try fleetFolder(main: "hosts:\n  web1: a\ngroups:\n  web: [web1]\n")
        let directory = try await runUntilTheGate(folder, inventory: nil)
        #expect(!FileManager.default.fileExists(atPath: directory.calledFilesPath))
        #expect(try directory.loadStoredWorkflow().stepIDs == ["gate", "restart[web1]"])
    }

    @Test func theFingerprintNamesTheInventoryFile() {
        let text = "steps:\n  a:\n    on: web1\n    run: x\n"
        let before = [CalledFile(path: "/srv/fleet.yaml", text: "hosts: {web1: a}\n", isInventory: true)]
        let fingerprint = DefinitionFingerprint(text: text, calledFiles: before)
        var started = RunEvent(kind: .runStarted)
        started.steps = fingerprint.stepIDs
        started.definitionDigest = fingerprint.digest
        started.definitionParts = fingerprint.parts
        #expect(DefinitionFingerprint(text: text, calledFiles: [CalledFile(path: "/srv/fleet.yaml", text: "hosts: {web1: b}\n", isInventory: true)])
            .changes(since: started) == ["the inventory file '/srv/fleet.yaml' changed"])
        #expect(DefinitionFingerprint(text: text).changes(since: started) == ["the inventory file '/srv/fleet.yaml' is no longer stored"])
        #expect(DefinitionFingerprint(text: text, calledFiles: before.map { CalledFile(path: $0.path, text: $0.text) }).digest != fingerprint.digest,
                "an inventory is never taken for a called workflow of the same text")
    }

    @Test func aShownWorkflowKeepsItsInventory() throws {
        let workflow = try WorkflowLoader.load(yaml: "name: hunter22\nhosts: {web1: a}\nsteps:\n  s: {on: web1, run: x}\n", file: "wf.yaml")
        let shown = SecretRedactor(values: ["hunter22"]).redact(workflow)
        #expect(shown.name == "***" && shown.inventory == workflow.inventory)
    }
}

private extension Result {
    /// The error of a failure; nil for a success.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
