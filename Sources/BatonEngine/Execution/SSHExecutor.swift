import Foundation

/// Runs a step on an inventory host with the system's OpenSSH client.
///
/// - **Transport:** `ssh` in `BatchMode` (keys or an agent, never a password prompt), with
///   host keys checked as the user's configuration says (Baton never turns the check off),
///   `-F` with the workflow's `ssh_config:` when it names one, and connection multiplexing
///   (`ControlMaster auto`, `ControlPersist`) with its sockets in a private directory, so the
///   steps on one host share one connection.
/// - **The command** never travels in an argument list: a small POSIX `sh` script goes to the
///   host on `ssh`'s stdin. It makes a private folder for the attempt, exports the step's
///   variables (secrets among them), starts the command in a session of its own (`setsid`),
///   and waits for it. Only `sh -s` is on `ssh`'s command line, on either machine.
/// - **Stopping:** a cancel, timeout or interrupt signals the local `ssh` and, over a new
///   connection, the remote session's whole process group. The script also watches its own
///   connection: when it drops, the script stops the group (SIGTERM, then SIGKILL if it is still there after 5 s).
/// - **Outputs:** the script points `$BATON_OUTPUT` at its folder; once the command ended, it
///   sends the file on standard error after a line only this attempt knows, and removes the
///   folder. `SSHOutputSplitter` takes them out of the log into the local output file, which
///   the shell executor reads as it does for a local step. One connection per step.
/// - **Output and exit status** come back through `ssh`, whose exit status is the command's.
///   When `ssh` itself fails (exit 255: host unreachable, authentication refused, host key
///   changed), its own message is the step's last line of standard error.
///
/// The remote host needs a POSIX `sh`, `setsid`, `mkdir`, `ps` and `kill`.
public struct SSHExecutor: StepExecutor {
    /// It stops what it started, brings outputs back, and finds an attempt again by its handle
    /// after Baton itself stopped; it cannot freeze a remote step.
    public static let capabilities: ExecutorCapabilities = [.stop, .streamsOutput, .outputs, .recovery]
    public var capabilities: ExecutorCapabilities { Self.capabilities }

    /// How long a multiplexed connection stays open after its last step.
    public static let controlPersist = 60

    private let shell: ShellExecutor
    /// Where the multiplexing sockets go: a folder only this user can enter.
    private let controlDirectory: String

    public init(controlDirectory: String? = nil) {
        shell = ShellExecutor()
        self.controlDirectory = controlDirectory ?? "\(NSTemporaryDirectory())baton-ssh-\(getuid())"
    }

    public func execute(
        _ job: ExecutionJob,
        control: ExecutionControl,
        output: @escaping @Sendable (OutputChunk) -> Void
    ) async -> ExecutionResult {
        guard let target = job.remote, let command = job.command else {
            return await shell.execute(job, control: control, output: output)
        }
        if let problem = prepareControlDirectory() {
            control.finish()
            return ExecutionResult(termination: .notStarted, failureReason: problem)
        }
        let folder = job.handle.flatMap(Self.folder(inHandle:)) ?? Self.newFolder()
        let marker = "baton-outputs-\(Self.randomHex(16))"
        let scriptPath = job.outputFile + ".remote.sh"
        let script = Self.remoteScript(command: command, job: job, folder: folder, marker: marker)
        guard FileManager.default.createFile(atPath: scriptPath, contents: Data(script.utf8), attributes: [.posixPermissions: 0o600]) else {
            control.finish()
            return ExecutionResult(termination: .notStarted, failureReason: "cannot write the script for \(target.name) (\(scriptPath))")
        }
        defer { unlink(scriptPath) }
        let ssh = sshArguments(target)
        var local = job
        local.command = "exec \(ssh) 'sh -s' < \(Self.quoted(scriptPath))"
        local.directory = nil
        local.remote = nil
        let inner = ExecutionControl()
        control.install { signal in
            switch signal {
            case .terminate, .kill:
                Self.signalRemoteGroup(ssh: ssh, folder: folder, signal: signal == .kill ? "KILL" : "TERM")
                inner.send(signal)
            case .suspend, .resume:
                // Not among its capabilities: the rule book refuses these before they get here.
                break
            }
        }
        let splitter = SSHOutputSplitter(marker: marker, outputPath: job.outputFile)
        let result = await shell.execute(local, control: inner) { chunk in
            splitter.take(chunk, forward: output)
        }
        splitter.finish()
        control.finish()
        guard result.termination == .exited(255) else { return result }
        var failed = result
        failed.failureReason = "ssh to \(target.name) failed (an unreachable host, a refused key, a changed host key…): \(splitter.lastError ?? "no message")"
        return failed
    }

