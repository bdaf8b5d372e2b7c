import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Real `sshd` servers on 127.0.0.1, one per host alias, and an `ssh_config` that names them,
/// so tests can run commands over SSH on several "hosts" of one machine.
///
/// Each host has its own `sshd` on its own port, with its own ed25519 host key, config, pid file
/// and log; one client key logs in to all of them as the current user. The file at
/// `sshConfigPath` gives every alias its `HostName 127.0.0.1`, `Port`, `User`, `IdentityFile`,
/// `UserKnownHostsFile` (which lists each server's real key) and `BatchMode yes`, so
/// `ssh -F fleet.sshConfigPath web1 CMD` works with host-key checking on. Use that file: `ssh`
/// reads `~/.ssh` from the passwd entry's home, not from `$HOME`.
///
/// Always stop a fleet, even when the test fails or throws:
///
///     let fleet = try await LoopbackSSHFleet.start(["web1", "web2"])
///     defer { fleet.stop() }
///
/// `stop()` closes the master connections in `controlDirectory`, kills every server together
/// with its sessions and whatever they started, and removes the fleet's folder. Dropping the
/// last reference stops the fleet too; and if the test process dies without doing either (a
/// crash, a kill), a watchdog process the fleet started does the same cleanup.
///
/// Every process a host's `sshd` starts carries `Host.marker` (`LOOPBACK_SSH_HOST=…/web1`) in
/// its environment (sshd's `SetEnv`), which is how `remoteProcesses(on:)` finds what a test
/// left running "remotely", even after it left its session with `setsid`.
///
/// Needs `/usr/sbin/sshd`, `ssh` and `ssh-keygen` (Debian's openssh-server and openssh-client),
/// `pgrep` (procps) for the watchdog, and root, or a user who may create `/run/sshd`. Fleets in
/// one process or several never share a port or a folder.
public final class LoopbackSSHFleet: Sendable {
    /// One loopback server: its alias, port and files.
    public struct Host: Sendable, Hashable {
        /// The name `ssh_config` gives it: what to pass to `ssh -F sshConfigPath`.
        public let alias: String
        /// The port its sshd listens on at 127.0.0.1, kept across `takeDown` and `bringUp`.
        public let port: Int
        /// `LOOPBACK_SSH_HOST=<fleet>/<alias>`: set in the environment of every process this
        /// host's sshd starts.
        public let marker: String
        /// The host's own folder: host key, sshd_config, pid file and log.
        public let directory: String

        /// `$HOME` of the host's sessions: a folder of its own, empty at first, so no
        /// startup file of the real user's (`~/.bashrc`) runs, and each host keeps its own files.
        /// Commands still start in the user's real home, where sshd always changes directory.
        public var homeDirectory: String { directory + "/home" }

        /// The server's log (`sshd -E`), worth printing when a test fails.
        public var logPath: String { directory + "/sshd.log" }
        public var hostKeyPath: String { directory + "/ssh_host_ed25519_key" }
        public var configPath: String { directory + "/sshd_config" }
        public var pidFilePath: String { directory + "/sshd.pid" }
    }

