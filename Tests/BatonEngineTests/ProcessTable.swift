import Foundation

/// Reads /proc to find and count processes, for tests that count leftovers.
///
/// It is written apart from `LeftoverProcesses` on purpose: a test that counted with the
/// code under test could not notice that code missing a process.
enum ProcessTable {
    /// The pids of every process in `group` that is not a zombie.
    static func liveMembers(ofGroup group: pid_t) -> [pid_t] {
        livePids().filter { statFields(of: $0)?.group == group }
    }

    /// The pids of every process that is not a zombie and whose environment holds `entry`
    /// (`KEY=value`) as one whole variable.
    static func live(carrying entry: String) -> [pid_t] {
        let wanted = Data(entry.utf8)
        return livePids().filter { pid in
            guard let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return environment.split(separator: 0).contains { Data($0) == wanted }
        }
    }

    /// Polls until the number of live processes carrying `entry` satisfies `condition` or
    /// `limit` has passed; returns the last count seen.
    static func count(carrying entry: String, within limit: Duration, until condition: (Int) -> Bool) async -> Int {
        let deadline = ContinuousClock.now + limit
        var count = live(carrying: entry).count
        while !condition(count) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
            count = live(carrying: entry).count
        }
        return count
    }

    /// Kills every process carrying `entry`: the clean-up after a test that failed.
    static func killAll(carrying entry: String) {
        for pid in live(carrying: entry) { kill(pid, SIGKILL) }
    }

    private static func livePids() -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let pid = pid_t(entry), let fields = statFields(of: pid), fields.state != "Z" else { return nil }
            return pid
        }
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
