import Foundation

/// Counts processes in /proc for the end-to-end orphan tests: by a variable in their
/// environment, or a `baton` by an argument on its command line.
///
/// Written apart from Baton's own `LeftoverProcesses`, so that a process Baton fails to
/// find is still counted here.
enum ProcessCensus {
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
            try? await Task.sleep(for: .milliseconds(25))
            count = live(carrying: entry).count
        }
        return count
    }

    /// Kills every process carrying `entry`: the clean-up after a test that failed.
    static func killAll(carrying entry: String) {
        for pid in live(carrying: entry) { kill(pid, SIGKILL) }
    }

    /// The pid of the live `baton` process that has `argument` among its arguments.
    static func baton(withArgument argument: String) -> pid_t? {
        livePids().first { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return words.first?.hasSuffix("/baton") == true && words.contains(argument)
        }
    }

    /// Polls until a `baton` with `argument` is running; nil after `limit`.
    static func waitForBaton(withArgument argument: String, within limit: Duration) async -> pid_t? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let pid = baton(withArgument: argument) { return pid }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return nil
    }

    /// The pids of every live process whose working directory is `directory`: what a program
    /// started there left running, whatever became of its environment and process group.
    static func live(inDirectory directory: String) -> [pid_t] {
        let wanted = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        return livePids().filter { pid in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")) == wanted
        }
    }

    /// A process's command line, its arguments separated by spaces, for messages.
    static func commandLine(of pid: pid_t) -> String {
        let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
        return "\(pid): " + data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
    }

    /// Whether `pid` is a live process (not gone, not a zombie).
    static func isLive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }

    private static func livePids() -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in pid_t(entry).flatMap { isLive($0) ? $0 : nil } }
    }
}