    /// Why a fleet could not do what it was asked.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        init(_ description: String) {
            self.description = description
        }
    }

    /// The name of the environment variable in every `Host.marker`.
    public static let markerVariable = "LOOPBACK_SSH_HOST"
    static let sshdPath = "/usr/sbin/sshd"

    /// The fleet's private folder (mode 0700); removed by `stop()`.
    public let directory: String
    /// The `ssh_config` naming every host; give it to `ssh -F`.
    public let sshConfigPath: String
    /// The known_hosts file the `ssh_config` points at: `[127.0.0.1]:PORT` and each host's key.
    public let knownHostsPath: String
    /// The client's private key, whose public half every server authorizes.
    public let clientKeyPath: String
    /// A host key no server has, which `listWrongHostKey(for:)` lists instead of a host's own.
    let impostorKeyPath: String
    /// A folder for `ControlPath` sockets; `stop()` closes every master connection in it.
    public let controlDirectory: String
    /// The user every host logs in as: the current user.
    public let user: String
    /// Names this fleet in its hosts' markers: the folder's last component, unique while it exists.
    let id: String

    struct State {
        /// Every host, in the order they were asked for.
        var hosts: [Host] = []
        /// The running sshd of each host that is up, by alias.
        var servers: [String: ChildProcess.Started] = [:]
        /// Hosts that `known_hosts` lists with the wrong key.
        var wrongKeys: Set<String> = []
        var watchdog: ChildProcess.Started?
        /// The write end of the watchdog's stdin; closing it (or dying) sets it off.
        var watchdogInput: Int32 = -1
        var stopped = false
    }

    let state = Mutex(State())

    /// `ssh` options that multiplex connections through a master per host, with its socket in
    /// `controlDirectory` (so `stop()` can close it): ControlMaster auto, ControlPersist 30 s.
    public var multiplexingOptions: [String] {
        ["-o", "ControlMaster=auto", "-o", "ControlPath=\(controlDirectory)/%C", "-o", "ControlPersist=30"]
    }

    /// Every host, in the order `start` was given them.
    public var hosts: [Host] {
        state.withLock { $0.hosts }
    }

    /// Starts one sshd per alias and waits until each accepts connections (at most
    /// `readyWithin` per server); on any failure it stops what it started and throws.
    ///
    /// Aliases are made of letters, digits, `.`, `_` and `-`.
    public static func start(_ aliases: [String] = ["web1", "web2"], readyWithin limit: Duration = .seconds(30)) async throws -> LoopbackSSHFleet {
        try validate(aliases)
        let fleet = try LoopbackSSHFleet(directory: makeDirectory())
        do {
            try await fleet.prepare()
            for alias in aliases {
                try await fleet.startNewHost(alias, within: limit)
            }
            try fleet.writeKnownHosts()
            try fleet.writeClientConfig()
        } catch {
            fleet.stop()
            throw error
        }
        return fleet
    }

    /// Starts `count` hosts named `web1`, `web2`, ….
    public static func start(hostCount count: Int, readyWithin limit: Duration = .seconds(30)) async throws -> LoopbackSSHFleet {
        try await start(count > 0 ? (1...count).map { "web\($0)" } : [], readyWithin: limit)
    }

    private init(directory: String) {
        self.directory = directory
        id = URL(fileURLWithPath: directory).lastPathComponent
        sshConfigPath = directory + "/ssh_config"
        knownHostsPath = directory + "/known_hosts"
        clientKeyPath = directory + "/client_ed25519"
        impostorKeyPath = directory + "/impostor_ed25519"
        controlDirectory = directory + "/cm"
        user = getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "root"
    }

    deinit {
        stop()
    }

    /// The host with this alias.
    public func host(_ alias: String) throws -> Host {
        guard let host = state.withLock({ $0.hosts.first { $0.alias == alias } }) else {
            throw Failure("the fleet has no host '\(alias)'")
        }
        return host
    }

    /// Whether the host's sshd is running (it was not taken down, or was brought up again).
    public func isUp(_ alias: String) throws -> Bool {
        let host = try host(alias)
        return state.withLock { $0.servers[host.alias] != nil }
    }

    /// The pid of the host's running sshd (also in its pid file), or nil while it is down.
    public func serverPID(of alias: String) throws -> pid_t? {
        let host = try host(alias)
        return state.withLock { $0.servers[host.alias]?.pid }
    }

    // MARK: Faults

    /// Stops the host's sshd with its sessions and everything they started, as if the
    /// machine had gone down: connecting to it now fails with "Connection refused".
    public func takeDown(_ alias: String) throws {
        let host = try host(alias)
        guard let server = state.withLock({ $0.servers.removeValue(forKey: host.alias) }) else {
            throw Failure("host '\(alias)' is already down")
        }
        Self.killServer(server, of: host)
    }

    /// Starts the host's sshd again, on the same port with the same host key, and waits
    /// until it accepts connections.
    public func bringUp(_ alias: String, readyWithin limit: Duration = .seconds(30)) async throws {
        let host = try host(alias)
        try state.withLock { state throws(Failure) in
            guard !state.stopped else { throw Failure("the fleet is stopped") }
            guard state.servers[host.alias] == nil else { throw Failure("host '\(alias)' is already up") }
        }
        guard let server = try await launch(host, within: limit) else {
            throw Failure("port \(host.port) of host '\(alias)' was taken by another process while the host was down")
        }
        let kept = state.withLock { state in
            guard !state.stopped else { return false }
            state.servers[host.alias] = server
            return true
        }
        if !kept {
            Self.killServer(server, of: host)
            throw Failure("the fleet was stopped while host '\(alias)' came up")
        }
    }

    /// Lists another key for the host in `known_hosts`, as if it had been replaced: `ssh`
    /// now refuses it with "REMOTE HOST IDENTIFICATION HAS CHANGED" and "Host key verification
    /// failed". A master connection already open goes on working, as it would for a real change.
    public func listWrongHostKey(for alias: String) throws {
        let host = try host(alias)
        state.withLock { _ = $0.wrongKeys.insert(host.alias) }
        try writeKnownHosts()
    }

    /// Lists the host's real key in `known_hosts` again.
    public func listRightHostKey(for alias: String) throws {
        let host = try host(alias)
        state.withLock { _ = $0.wrongKeys.remove(host.alias) }
        try writeKnownHosts()
    }

    // MARK: Remote processes

    /// The pids of the live processes the host's sshd started for sessions (commands,
    /// their children, anything that left the session with `setsid`), not sshd's own.
    ///
    /// It finds them by the host's marker in their environment, and by descent from the
    /// host's sshd for a command that cleared its environment (`env -i`). A process that does
    /// both is missed.
    public func remoteProcesses(on alias: String) throws -> [pid_t] {
        let host = try host(alias)
        let listener = state.withLock { $0.servers[host.alias]?.pid }
        return Self.processes(of: host, listener: listener)
    }

    /// The remote processes of every host (see `remoteProcesses(on:)`).
    public func remoteProcesses() -> [pid_t] {
        let (hosts, servers) = state.withLock { ($0.hosts, $0.servers) }
        return hosts.flatMap { Self.processes(of: $0, listener: servers[$0.alias]?.pid) }.sorted()
    }

    /// Polls until the number of the host's remote processes satisfies `condition` or
    /// `limit` has passed; returns the last count seen.
    public func remoteProcessCount(on alias: String, within limit: Duration, until condition: (Int) -> Bool) async throws -> Int {
        let deadline = ContinuousClock.now + limit
        var count = try remoteProcesses(on: alias).count
        while !condition(count) && ContinuousClock.now < deadline {
            // Each look reads every process's environment, so it looks less often than most polls.
            try? await Task.sleep(for: .milliseconds(50))
            count = try remoteProcesses(on: alias).count
        }
        return count
    }

    private static func processes(of host: Host, listener: pid_t?) -> [pid_t] {
        var found = Set(ProcessTable.live(carrying: host.marker))
        // sshd's own processes (the session's privileged and user halves) are not remote work.
        // Nor is one whose program can no longer be read: it is exiting (its memory is gone
        // before it turns zombie), as a connection's short-lived sshd children do.
        if let listener, let sshd = ProcessTable.executable(of: listener) {
            for pid in ProcessTable.liveDescendants(of: listener) {
                guard let program = ProcessTable.executable(of: pid), program != sshd else { continue }
                found.insert(pid)
            }
        }
        return found.sorted()
    }

    // MARK: Running ssh

    /// Runs `ssh -F sshConfigPath ARGUMENTS` to its end (killed after `limit`): for example
    /// `["web1", "hostname"]`, or `multiplexingOptions + ["-O", "check", "web1"]`.
    public func ssh(_ arguments: [String], within limit: Duration = .seconds(20)) async throws -> ChildProcess.Result {
        try await startSSH(arguments).exit(within: limit)
    }

    /// Starts `ssh -F sshConfigPath ARGUMENTS` without waiting; the caller must `exit(within:)`
    /// or `wait(limit:)` on it to reap it, before `stop()` to keep its output (which is kept
    /// in the fleet's folder).
    public func startSSH(_ arguments: [String]) throws -> ChildProcess.Started {
        try ChildProcess.start("ssh", ["-F", sshConfigPath] + arguments, outputDirectory: directory)
    }

    // MARK: Stopping

    /// Stops every server (with its sessions and what they started), closes the master
    /// connections in `controlDirectory`, stops the watchdog and removes the folder. Blocks
    /// for at most a few seconds; calling it again does nothing.
    public func stop() {
        let taken = state.withLock { state -> State? in
            guard !state.stopped else { return nil }
            let taken = state
            state.stopped = true
            state.servers = [:]
            state.watchdog = nil
            state.watchdogInput = -1
            return taken
        }
        guard let taken else { return }
        closeMasterConnections()
        for host in taken.hosts {
            if let server = taken.servers[host.alias] {
                Self.killServer(server, of: host)
            } else {
                ProcessTable.waitUntilGone(Self.killMarked(host), within: .seconds(5))
            }
        }
        if let watchdog = taken.watchdog {
            // Normal cleanup is done: end the watchdog before its input closes and sets it off.
            Glibc.kill(watchdog.pid, SIGKILL)
            _ = try? watchdog.wait(limit: .seconds(5))
        }
        if taken.watchdogInput >= 0 { close(taken.watchdogInput) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Kills one host's sshd, its sessions and everything they started, then reaps it.
    static func killServer(_ server: ChildProcess.Started, of host: Host) {
        var killed = ProcessTable.killTree(server.pid)
        killed += killMarked(host)
        _ = try? server.wait(limit: .seconds(5))
        // SIGKILL'd sshd leaves its pid file; a stale one would mislead the watchdog.
        try? FileManager.default.removeItem(atPath: host.pidFilePath)
        ProcessTable.waitUntilGone(killed, within: .seconds(5))
    }

    /// Kills the processes carrying the host's marker (those that left sshd's tree); returns them.
    private static func killMarked(_ host: Host) -> [pid_t] {
        let marked = ProcessTable.live(carrying: host.marker)
        for pid in marked { Glibc.kill(pid, SIGKILL) }
        return marked
    }

    /// Asks every master in `controlDirectory` to exit; kills any that is still there after
    /// a moment (a master whose server is gone ends by itself once its connection drops).
    private func closeMasterConnections() {
        let sockets = (try? FileManager.default.contentsOfDirectory(atPath: controlDirectory)) ?? []
        for socket in sockets {
            _ = try? ChildProcess.run(
                "ssh", ["-F", "/dev/null", "-o", "ControlPath=\(controlDirectory)/\(socket)", "-O", "exit", "fleet-master"],
                limit: .seconds(5)
            )
        }
        let masters = ProcessTable.live(commandLineContaining: controlDirectory + "/")
        let left = ProcessTable.waitUntilGone(masters, within: .seconds(2))
        for pid in left { Glibc.kill(pid, SIGKILL) }
        ProcessTable.waitUntilGone(left, within: .seconds(2))
    }
}
