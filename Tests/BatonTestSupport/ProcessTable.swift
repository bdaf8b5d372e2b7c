import Foundation

/// Reads /proc to find and count processes, for tests that count leftovers: by a variable in
/// their environment, by process group, by working directory, or a `baton` by an argument.
///
/// It is written apart from Baton's own `LeftoverProcesses` on purpose: a test that counted
/// with the code under test could not notice that code missing a process.
public enum ProcessTable {
    /// The pids of every process in `group` that is not a zombie.
    public static func liveMembers(ofGroup group: pid_t) -> [pid_t] {
        livePids().filter { statFields(of: $0)?.group == group }
    }

    /// The pids of every process that is not a zombie and whose environment holds `entry`
    /// (`KEY=value`) as one whole variable.
    public static func live(carrying entry: String) -> [pid_t] {
        let wanted = Data(entry.utf8)
        return livePids().filter { pid in
            guard let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return environment.split(separator: 0).contains { Data($0) == wanted }
        }
    }

    /// Polls until the number of live processes carrying `entry` satisfies `condition` or
    /// `limit` has passed; returns the last count seen.
    public static func count(carrying entry: String, within limit: Duration, until condition: (Int) -> Bool) async -> Int {
        let deadline = ContinuousClock.now + limit
        var count = live(carrying: entry).count
        while !condition(count) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
            count = live(carrying: entry).count
        }
        return count
    }

    /// Kills every process carrying `entry`: the clean-up after a test that failed.
    public static func killAll(carrying entry: String) {
        for pid in live(carrying: entry) { kill(pid, SIGKILL) }
    }

    /// The pid of the live `baton` process that has `argument` among its arguments.
    public static func baton(withArgument argument: String) -> pid_t? {
        livePids().first { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return words.first?.hasSuffix("/baton") == true && words.contains(argument)
        }
    }

    /// Polls until a `baton` with `argument` is running; nil after `limit`.
    public static func waitForBaton(withArgument argument: String, within limit: Duration) async -> pid_t? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let pid = baton(withArgument: argument) { return pid }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return nil
    }

    /// The pids of every live process whose working directory is `directory`: what a program
    /// started there left running, whatever became of its environment and process group.
    public static func live(inDirectory directory: String) -> [pid_t] {
        let wanted = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        return livePids().filter { pid in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")) == wanted
        }
    }

    /// A process's command line, its arguments separated by spaces, for messages.
    public static func commandLine(of pid: pid_t) -> String {
        let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
        return "\(pid): " + data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
    }

    /// Whether `pid` is a live process (not gone, not a zombie).
    public static func isLive(_ pid: pid_t) -> Bool {
        guard let fields = statFields(of: pid) else { return false }
        return fields.state != "Z"
    }

    private static func livePids() -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in pid_t(entry).flatMap { isLive($0) ? $0 : nil } }
    }

    /// The state letter and process group from `/proc/<pid>/stat`.
    private static func statFields(of pid: pid_t) -> (state: Substring, group: pid_t)? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After "pid (comm)": state, ppid, pgrp, ...
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 2, let group = pid_t(fields[2]) else { return nil }
        return (fields[0], group)
    }
}
