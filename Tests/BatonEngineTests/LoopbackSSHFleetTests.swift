import BatonTestSupport
import Foundation
import Testing

/// The loopback SSH fleet the SSH executor's tests run against: real sshd servers that each
/// answer on their own port, multiplex, go down and come back, can look like an impostor,
/// count what they run, and leave nothing behind, even when their test process dies.
@Suite(.timeLimit(.minutes(2))) struct LoopbackSSHFleetTests {
    @Test func eachAliasReachesItsOwnServer() async throws {
        let fleet = try await LoopbackSSHFleet.start(hostCount: 3)
        defer { fleet.stop() }
        #expect(fleet.hosts.map(\.alias) == ["web1", "web2", "web3"])
        #expect(Set(fleet.hosts.map(\.port)).count == 3)
        let mode = try FileManager.default.attributesOfItem(atPath: fleet.directory)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        for host in fleet.hosts {
            let result = try await fleet.ssh([host.alias, "echo $SSH_CONNECTION; echo $\(LoopbackSSHFleet.markerVariable); echo $HOME; id -un"])
            let lines = result.output.split(separator: "\n").map(String.init)
            #expect(result.status == 0, "\(host.alias): \(result.output)")
            // SSH_CONNECTION is "client-address client-port server-address server-port".
            #expect(lines.first?.split(separator: " ").last.map(String.init) == String(host.port), "\(host.alias): \(result.output)")
            #expect(lines.dropFirst().first == String(host.marker.split(separator: "=", maxSplits: 1)[1]), "\(result.output)")
            #expect(lines.dropFirst(2).first == host.homeDirectory, "\(result.output)")
            #expect(lines.last == fleet.user, "\(result.output)")
        }
    }

    @Test func aSecondSSHReusesTheMasterAndStopClosesIt() async throws {
        let fleet = try await LoopbackSSHFleet.start(["db"])
        defer { fleet.stop() }
        let multiplexed = fleet.multiplexingOptions
        let first = try await fleet.ssh(multiplexed + ["db", "echo $SSH_CONNECTION"])
        try #require(first.status == 0, "\(first.output)")
        let check = try await fleet.ssh(multiplexed + ["-O", "check", "db"])
        #expect(check.status == 0, "\(check.output)")
        let master = try #require(Self.masterPID(in: check.output), "\(check.output)")
        // The same TCP connection, so the same client port on the server's side.
        let second = try await fleet.ssh(multiplexed + ["db", "echo $SSH_CONNECTION"])
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output == first.output)
        #expect(ProcessTable.isLive(master))

        fleet.stop()
        #expect(!ProcessTable.isLive(master), "the master \(ProcessTable.commandLine(of: master)) outlived stop()")
        #expect(!FileManager.default.fileExists(atPath: fleet.directory))
    }

    @Test func aHostTakenDownRefusesConnectionsUntilItIsBroughtUp() async throws {
        let fleet = try await LoopbackSSHFleet.start(["web1", "web2"])
        defer { fleet.stop() }
        let port = try fleet.host("web1").port
        try fleet.takeDown("web1")
        #expect(try !fleet.isUp("web1"))

        let refused = try await fleet.ssh(["web1", "true"])
        #expect(refused.status == 255)
        #expect(refused.output.contains("port \(port): Connection refused"), "\(refused.output)")
        let other = try await fleet.ssh(["web2", "true"])
        #expect(other.status == 0, "\(other.output)")

        try await fleet.bringUp("web1")
        #expect(try fleet.host("web1").port == port)
        // Host-key checking is strict, so getting in also proves the key is the same.
        let back = try await fleet.ssh(["web1", "echo $SSH_CONNECTION"])
        #expect(back.status == 0, "\(back.output)")
        #expect(back.output.hasSuffix(" \(port)\n"), "\(back.output)")
    }

    @Test func aWrongKnownHostsEntryFailsHostKeyVerification() async throws {
        let fleet = try await LoopbackSSHFleet.start(["web1", "web2"])
        defer { fleet.stop() }
        try fleet.listWrongHostKey(for: "web2")

        let refused = try await fleet.ssh(["web2", "true"])
        #expect(refused.status == 255)
        #expect(refused.output.contains("REMOTE HOST IDENTIFICATION HAS CHANGED"), "\(refused.output)")
        #expect(refused.output.contains("Host key verification failed."), "\(refused.output)")
        let other = try await fleet.ssh(["web1", "true"])
        #expect(other.status == 0, "\(other.output)")

        try fleet.listRightHostKey(for: "web2")
        let accepted = try await fleet.ssh(["web2", "true"])
        #expect(accepted.status == 0, "\(accepted.output)")
    }

    @Test func theCounterSeesARemoteSleepUntilItIsKilled() async throws {
        let fleet = try await LoopbackSSHFleet.start(["web1", "web2"])
        defer { fleet.stop() }
        #expect(try fleet.remoteProcesses(on: "web1").isEmpty)

        // exec, so the count does not depend on whether the shell forks for its last command.
        let client = try fleet.startSSH(["web1", "exec sleep 300"])
        let running = try await fleet.remoteProcessCount(on: "web1", within: .seconds(30)) { $0 == 1 }
        #expect(running == 1)
        let pids = try fleet.remoteProcesses(on: "web1")
        #expect(pids.map { ProcessTable.commandLine(of: $0) }.allSatisfy { $0.hasSuffix(": sleep 300") }, "\(pids.map { ProcessTable.commandLine(of: $0) })")
        #expect(try fleet.remoteProcesses(on: "web2").isEmpty)
        #expect(fleet.remoteProcesses() == pids)

        for pid in pids { kill(pid, SIGKILL) }
        let left = try await fleet.remoteProcessCount(on: "web1", within: .seconds(30)) { $0 == 0 }
        #expect(left == 0)
        // The remote command ended, so the session and the client end too.
        _ = try await client.exit(within: .seconds(10))
    }

    @Test func theCounterSeesARemoteProcessThatClearedItsEnvironment() async throws {
        let fleet = try await LoopbackSSHFleet.start(["web1"])
        defer { fleet.stop() }
        // No marker is left, but the process is still under the host's sshd.
        let client = try fleet.startSSH(["web1", "exec env -i sleep 300"])
        #expect(try await fleet.remoteProcessCount(on: "web1", within: .seconds(30)) { $0 == 1 } == 1)
        let pids = try fleet.remoteProcesses(on: "web1")
        #expect(Set(pids).isDisjoint(with: ProcessTable.live(carrying: try fleet.host("web1").marker)))
        for pid in pids { kill(pid, SIGKILL) }
        #expect(try await fleet.remoteProcessCount(on: "web1", within: .seconds(30)) { $0 == 0 } == 0)
        _ = try await client.exit(within: .seconds(10))
    }

    @Test func stopLeavesNoServerSessionOrRemoteProcess() async throws {
        let fleet = try await LoopbackSSHFleet.start(["web1", "web2"])
        defer { fleet.stop() }
        let client = try fleet.startSSH(fleet.multiplexingOptions + ["web1", "exec sleep 300"])
        // This one leaves its session and sshd's process tree; only its marker gives it away.
        let escaped = try await fleet.ssh(["web2", "setsid sleep 300 </dev/null >/dev/null 2>&1 &"])
        #expect(escaped.status == 0, "\(escaped.output)")
        #expect(try await fleet.remoteProcessCount(on: "web1", within: .seconds(30)) { $0 == 1 } == 1)
        #expect(try await fleet.remoteProcessCount(on: "web2", within: .seconds(30)) { $0 == 1 } == 1)
        let remote = fleet.remoteProcesses()
        let servers = try fleet.hosts.map { try #require(try fleet.serverPID(of: $0.alias)) }
        #expect(try fleet.hosts.map { try Self.pidFile(of: $0) } == servers)

        fleet.stop()
        _ = try await client.exit(within: .seconds(10))
        for pid in remote + servers {
            #expect(!ProcessTable.isLive(pid), "\(ProcessTable.commandLine(of: pid)) outlived stop()")
        }
        for host in fleet.hosts {
            #expect(ProcessTable.live(carrying: host.marker).isEmpty)
        }
        // Every sshd of the fleet, and every ssh client, names a file in its folder.
        #expect(ProcessTable.live(commandLineContaining: fleet.directory + "/").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fleet.directory))
    }

    @Test func theWatchdogCleansUpAfterATestProcessThatDied() async throws {
        // The child starts a fleet and a remote sleep, says what it started, and dies
        // without stopping anything; its watchdog must remove it all.
        let result = await #expect(processExitsWith: .exitCode(7), observing: [\.standardOutputContent]) {
            guard let fleet = try? await LoopbackSSHFleet.start(["web1", "web2"]),
                  let client = try? fleet.startSSH(["web1", "exec sleep 300"]),
                  (try? await fleet.remoteProcessCount(on: "web1", within: .seconds(30)) { $0 == 1 }) == 1,
                  case let servers = fleet.hosts.compactMap({ try? fleet.serverPID(of: $0.alias) }), servers.count == 2
            else { _exit(3) }
            let pids = [client.pid] + servers + fleet.remoteProcesses()
            let report = [fleet.directory, fleet.hosts.map(\.marker).joined(separator: " "), pids.map(String.init).joined(separator: " ")]
            // Unbuffered: _exit flushes nothing.
            FileHandle.standardOutput.write(Data((report.joined(separator: "\n") + "\n").utf8))
            _exit(7)
        }
        let lines = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self).split(separator: "\n").map(String.init)
        try #require(lines.count == 3, "\(lines)")
        let directory = lines[0]
        let markers = lines[1].split(separator: " ").map(String.init)
        let pids = lines[2].split(separator: " ").compactMap { pid_t($0) }
        #expect(markers.count == 2 && pids.count == 4, "\(lines)")

        let deadline = ContinuousClock.now + .seconds(15)
        func leftovers() -> [pid_t] {
            pids.filter(ProcessTable.isLive) + markers.flatMap { ProcessTable.live(carrying: $0) }
                + ProcessTable.live(commandLineContaining: directory + "/")
        }
        while (!leftovers().isEmpty || FileManager.default.fileExists(atPath: directory)) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let left = leftovers()
        #expect(left.isEmpty, "\(left.map { ProcessTable.commandLine(of: $0) })")
        #expect(!FileManager.default.fileExists(atPath: directory))
        for pid in Set(left) { kill(pid, SIGKILL) }
    }

    @Test func fleetsStartedTogetherShareNoPortOrFolder() async throws {
        async let first = LoopbackSSHFleet.start(["web1", "web2"])
        async let second = LoopbackSSHFleet.start(["web1", "web2"])
        async let third = LoopbackSSHFleet.start(["web1", "web2"])
        let fleets = try await [first, second, third]
        defer { for fleet in fleets { fleet.stop() } }
        let ports = fleets.flatMap { $0.hosts.map(\.port) }
        #expect(Set(ports).count == 6, "\(ports)")
        #expect(Set(fleets.map(\.directory)).count == 3)
        for fleet in fleets {
            let result = try await fleet.ssh(["web2", "echo $\(LoopbackSSHFleet.markerVariable)"])
            #expect(result.output == "\(fleet.directory.split(separator: "/").last ?? "")/web2\n", "\(result.output)")
        }
    }

    @Test func aliasesAreChecked() async throws {
        await #expect(throws: LoopbackSSHFleet.Failure.self) { _ = try await LoopbackSSHFleet.start(["web1", "web1"]) }
        await #expect(throws: LoopbackSSHFleet.Failure.self) { _ = try await LoopbackSSHFleet.start(["-oProxyCommand=x"]) }
        await #expect(throws: LoopbackSSHFleet.Failure.self) { _ = try await LoopbackSSHFleet.start(hostCount: 0) }
        let fleet = try await LoopbackSSHFleet.start(["solo"])
        defer { fleet.stop() }
        #expect(throws: LoopbackSSHFleet.Failure.self) { try fleet.takeDown("nobody") }
        #expect(throws: LoopbackSSHFleet.Failure.self) { try fleet.remoteProcesses(on: "nobody") }
    }

    /// The pid `ssh -O check` reports: "Master running (pid=1234)".
    private static func masterPID(in output: String) -> pid_t? {
        guard let open = output.range(of: "(pid="), let close = output[open.upperBound...].firstIndex(of: ")") else { return nil }
        return pid_t(output[open.upperBound..<close])
    }

    /// The pid in a host's pid file: its sshd.
    private static func pidFile(of host: LoopbackSSHFleet.Host) throws -> pid_t {
        let text = try String(contentsOfFile: host.pidFilePath, encoding: .utf8)
        return try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}