    /// Its local `ssh` processes carry the run's marks: the local sweep finds them (and their
    /// ending drops the connection, which stops what they ran on the host).
    public func stopLeftovers(ofRun runID: String) -> Int {
        shell.stopLeftovers(ofRun: runID)
    }

    public func stopBackground(ofRun runID: String, grace: Duration) async {
        await shell.stopBackground(ofRun: runID, grace: grace)
    }

    /// `host:/tmp/baton.<random>`: the host and the attempt's private folder there.
    public func newHandle(for job: ExecutionJob) -> String? {
        job.remote.map { "\($0.name):\(Self.newFolder())" }
    }

    /// Stops what the attempt whose folder the handle names left on its host (SIGTERM to its
    /// group, SIGKILL two seconds later) and removes the folder, over a connection of its own.
    public func recover(handle: String, of job: ExecutionJob) async -> String? {
        guard let target = job.remote, let folder = Self.folder(inHandle: handle), prepareControlDirectory() == nil else { return nil }
        let pid = Self.quoted(folder + "/pid")
        let remote = "if p=$(cat \(pid) 2>/dev/null) && kill -0 \"-$p\" 2>/dev/null; then kill -TERM \"-$p\"; sleep 2; "
            + "kill -KILL \"-$p\" 2>/dev/null; echo stopped; else echo gone; fi; rm -rf \(Self.quoted(folder))"
        let text = "\(sshArguments(target)) \(Self.quoted(remote)) </dev/null 2>&1"
        let answer = await Task.detached { Self.run(text) }.value
        switch answer {
        case "stopped": return "stopped what the interrupted attempt left running on \(target.name) (\(folder))"
        case "gone": return "nothing of the interrupted attempt was left running on \(target.name)"
        default: return "could not check \(target.name) for what the interrupted attempt left (\(folder)): \(answer.isEmpty ? "no answer" : answer)"
        }
    }

    /// The last line `sh -c text` prints, waiting for it to end.
    private static func run(_ text: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", text]
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { return "cannot start ssh: \(error)" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
    }

    /// The folder part of a handle; nil for a handle that does not name one of Baton's.
    static func folder(inHandle handle: String) -> String? {
        guard let colon = handle.firstIndex(of: ":") else { return nil }
        let folder = String(handle[handle.index(after: colon)...])
        let name = folder.dropFirst("/tmp/baton.".count)
        guard folder.hasPrefix("/tmp/baton."), !name.isEmpty, name.allSatisfy(\.isHexDigit) else { return nil }
        return folder
    }

    private static func newFolder() -> String { "/tmp/baton.\(randomHex(16))" }

    /// The folder for the multiplexing sockets, made private; a sentence if it cannot be.
    private func prepareControlDirectory() -> String? {
        if mkdir(controlDirectory, 0o700) != 0 && errno != EEXIST {
            return "cannot make the folder for ssh's connections (\(controlDirectory)): \(String(cString: strerror(errno)))"
        }
        var info = stat()
        guard lstat(controlDirectory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == getuid() else {
            return "the folder for ssh's connections (\(controlDirectory)) is not a folder of this user's"
        }
        if info.st_mode & 0o077 != 0 { chmod(controlDirectory, 0o700) }
        return nil
    }

    /// `ssh` and its options for `target`, each a shell word.
    func sshArguments(_ target: RemoteTarget) -> String {
        Self.sshArguments(target, controlDirectory: controlDirectory)
    }

    /// Sends SIGTERM or SIGKILL to the remote session of the attempt whose folder is `folder`,
    /// over a connection of its own, without waiting for it; after SIGKILL the folder goes too.
    private static func signalRemoteGroup(ssh: String, folder: String, signal: String) {
        let cleanup = signal == "KILL" ? "; rm -rf \(quoted(folder))" : ""
        let remote = "p=$(cat \(quoted(folder + "/pid")) 2>/dev/null) && kill -\(signal) \"-$p\" 2>/dev/null\(cleanup); exit 0"
        let text = "\(ssh) \(quoted(remote)) </dev/null >/dev/null 2>&1"
        Thread.detachNewThread { _ = run(text) }
    }

    private static func randomHex(_ bytes: Int) -> String {
        (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}
