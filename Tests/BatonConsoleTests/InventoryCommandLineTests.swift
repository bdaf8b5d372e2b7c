import BatonEngine
import Foundation
import Testing

/// The hosts inventory through the real binary: `baton validate` says the hosts and which steps
/// run on them, `--inventory` joins a file's hosts to the workflow's and its problems name it,
/// and a run keeps a copy of the inventory file, so `baton resume` loads the same hosts after
/// the file is gone.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct InventoryCommandLineTests {
    /// A scratch folder with `main.yaml`, a gate then steps on `db1` (its own host) and on the
    /// group `web` of `inv/fleet.yaml`, whose `ssh_config:` sits beside it.
    struct Scratch {
        let path = NSTemporaryDirectory() + "baton-hosts-\(UUID().uuidString.prefix(8))"
        var state: String { path + "/state" }
        var main: String { path + "/main.yaml" }
        var fleet: String { path + "/inv/fleet.yaml" }

        init() throws {
            try FileManager.default.createDirectory(atPath: path + "/inv", withIntermediateDirectories: true)
            try """
                name: fleet
                hosts:
                  db1: admin@db1.internal
                steps:
                  gate:
                    approval: true
                  migrate:
                    on: db1
                    needs: gate
                    run: ./migrate
                  restart:
                    on: web
                    needs: migrate
                    batch: 1
                    run: sudo systemctl restart app
                """.write(toFile: main, atomically: true, encoding: .utf8)
            try """
                hosts:
                  web1: deploy@10.0.0.11:2222
                  web2: web2
                groups:
                  web: [web1, web2]
                ssh_config: ssh_config
                """.write(toFile: fleet, atomically: true, encoding: .utf8)
            try "Host *\n  BatchMode yes\n".write(toFile: path + "/inv/ssh_config", atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }

        /// The one run recorded under the state folder.
        func run() throws -> RunDirectory {
            let runs = try FileManager.default.contentsOfDirectory(atPath: state + "/runs")
            try #require(runs.count == 1, "\(runs)")
            return RunDirectory(path: state + "/runs/" + runs[0])
        }
    }

    private func baton(_ arguments: [String]) async throws -> ChildProcess.Result {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        return try await ChildProcess.finish(ConsoleEndToEndTests.binary, arguments, within: .seconds(60))
    }

    @Test func validateSaysTheHostsAndWhatRunsOnThem() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = try await baton(["validate", scratch.main, "--inventory", scratch.fleet])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains(
            "ok — 'fleet': 4 steps in 3 layers, 1 gate, inventory of 3 hosts, 1 group and its own ssh_config, "
                + "'restart' runs on each of 2 hosts, 'migrate' runs on db1, on_failure wait"),
            "\(result.output)")

        let alone = try await baton(["validate", scratch.main])
        #expect(alone.status == 2)
        #expect(alone.output.contains("\(scratch.main):12:9: 'on' in step 'restart' names 'web', which is not a host or a group of the inventory"), "\(alone.output)")

        try "hosts:\n  web1: -oProxyCommand=sh\n".write(toFile: scratch.fleet, atomically: true, encoding: .utf8)
        let bad = try await baton(["validate", scratch.main, "--inventory", scratch.fleet])
        #expect(bad.status == 2)
        #expect(bad.output.contains("\(scratch.fleet):2:9: 'hosts.web1': '-oProxyCommand=sh' is not an ssh destination: it starts with '-'"), "\(bad.output)")
    }

    @Test func aRunKeepsItsInventoryAndResumesWithItAfterTheFileIsGone() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let missing = try await baton(["run", scratch.main, "--inventory", scratch.path + "/nowhere.yaml", "--headless", "--state-dir", scratch.state])
        #expect(missing.status == 2 && missing.output.contains("nowhere.yaml:1:1: cannot read the inventory file"), "\(missing.output)")

        // Nobody approves the gate, so nothing runs on a host; the run waits for an operator.
        let first = try await baton(["run", scratch.main, "--inventory", scratch.fleet, "--headless", "--unattended", "--state-dir", scratch.state])
        #expect(first.status == 1, "\(first.output)")
        let run = try scratch.run()
        let manifest = try String(contentsOfFile: run.calledFilesPath + "/manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"inventory\" : true"), "\(manifest)")
        #expect(try run.readStoredDefinition().calledFiles.inventory?.path == scratch.fleet)
        let journal = try String(contentsOfFile: run.eventsPath, encoding: .utf8)
        #expect(journal.contains("restart[web1]") && journal.contains("restart[web2]"))

        try FileManager.default.removeItem(atPath: scratch.fleet)
        let resumed = try await baton(["resume", run.runID, "--retry-failed", "--headless", "--unattended", "--state-dir", scratch.state])
        #expect(resumed.status == 1, "the gate is rejected again, which it can only be once the stored workflow loads: \(resumed.output)")
        #expect(!resumed.output.contains("does not load"), "\(resumed.output)")
        #expect(try run.loadStoredWorkflow().inventory.hosts.map(\.name) == ["db1", "web1", "web2"])
    }
}
