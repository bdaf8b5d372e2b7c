import Foundation

/// Runs a step on an inventory host with the system's OpenSSH client.
///
/// - **Transport:** `ssh` in `BatchMode` (keys or an agent, never a password prompt), with
///   host keys checked as the user's configuration says (Baton never turns the check off),
///   `-F` with the workflow's `ssh_config:` when it names one, and connection multiplexing
///   (`ControlMaster auto`, `ControlPersist`) with its sockets in a private directory, so the
///   steps on one host share one connection.
/// - **The command** never travels in an argument list: a small POSIX `sh` script goes to the
///   host on `ssh`'s stdin (see `remoteScript`). It makes the attempt's private files, exports
///   the step's variables (secrets among them), starts the command in a session of its own
///   (`setsid`), and waits for it. Only `sh -s` is on `ssh`'s command line, on either machine.
/// - **Stopping:** a cancel, timeout or interrupt signals the local `ssh` and, over a new
///   connection, the remote session's whole process group. Baton holds `ssh`'s stdin open until
///   the step ends; on the host, its end means the connection (or Baton) is gone, and the
///   script stops the group (SIGTERM, then SIGKILL if it is still there after 5 s).
/// - **Outputs:** the script points `$BATON_OUTPUT` at a private file; once the command ended,
///   it sends the file on standard error after a line only this attempt knows, and removes it.
///   `SSHOutputSplitter` takes them out of the log, and they are parsed as a local step's
///   file is. One connection per step.
/// - **Output and exit status** come back through `ssh`, whose exit status is the command's.
///   When `ssh` itself fails (exit 255: host unreachable, authentication refused, host key
///   changed), its own message is the step's last line of standard error.
///
/// The remote host needs a POSIX `sh`, `setsid` and `rm`.
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
        let files = job.handle.flatMap(Self.files(inHandle:)) ?? Self.newFiles()
        let marker = "baton-outputs-\(Self.randomHex(16))"
        let script = Self.remoteScript(command: command, job: job, files: files, marker: marker)
        // The script goes on ssh's stdin, and that stays open until the step ends: on the host,
        // its end means the connection (or Baton) is gone.
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            control.finish()
            return ExecutionResult(termination: .notStarted, failureReason: "cannot make a socket for ssh's input: \(String(cString: strerror(errno)))")
        }
        defer { close(ends[0]) }
        let ssh = sshArguments(target)
        let inner = ExecutionControl()
        control.install { signal in
            switch signal {
            case .terminate, .kill:
                Self.signalRemoteGroup(ssh: ssh, files: files, signal: signal == .kill ? "KILL" : "TERM")
                inner.send(signal)
            case .suspend, .resume:
                // Not among its capabilities: the rule book refuses these before they get here.
                break
            }
        }
        Self.feed(Data(script.utf8), to: ends[0])
        let splitter = SSHOutputSplitter(marker: marker)
        // The local ssh needs only the attempt's marks (for the sweep after a crash), not the
        // step's variables: those travel in the script.
        var local = job
        local.environment = job.environment.filter { ["BATON_RUN_ID", "BATON_STEP", "BATON_ATTEMPT"].contains($0.key) }
        var result = await shell.execute(local, arguments: ssh + ["sh -s"], standardInput: ends[1], control: inner) { chunk in
            splitter.take(chunk, forward: output)
        }
        close(ends[1])
        control.finish()
        if job.purpose == .run && result.termination != .exited(255) {
            do { result.outputs = try StepOutputFile.parse(bytes: splitter.outputs, step: job.stepID) } catch { result.outputProblem = error }
        }
        guard result.termination == .exited(255) else { return result }
        result.failureReason = "ssh to \(target.name) failed (an unreachable host, a refused key, a changed host key…): \(splitter.lastError ?? "no message")"
        return result
    }

    /// Sends `script` to the socket `descriptor` without blocking the caller: what does not fit
    /// in its buffer at once goes from a thread of its own, on a duplicate it closes when done.
    private static func feed(_ script: Data, to descriptor: Int32) {
        let sent = script.withUnsafeBytes { send(descriptor, $0.baseAddress!, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL)) }
        guard sent < script.count else { return }
        let rest = script.dropFirst(max(0, sent))
        let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { return }
        Thread.detachNewThread {
            _ = DescriptorIO.sendAll(Data(rest), to: copy)
            close(copy)
        }
    }

    /// Its local `ssh` processes carry the run's marks: the local sweep finds them (and their
    /// ending drops the connection, which stops what they ran on the host).
    public func stopLeftovers(ofRun runID: String) -> Int {
        shell.stopLeftovers(ofRun: runID)
    }

    public func stopBackground(ofRun runID: String, grace: Duration) async {
        await shell.stopBackground(ofRun: runID, grace: grace)
    }

    /// `host:/tmp/baton.<random>`: the host and where the attempt's files are there
    /// (`<that>.pid`, `<that>.out`).
    public func newHandle(for job: ExecutionJob) -> String? {
        job.remote.map { "\($0.name):\(Self.newFiles())" }
    }

    /// Stops what the attempt whose files the handle names left on its host (SIGTERM to its
    /// group, SIGKILL two seconds later) and removes the files, over a connection of its own.
    public func recover(handle: String, of job: ExecutionJob) async -> String? {
        guard let target = job.remote, let files = Self.files(inHandle: handle), prepareControlDirectory() == nil else { return nil }
        let remote = "\(Self.readGroup(files)) && kill -0 \"-$p\" 2>/dev/null; then kill -TERM \"-$p\"; sleep 2; "
            + "kill -KILL \"-$p\" 2>/dev/null; echo stopped; else echo gone; fi; \(Self.removal(files))"
        let text = (sshArguments(target).map(Self.quoted) + [Self.quoted("if " + remote)]).joined(separator: " ") + " </dev/null 2>&1"
        let answer = await Task.detached { Self.run(text) }.value
        switch answer {
        case "stopped": return "stopped what the interrupted attempt left running on \(target.name) (\(files))"
        case "gone": return "nothing of the interrupted attempt was left running on \(target.name)"
        default: return "could not check \(target.name) for what the interrupted attempt left (\(files)): \(answer.isEmpty ? "no answer" : answer)"
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

    /// Where the attempt's files are, from a handle; nil for a handle that does not name Baton's.
    static func files(inHandle handle: String) -> String? {
        guard let colon = handle.firstIndex(of: ":") else { return nil }
        let files = String(handle[handle.index(after: colon)...])
        let name = files.dropFirst("/tmp/baton.".count)
        guard files.hasPrefix("/tmp/baton."), !name.isEmpty, name.allSatisfy(\.isHexDigit) else { return nil }
        return files
    }

    private static func newFiles() -> String { "/tmp/baton.\(randomHex(16))" }

    /// Shell text that sets `p` to the attempt's process group and succeeds if it could (an
    /// attempt of an earlier Baton kept it in `<files>/pid`).
    private static func readGroup(_ files: String) -> String {
        "p=$(cat \(quoted(files + ".pid")) 2>/dev/null || cat \(quoted(files + "/pid")) 2>/dev/null)"
    }

    /// Shell text that removes the attempt's files.
    private static func removal(_ files: String) -> String {
        "rm -rf \(quoted(files + ".pid")) \(quoted(files + ".out")) \(quoted(files))"
    }

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

    /// `ssh` and its options for `target`.
    func sshArguments(_ target: RemoteTarget) -> [String] {
        Self.sshArguments(target, controlDirectory: controlDirectory)
    }

    /// Sends SIGTERM or SIGKILL to the remote session of the attempt whose files are at `files`,
    /// over a connection of its own, without waiting for it; after SIGKILL the files go too.
    private static func signalRemoteGroup(ssh: [String], files: String, signal: String) {
        let cleanup = signal == "KILL" ? "; \(removal(files))" : ""
        let remote = "\(readGroup(files)) && kill -\(signal) \"-$p\" 2>/dev/null\(cleanup); exit 0"
        let text = (ssh.map(quoted) + [quoted(remote)]).joined(separator: " ") + " </dev/null >/dev/null 2>&1"
        Thread.detachNewThread { _ = run(text) }
    }

    private static func randomHex(_ bytes: Int) -> String {
        (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}
