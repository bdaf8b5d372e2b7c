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
    static func sshArguments(_ target: RemoteTarget, controlDirectory: String) -> String {
        var words = ["ssh"]
        if let config = target.sshConfig { words += ["-F", quoted(config)] }
        words += [
            "-T", "-o", "BatchMode=yes", "-o", "ControlMaster=auto", "-o", quoted("ControlPath=\(controlDirectory)/%C"),
            "-o", "ControlPersist=\(controlPersist)", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=4",
        ]
        if let port = target.port { words += ["-p", String(port)] }
        words += ["--", quoted(target.destination)]
        return words.joined(separator: " ")
    }

    /// The script `sh -s` runs on the host: a private folder, the step's variables, the
    /// command in a session of its own, a watch on the connection, and the outputs sent back
    /// after `marker` on standard error.
    static func remoteScript(command: String, job: ExecutionJob, folder: String, marker: String) -> String {
        var lines = [
            "d=\(quoted(folder))",
            "mkdir -m 700 \"$d\" || { echo \"baton: cannot make $d on $(hostname)\" >&2; exit 125; }",
            "export BATON_OUTPUT=\"$d/output\"",
        ]
        for name in job.environment.keys.sorted() where isVariableName(name) && name != "BATON_OUTPUT" {
            lines.append("export \(name)=\(quoted(job.environment[name] ?? ""))")
        }
        if let directory = job.directory {
            lines.append("cd \(quoted(directory)) || { echo \"baton: no folder \(directory.replacingOccurrences(of: "\"", with: "")) on $(hostname)\" >&2; rm -rf \"$d\"; exit 125; }")
        }
        lines += [
            "setsid sh -c \(quoted(command)) </dev/null &",
            "pid=$!",
            "echo \"$pid\" > \"$d/pid\"",
            "trap 'kill -TERM \"-$pid\" 2>/dev/null' HUP INT TERM",
            // The connection dropped when this script's parent (the ssh session) is gone.
            "parent=$PPID",
            // It looks once a second, from the first second on: a short step costs it no process.
            "( while sleep 1 && kill -0 \"$pid\" 2>/dev/null; do",
            "    if [ \"$(ps -o ppid= -p $$ 2>/dev/null | tr -d ' ')\" != \"$parent\" ]; then",
            "      kill -TERM \"-$pid\" 2>/dev/null; n=0",
            "      while kill -0 \"-$pid\" 2>/dev/null && [ \"$n\" -lt 5 ]; do sleep 1; n=$((n + 1)); done",
            "      kill -KILL \"-$pid\" 2>/dev/null; rm -rf \"$d\"; exit 0",
            "    fi",
            "  done ) </dev/null >/dev/null 2>&1 &",
            "watch=$!",
            "while :; do wait \"$pid\"; code=$?; kill -0 \"$pid\" 2>/dev/null || break; done",
            "kill \"$watch\" 2>/dev/null",
            // The outputs go back on this connection, after a line only this attempt knows.
            "if [ -s \"$d/output\" ]; then printf '%s\\n' \(quoted(marker)) >&2; cat \"$d/output\" >&2; fi",
            "rm -rf \"$d\"",
            "exit \"$code\"",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
