/// The text `SSHExecutor` runs: the local `ssh` command line and the script it sends.
extension SSHExecutor {
    /// `text` as one single-quoted shell word.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Whether `name` can be exported by a POSIX shell.
    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// `ssh` with Baton's options for `target`: batch mode, multiplexed, the workflow's
    /// `ssh_config` if any, the port if the inventory gives one, then `--` and the destination.
    static func sshArguments(_ target: RemoteTarget, controlDirectory: String) -> [String] {
        var words = ["ssh"]
        if let config = target.sshConfig { words += ["-F", config] }
        words += [
            "-T", "-o", "BatchMode=yes", "-o", "ControlMaster=auto", "-o", "ControlPath=\(controlDirectory)/%C",
            "-o", "ControlPersist=\(controlPersist)", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=4",
        ]
        if let port = target.port { words += ["-p", String(port)] }
        return words + ["--", target.destination]
    }

    /// The script `sh -s` runs on the host, all in one `{ … }` so the shell reads it whole
    /// before it starts and never reads its stdin again:
    /// - the attempt's files, `<files>.out` (`$BATON_OUTPUT`) and `<files>.pid`, made new and
    ///   private (umask 077 and noclobber, in a subshell so the command keeps the user's umask);
    /// - the step's variables, then the command in a session of its own (`setsid`);
    /// - a watch that reads the script's stdin, which Baton holds open until the step ends: its
    ///   end means the connection or Baton is gone, and the watch stops the command's group
    ///   (SIGTERM, then SIGKILL after 5 s). It costs one fork and no polling;
    /// - once the command ended, its outputs sent back on standard error after `marker`.
    static func remoteScript(command: String, job: ExecutionJob, files: String, marker: String) -> String {
        var lines = [
            "{",
            "exec 3<&0",
            "f=\(quoted(files))",
            // The shell says why on standard error (a name taken, a full disk), then this line.
            "( umask 077 && set -C && : > \"$f.out\" && : > \"$f.pid\" ) || { echo \"baton: cannot make $f.out on $(hostname)\" >&2; exit 125; }",
            "export BATON_OUTPUT=\"$f.out\"",
        ]
        for name in job.environment.keys.sorted() where isVariableName(name) && name != "BATON_OUTPUT" {
            lines.append("export \(name)=\(quoted(job.environment[name] ?? ""))")
        }
        if let directory = job.directory {
            lines.append("cd \(quoted(directory)) || { echo \"baton: no folder \(directory.replacingOccurrences(of: "\"", with: "")) on $(hostname)\" >&2; rm -f \"$f.out\" \"$f.pid\"; exit 125; }")
        }
        lines += [
            "setsid sh -c \(quoted(command)) </dev/null 3<&- &",
            "pid=$!",
            "echo \"$pid\" > \"$f.pid\"",
            "( read -r _ <&3",
            "  kill -TERM \"-$pid\" 2>/dev/null; n=0",
            "  while kill -0 \"-$pid\" 2>/dev/null && [ \"$n\" -lt 5 ]; do sleep 1; n=$((n + 1)); done",
            "  kill -KILL \"-$pid\" 2>/dev/null; rm -f \"$f.out\" \"$f.pid\" ) </dev/null >/dev/null 2>&1 &",
            "watch=$!",
            // Set after the watch started, so the watch never inherits it.
            "trap 'kill -TERM \"-$pid\" 2>/dev/null' HUP INT TERM",
            "while :; do wait \"$pid\"; code=$?; kill -0 \"$pid\" 2>/dev/null || break; done",
            "kill \"$watch\" 2>/dev/null",
            // The outputs go back on this connection, after a line only this attempt knows.
            "if [ -s \"$f.out\" ]; then printf '%s\\n' \(quoted(marker)) >&2; cat \"$f.out\" >&2; fi",
            "rm -f \"$f.out\" \"$f.pid\"",
            "exit \"$code\"",
            "}",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
