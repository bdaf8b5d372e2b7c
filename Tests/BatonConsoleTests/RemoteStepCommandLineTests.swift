import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// Steps on hosts through the real binary and real loopback `sshd` servers: a rollback runs on
/// the host of the step it undoes, and a Baton killed mid-step leaves nothing running on the
/// host, and its resume recovers each attempt by its handle.
@Suite(.serialized) struct RemoteStepCommandLineTests {
    private static var binary: String { ConsoleEndToEndTests.binary }

    /// A fresh folder holding `wf.yaml`: workflow `name` on the fleet's hosts web1 and web2,
    /// then `rest` (its groups and steps).
    private func folder(with name: String, on fleet: LoopbackSSHFleet, _ rest: String) throws -> String {
        let directory = NSTemporaryDirectory() + "baton-remote-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "name: \(name)\nssh_config: \(fleet.sshConfigPath)\nhosts: {web1: web1, web2: web2}\n\(rest)"
            .write(toFile: directory + "/wf.yaml", atomically: true, encoding: .utf8)
        return directory
    }

    @Test func aKilledBatonsRemoteStepIsStoppedWhenTheRunIsResumed() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build baton first: swift build")
        let fleet = try await LoopbackSSHFleet.start(["web1", "web2"])
        defer { fleet.stop() }
        let directory = try folder(with: "remote-crash", on: fleet, """
            steps:
              long:
                on: web1
                run: sleep 64
              again:
                on: web2
                idempotent: true
                run: if [ -e "$HOME/once" ]; then echo "ran=again" >> "$BATON_OUTPUT"; else touch "$HOME/once"; sleep 65; fi
            """)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let state = directory + "/state"
        let first = try ChildProcess.start(Self.binary, ["run", directory + "/wf.yaml", "--headless", "--state-dir", state])
        #expect(try await fleet.remoteProcessCount(on: "web1", within: .seconds(45)) { $0 >= 1 } >= 1, "the step runs on web1")
        #expect(try await fleet.remoteProcessCount(on: "web2", within: .seconds(45)) { $0 >= 1 } >= 1)
        kill(first.pid, SIGKILL)
        _ = try await first.exit(within: .seconds(10))
        // Baton's end of each ssh's stdin went with it: on the host, the scripts saw it end.
        #expect(try await fleet.remoteProcessCount(on: "web1", within: .seconds(45)) { $0 == 0 } == 0,
                "a killed Baton's remote step stops without waiting for the resume")
        let run = try #require(try FileManager.default.contentsOfDirectory(atPath: state + "/runs").first)

        let resumed = try await ChildProcess.start(Self.binary, ["resume", run, "--headless", "--unattended", "--state-dir", state])
            .exit(within: .seconds(60))
        #expect(resumed.status == 1, "the step that is not idempotent waits for an operator: \(resumed.output)")
        let directoryOfRun = RunDirectory(path: "\(state)/runs/\(run)")
        let events = try directoryOfRun.readJournal().events
        let folded = try JournalReader.fold(events)
        #expect(folded["long"]?.state == .interrupted)
        // The attempt's handle was journaled before it started, and the resume recovered by it.
        let start = try #require(events.first { $0.step == "long" && $0.state == .running })
        #expect(start.handle?.hasPrefix("web1:/tmp/baton.") == true, "\(start.handle ?? "no handle")")
        let log = try String(contentsOfFile: "\(directoryOfRun.logsPath)/long.log", encoding: .utf8)
        #expect(log.contains("the interrupted attempt") && log.contains("web1"), "\(log)")
        #expect(folded["again"]?.state == .succeeded && folded["again"]?.outputs["ran"] == "again", "the idempotent one ran again on web2")
        #expect(try await fleet.remoteProcessCount(on: "web1", within: .seconds(45)) { $0 == 0 } == 0,
                "nothing of the killed run's attempt is left on web1")
        #expect(try await fleet.remoteProcessCount(on: "web2", within: .seconds(45)) { $0 == 0 } == 0)
    }

    @Test func aRollbackRunsOnTheHostOfTheStepItUndoes() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build baton first: swift build")
        let fleet = try await LoopbackSSHFleet.start(["web1", "web2"])
        defer { fleet.stop() }
        let directory = try folder(with: "remote-rollback", on: fleet, """
            groups: {web: [web1, web2]}
            steps:
              deploy:
                on: web
                run: touch "$HOME/deployed"
                rollback: rm "$HOME/deployed" && touch "$HOME/undone"
            """)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let state = directory + "/state"
        let ran = try await ChildProcess.start(Self.binary, ["run", directory + "/wf.yaml", "--headless", "--state-dir", state]).exit(within: .seconds(60))
        #expect(ran.status == 0, "\(ran.output)")
        let run = try #require(try FileManager.default.contentsOfDirectory(atPath: state + "/runs").first)
        let undone = try await ChildProcess.start(Self.binary, ["rollback", run, "deploy[web2]", "--state-dir", state]).exit(within: .seconds(60))
        #expect(undone.status == 0, "\(undone.output)")
        let web1 = try fleet.host("web1").homeDirectory, web2 = try fleet.host("web2").homeDirectory
        #expect(FileManager.default.fileExists(atPath: web2 + "/undone") && !FileManager.default.fileExists(atPath: web2 + "/deployed"))
        #expect(FileManager.default.fileExists(atPath: web1 + "/deployed") && !FileManager.default.fileExists(atPath: web1 + "/undone"),
                "web1 was not touched")
    }
}
