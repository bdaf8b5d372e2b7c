import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How a fleet makes its keys, configs and servers.
extension LoopbackSSHFleet {
    static func validate(_ aliases: [String]) throws {
        guard !aliases.isEmpty else { throw Failure("a fleet needs at least one host") }
        guard Set(aliases).count == aliases.count else { throw Failure("host aliases repeat: \(aliases)") }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        for alias in aliases where alias.isEmpty || alias.hasPrefix("-") || !alias.allSatisfy(allowed.contains) {
            throw Failure("'\(alias)' cannot be a host alias: use letters, digits, '.', '_' and '-'")
        }
    }

    /// A new private folder, short enough that `controlDirectory/%C` (40 characters) plus the
    /// suffix ssh adds while it makes the socket fits a Unix socket path (108 bytes).
    static func makeDirectory() throws -> String {
        let temporary = NSTemporaryDirectory()
        let base = temporary.count <= 24 ? temporary : "/tmp/"
        var template = Array((base + "baton-ssh-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure("cannot make a folder in \(base): \(String(cString: strerror(errno)))")
        }
        // mkdtemp makes it 0700: only this user may read the private keys in it.
        return String(cString: made)
    }

    /// Makes the fleet's folders and keys, and starts the watchdog.
    func prepare() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.sshdPath) else {
            throw Failure("no sshd at \(Self.sshdPath): install openssh-server")
        }
        // sshd refuses to start without its privilege separation folder; only root can make
        // it, and a user who cannot may find it made already.
        try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        for folder in [controlDirectory, directory + "/hosts"] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        }
        try startWatchdog()
        try await Self.makeKey(at: clientKeyPath, comment: "loopback-client@\(id)")
        // Made now rather than when a test lists it, so listing a wrong key spawns nothing.
        try await Self.makeKey(at: impostorKeyPath, comment: "impostor@\(id)")
    }

    /// Starts a shell that cleans up after this process if it dies with the fleet running.
    ///
    /// Its stdin is a socket whose other end only this process holds (close-on-exec, so no child
    /// inherits it): end of input means this process is gone. It runs in a process group of its
    /// own, so a signal to the test's group does not take it down with the test.
    private func startWatchdog() throws {
        let script = directory + "/watchdog.sh"
        try Self.watchdogScript.write(toFile: script, atomically: true, encoding: .utf8)
        // A socket pair rather than a pipe: it can be made close-on-exec at once (Glibc's
        // module has no pipe2), so a child another thread spawns meanwhile cannot inherit it.
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw Failure("cannot make the watchdog's socket pair: \(String(cString: strerror(errno)))")
        }
        defer { close(ends[0]) }
        let watchdog: ChildProcess.Started
        do {
            watchdog = try ChildProcess.start(
                "/bin/sh", [script, directory, "\(Self.markerVariable)=\(id)/"], standardInput: ends[0], ownProcessGroup: true,
                outputDirectory: directory
            )
        } catch {
            close(ends[1])
            throw error
        }
        state.withLock { state in
            state.watchdog = watchdog
            state.watchdogInput = ends[1]
        }
    }

    /// The watchdog: `sh watchdog.sh FOLDER MARKER_PREFIX`. It does what `stop()` does, in
    /// shell: close the masters, freeze and kill each server's tree (checking that the pid in
    /// a pid file is still that server), kill what carries a marker, remove the folder.
    static let watchdogScript = #"""
        #!/bin/sh
        # Stops a LoopbackSSHFleet whose test process ended without stopping it. See
        # LoopbackSSHFleet.swift. Arguments: the fleet's folder and its marker prefix.
        dir=$1
        prefix=$2
        while read -r _; do :; done
        for socket in "$dir"/cm/*; do
            [ -S "$socket" ] && timeout 5 ssh -F /dev/null -o ControlPath="$socket" -O exit fleet-master >/dev/null 2>&1
        done
        tree() { for child in $(pgrep -P "$1"); do tree "$child"; done; echo "$1"; }
        for pidfile in "$dir"/hosts/*/sshd.pid; do
            [ -f "$pidfile" ] || continue
            listener=$(cat "$pidfile")
            grep -qaF "$dir/" "/proc/$listener/cmdline" 2>/dev/null || continue
            kill -STOP $(tree "$listener") 2>/dev/null
            kill -STOP $(tree "$listener") 2>/dev/null
            kill -KILL $(tree "$listener") 2>/dev/null
        done
        for environ in $(grep -lazs "^$prefix" /proc/[0-9]*/environ); do
            pid=${environ#/proc/}
            kill -KILL "${pid%/environ}" 2>/dev/null
        done
        rm -rf "$dir"
        """#

    /// Makes the host's folder and key, then starts its sshd on a free port, trying other
    /// ports while the one it picked turns out to be taken.
    func startNewHost(_ alias: String, within limit: Duration) async throws {
        let folder = directory + "/hosts/" + alias
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let marker = "\(Self.markerVariable)=\(id)/\(alias)"
        // The key and home do not depend on the port, which is not chosen yet.
        let unplaced = Host(alias: alias, port: 0, marker: marker, directory: folder)
        try await Self.makeKey(at: unplaced.hostKeyPath, comment: "\(alias)@\(id)")
        try FileManager.default.createDirectory(atPath: unplaced.homeDirectory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        for _ in 0..<40 {
            let port = Int.random(in: Self.portRange)
            guard Self.portLooksFree(port) else { continue }
            let host = Host(alias: alias, port: port, marker: marker, directory: folder)
            try writeServerConfig(for: host)
            guard let server = try await launch(host, within: limit) else { continue }
            let kept = state.withLock { state in
                guard !state.stopped else { return false }
                state.hosts.append(host)
                state.servers[alias] = server
                return true
            }
            guard kept else {
                Self.killServer(server, of: host)
                throw Failure("the fleet was stopped while host '\(alias)' came up")
            }
            return
        }
        throw Failure("no free port for host '\(alias)' in \(Self.portRange) after 40 tries")
    }

    /// Starts the host's sshd (in the foreground, `-D`, so it is this process's child) and
    /// waits until it has written its pid file, which it does once it listens, and accepts a
    /// connection. Returns nil if its port was taken; throws if it failed otherwise or was not
    /// ready within `limit`.
    func launch(_ host: Host, within limit: Duration) async throws -> ChildProcess.Started? {
        try? FileManager.default.removeItem(atPath: host.pidFilePath)
        let logStart = (try? FileManager.default.attributesOfItem(atPath: host.logPath)[.size] as? Int) ?? 0
        let server = try ChildProcess.start(Self.sshdPath, ["-D", "-f", host.configPath, "-E", host.logPath], outputDirectory: host.directory)
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if server.hasEnded {
                let result = try? server.wait(limit: .seconds(1))
                let log = Self.logText(of: host, from: logStart)
                if log.contains("Address already in use") { return nil }
                throw Failure("sshd for host '\(host.alias)' (port \(host.port)) ended with status \(result?.status ?? -1) before it listened: \(log)\(result?.output ?? "")")
            }
            if Self.pidFile(of: host) == server.pid && Self.acceptsConnections(on: host.port) {
                return server
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        Self.killServer(server, of: host)
        throw Failure("sshd for host '\(host.alias)' did not accept connections on port \(host.port) within \(limit): \(Self.logText(of: host, from: logStart))")
    }

    private static func logText(of host: Host, from offset: Int) -> String {
        guard let data = FileManager.default.contents(atPath: host.logPath), data.count > offset else { return "(no log)" }
        return String(decoding: data.suffix(from: offset).suffix(2000), as: UTF8.self)
    }

    private static func pidFile(of host: Host) -> pid_t? {
        (try? String(contentsOfFile: host.pidFilePath, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Ports below the kernel's ephemeral range where it has room, so no outgoing connection
    /// takes a host's port while the host is down and `bringUp` finds it free again.
    static let portRange: ClosedRange<Int> = {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let bounds = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        let (low, high) = bounds.count == 2 ? (bounds[0], bounds[1]) : (32768, 60999)
        if low - 20000 >= 2000 { return 20000...(low - 1) }
        if 65535 - high >= 2000 { return (high + 1)...65535 }
        return 20000...65535
    }()

    /// Whether a socket can bind 127.0.0.1:`port` as sshd will (with SO_REUSEADDR).
    private static func portLooksFree(_ port: Int) -> Bool {
        withSocket(port) { socket, address in
            var yes: Int32 = 1
            setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
            return address.withSockaddr { bind(socket, $0, $1) == 0 }
        }
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func acceptsConnections(on port: Int) -> Bool {
        withSocket(port) { socket, address in
            address.withSockaddr { connect(socket, $0, $1) == 0 }
        }
    }

    private static func withSocket(_ port: Int, _ body: (Int32, sockaddr_in) -> Bool) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        return body(socket, address)
    }

    // MARK: Files

    /// Makes an ed25519 key pair without a passphrase.
    static func makeKey(at path: String, comment: String) async throws {
        let result = try await ChildProcess.finish("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path], within: .seconds(10))
        guard result.status == 0 else {
            throw Failure("ssh-keygen could not make \(path) (status \(result.status)): \(result.output)")
        }
    }

    private func writeServerConfig(for host: Host) throws {
        let text = """
            # One host of a Baton loopback SSH fleet (LoopbackSSHFleet): \(host.alias).
            Port \(host.port)
            ListenAddress 127.0.0.1
            HostKey "\(host.hostKeyPath)"
            AuthorizedKeysFile "\(clientKeyPath).pub"
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            # The fleet's folders belong to the user, not root; sshd would refuse them.
            StrictModes no
            PermitRootLogin prohibit-password
            PidFile "\(host.pidFilePath)"
            # Every process a session starts carries the marker, so tests can count and kill
            # them. Only the first SetEnv line counts.
            SetEnv "\(host.marker)" "HOME=\(host.homeDirectory)"
            PrintMotd no
            PrintLastLog no
            # Tests open many connections at once; random early drops would only make them flaky.
            MaxStartups 100

            """
        try text.write(toFile: host.configPath, atomically: true, encoding: .utf8)
    }

    /// Writes `known_hosts`: each host's real key, or the impostor's for a host listed wrong.
    /// Written whole and renamed into place, so a concurrent `ssh` never reads half of it.
    /// Under the lock, so two callers cannot write their snapshots in the wrong order.
    func writeKnownHosts() throws {
        try state.withLock { state in
            var lines: [String] = []
            for host in state.hosts {
                let keyPath = state.wrongKeys.contains(host.alias) ? impostorKeyPath : host.hostKeyPath
                let key = try String(contentsOfFile: keyPath + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
                lines.append("[127.0.0.1]:\(host.port) \(key)")
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: knownHostsPath, atomically: true, encoding: .utf8)
        }
    }

    /// Writes the `ssh_config` naming every host. Each block is whole on its own, so a reader
    /// (or a test of the SSH executor) finds everything about a host in one place.
    func writeClientConfig() throws {
        var text = """
            # The hosts of a Baton loopback SSH fleet (LoopbackSSHFleet). Use with ssh -F THIS_FILE:
            # ssh reads ~/.ssh from the passwd entry's home, not $HOME.

            """
        for host in hosts {
            text += """

                Host \(host.alias)
                    HostName 127.0.0.1
                    Port \(host.port)
                    User \(user)
                    IdentityFile "\(clientKeyPath)"
                    IdentitiesOnly yes
                    UserKnownHostsFile "\(knownHostsPath)"
                    GlobalKnownHostsFile /dev/null
                    # Keep known_hosts as the fleet wrote it; the address is checked through it.
                    UpdateHostKeys no
                    CheckHostIP no
                    BatchMode yes
                    ConnectTimeout 5
                    ConnectionAttempts 1

                """
        }
        try text.write(toFile: sshConfigPath, atomically: true, encoding: .utf8)
    }
}

private extension sockaddr_in {
    /// Calls `body` with this address as the `sockaddr` pointer and length the socket calls take.
    func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafePointer(to: self) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}
