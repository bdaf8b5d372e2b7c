import BatonTestSupport
import Foundation
import Testing
@testable import BatonEngine

/// The SSH executor against real `sshd` servers on loopback ports: steps run on their hosts,
/// outputs come back, secrets stay out of every argument list, and a cancel, a timeout or a
/// dropped connection leaves nothing running on the host.
@Suite(.serialized) struct SSHExecutorTests {
    typealias S = EngineTestSupport

    /// A workflow of `steps` whose hosts are the fleet's.
    private func workflow(_ steps: [Step], groups: [StepGroup] = [], on fleet: LoopbackSSHFleet) -> Workflow {
        var workflow = Workflow(name: "fleet", concurrency: 8, groups: groups, steps: steps)
        workflow.inventory = Inventory(hosts: fleet.hosts.map { InventoryHost(name: $0.alias, destination: $0.alias) }, sshConfig: fleet.sshConfigPath)
        return workflow
    }

    private func step(_ id: String, on host: String, _ command: String, needs: [String] = []) -> Step {
        var step = Step(id: id, run: command, needs: needs)
        step.host = host
        return step
    }

    private func engine(_ workflow: Workflow, fleet: LoopbackSSHFleet, environment: [String: String] = [:]) throws -> Engine {
        var configuration = EngineConfiguration(
            runID: "ssh-\(UUID().uuidString.prefix(6))", user: "tester", syncJournal: false, cancelGracePeriod: .seconds(1), environment: environment)
        configuration.remoteExecutor = SSHExecutor(controlDirectory: fleet.controlDirectory)
        return try Engine(workflow: workflow, configuration: configuration)
    }

