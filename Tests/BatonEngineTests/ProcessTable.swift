import Foundation

/// Reads /proc to find the processes of a process group, for tests that count leftovers.
enum ProcessTable {
    /// The pids of every process in `group` that is not a zombie.
    static func liveMembers(ofGroup group: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var members: [pid_t] = []
        for entry in entries {
            guard let pid = pid_t(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // After "pid (comm)": state, ppid, pgrp, ...
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, let pgrp = pid_t(fields[2]) else { continue }
            if pgrp == group && fields[0] != "Z" { members.append(pid) }
        }
        return members
    }
}