    @Test func stepsRunOnTheirHostsAndTheirOutputsComeBack() async throws {
        let fleet = try await LoopbackSSHFleet.start(["web1", "web2"])
        defer { fleet.stop() }
        let workflow = workflow([
            step("where", on: "web1", #"echo "host=$LOOPBACK_SSH_HOST" >> "$BATON_OUTPUT"; printf 'note<<EOF\nline 1\nline 2\nEOF\n' >> "$BATON_OUTPUT""#),
            step("use", on: "web2", #"test "$STEPS_WHERE_OUTPUTS_NOTE" = "$(printf 'line 1\nline 2')" && echo "seen=$LOOPBACK_SSH_HOST" >> "$BATON_OUTPUT""#, needs: ["where"]),
        ], on: fleet)
        let engine = try engine(workflow, fleet: fleet)
        await engine.start()
        #expect(try await S.settle(engine) == .finished(.succeeded))
        let state = await engine.state
        #expect(state["where"]?.outputs["host"]?.hasSuffix("/web1") == true, "\(state["where"]?.outputs ?? [:])")
        #expect(state["use"]?.outputs["seen"]?.hasSuffix("/web2") == true, "a dependent on another host got the output")
        // The script's watch ends with the step.
        #expect(try await fleet.remoteProcessCount(on: "web1", within: .seconds(45)) { $0 == 0 } == 0)
        #expect(try await fleet.remoteProcessCount(on: "web2", within: .seconds(45)) { $0 == 0 } == 0)
        _ = await engine.close(by: "tester")
    }

    @Test func aRollingBatchOverFiveHostsRunsTwoAtATime() async throws {
        let fleet = try await LoopbackSSHFleet.start(hostCount: 5)
        defer { fleet.stop() }
        let ids = fleet.hosts.map { "restart[\($0.alias)]" }
        var steps: [Step] = []
        for host in fleet.hosts {
            var instance = step("restart[\(host.alias)]", on: host.alias, #"echo "on=$LOOPBACK_SSH_HOST" >> "$BATON_OUTPUT"; sleep 0.3"#)
            instance.group = "restart"
            steps.append(instance)
        }
        let engine = try engine(workflow(steps, groups: [StepGroup(id: "restart", instances: ids, batch: .count(2), maxFailures: 0)], on: fleet), fleet: fleet)
        let events = S.collectEvents(engine)
        await engine.start()
        #expect(try await S.settle(engine) == .finished(.succeeded))
        _ = await engine.close(by: "tester")
        var running: Set<String> = []
        var most = 0
        for event in await events.value where event.kind == .step {
            if event.state == .running { running.insert(event.step ?? "") } else { running.remove(event.step ?? "") }
            most = max(most, running.count)
        }
        #expect(most == 2)
        let state = await engine.state
        for host in fleet.hosts { #expect(state["restart[\(host.alias)]"]?.outputs["on"]?.hasSuffix("/\(host.alias)") == true) }
    }

    @Test func aHostThatIsDownFailsTheAttemptWithSshsReasonAndARetrySucceedsOnceItIsUp() async throws {
        let fleet = try await LoopbackSSHFleet.start(["web1"])
        defer { fleet.stop() }
        try fleet.takeDown("web1")
        let engine = try engine(workflow([step("ping", on: "web1", "true")], on: fleet), fleet: fleet)
        await engine.start()
        _ = try await S.settle(engine)
        let failed = await engine.state["ping"]
        #expect(failed?.state == .failed)
        #expect(failed?.reason?.contains("exited with code 255; ssh to web1 failed") == true, "\(failed?.reason ?? "")")
        #expect(failed?.reason?.contains("Connection refused") == true, "ssh's own words: \(failed?.reason ?? "")")
        try await fleet.bringUp("web1")
        #expect(await engine.retry("ping", by: "tester").isAccepted)
        #expect(try await S.settle(engine) == .finished(.succeeded))
        _ = await engine.close(by: "tester")
    }

    @Test func aChangedHostKeyIsRefusedWithTheReason() async throws {
        let fleet = try await LoopbackSSHFleet.start(["web1"])
        defer { fleet.stop() }
        try fleet.listWrongHostKey(for: "web1")
        let engine = try engine(workflow([step("ping", on: "web1", "touch \"$HOME/ran\"")], on: fleet), fleet: fleet)
        await engine.start()
        _ = try await S.settle(engine)
        let reason = await engine.state["ping"]?.reason ?? ""
        #expect(reason.contains("ssh to web1 failed") && (reason.contains("Host key verification failed") || reason.contains("CHANGED")), "\(reason)")
        #expect(!FileManager.default.fileExists(atPath: try fleet.host("web1").homeDirectory + "/ran"), "nothing ran on a host that could not be trusted")
        _ = await engine.close(by: "tester")
    }

    @Test func aCancelAndATimeoutLeaveNoProcessOnTheHost() async throws {
        let fleet = try await LoopbackSSHFleet.start(["web1", "web2"])
        defer { fleet.stop() }
        var slow = step("slow", on: "web2", "sleep 60 & sleep 61")
        slow.timeout = .seconds(1)
        let engine = try engine(workflow([step("long", on: "web1", "sleep 60 & sleep 62"), slow], on: fleet), fleet: fleet)
        await engine.start()
        try await S.waitFor(engine) { $0["long"]?.state == .running }
        #expect(try await fleet.remoteProcessCount(on: "web1", within: .seconds(30)) { $0 >= 2 } >= 2, "the step runs on web1")
        // Asked of 'long', which is known to run: 'slow' may have timed out already.
        #expect(await engine.suspend("long", by: "tester").message.contains("the ssh executor cannot suspend a step"))
        #expect(await engine.cancel("long", by: "tester").isAccepted)
        _ = try await S.settle(engine)
        let state = await engine.state
        #expect(state["long"]?.state == .cancelled)
        #expect(state["slow"]?.state == .failed && state["slow"]?.reason?.contains("timed out") == true, "\(state["slow"]?.reason ?? "")")
        #expect(try await fleet.remoteProcessCount(on: "web1", within: .seconds(45)) { $0 == 0 } == 0, "the background sleep went too")
        #expect(try await fleet.remoteProcessCount(on: "web2", within: .seconds(45)) { $0 == 0 } == 0)
        #expect(state.audit.contains { $0.action == "suspend" && $0.outcome == .refused }, "the refusal is in the audit trail")
        _ = await engine.close(by: "tester")
    }

    @Test func aDroppedConnectionStopsTheStepOnTheHost() async throws {
        let fleet = try await LoopbackSSHFleet.start(["web1"])
        defer { fleet.stop() }
        let engine = try engine(workflow([step("long", on: "web1", "sleep 63")], on: fleet), fleet: fleet)
        await engine.start()
        #expect(try await fleet.remoteProcessCount(on: "web1", within: .seconds(30)) { $0 >= 1 } >= 1)
        // Every connection to web1 goes: the master and what it carries. A master that
        // ControlPersist put in the background renames itself `ssh: <socket> [mux]`, and holds
        // the session's input and output: it is found by its socket's folder, not its options.
        _ = try await fleet.ssh(fleet.multiplexingOptions + ["-O", "exit", "web1"])
        for master in ProcessTable.live(commandLineContaining: fleet.controlDirectory) { kill(master, SIGKILL) }
        _ = try await S.settle(engine)
        #expect(await engine.state["long"]?.state == .failed)
        #expect(try await fleet.remoteProcessCount(on: "web1", within: .seconds(45)) { $0 == 0 } == 0, "the script's watch stopped the group")
        _ = await engine.close(by: "tester")
    }

    @Test func aSecretNeverShowsInAnyArgumentList() async throws {
        let fleet = try await LoopbackSSHFleet.start(["web1"])
        defer { fleet.stop() }
        let secret = "Sup3rS3cret\(UInt32.random(in: 1000...9999))"
        var workflow = workflow([step("use", on: "web1", #"test "$TOKEN" = "$EXPECTED" && sleep 2"#)], on: fleet)
        workflow.env = ["TOKEN": secret, "EXPECTED": secret]
        workflow.secrets = ["TOKEN"]
        let engine = try engine(workflow, fleet: fleet)
        await engine.start()
        try await S.waitFor(engine) { $0["use"]?.state == .running }
        try await Task.sleep(for: .milliseconds(800))
        // Both ends are this machine: every process's argument list, Baton's, ssh's and the host's.
        let shown = ProcessTable.live(commandLineContaining: secret)
        #expect(shown.isEmpty, "the secret is in the argument list of \(shown)")
        #expect(try await S.settle(engine) == .finished(.succeeded), "the step got the secret in its environment")
        _ = await engine.close(by: "tester")
    }

    @Test func anAttemptWhoseFilesCannotBeMadeFailsSayingWhy() async throws {
        let fleet = try await LoopbackSSHFleet.start(["web1"])
        defer { fleet.stop() }
        // The loopback host shares this machine's /tmp: the attempt's output file is taken.
        let files = "/tmp/baton." + (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        #expect(FileManager.default.createFile(atPath: files + ".out", contents: Data("someone else's\n".utf8)))
        defer { try? FileManager.default.removeItem(atPath: files + ".out") }
        var job = ExecutionJob(
            stepID: "x", attempt: 1, purpose: .run, command: "echo ran > /dev/null", environment: [:], directory: nil,
            outputFile: NSTemporaryDirectory() + "baton-ssh-\(UUID().uuidString.prefix(6)).env", simulation: nil)
        job.remote = RemoteTarget(name: "web1", destination: "web1", sshConfig: fleet.sshConfigPath)
        job.handle = "web1:" + files
        let collected = ExecLineCollector()
        let result = await SSHExecutor(controlDirectory: fleet.controlDirectory).execute(job, control: ExecutionControl()) { collected.append($0) }
        #expect(result.termination == .exited(125))
        let text = collected.texts.joined(separator: "\n")
        #expect(text.contains("baton: cannot make \(files).out on"), "\(text)")
        #expect(text.lowercased().contains("exist"), "the shell's own reason comes first: \(text)")
        #expect(try String(contentsOfFile: files + ".out", encoding: .utf8) == "someone else's\n", "the file that was there is left alone")
    }
}
