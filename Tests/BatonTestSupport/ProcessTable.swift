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

    /// The state letter of each live process of a process group, as `/proc/<pid>/stat` gives
    /// it: `R` running, `S` sleeping, `D` waiting uninterruptibly, `T` stopped.
    public static func states(ofGroup group: pid_t) -> [String] {
        livePids().compactMap { pid in statFields(of: pid).flatMap { $0.group == group ? String($0.state) : nil } }
    }

    /// The pids of every live process under `root` (its children, theirs, and so on), `root`
    /// excluded. A process whose parent died before this looked is no longer under `root`.
    public static func liveDescendants(of root: pid_t) -> [pid_t] {
        var children: [pid_t: [pid_t]] = [:]
        for pid in livePids() {
            if let parent = statFields(of: pid)?.parent { children[parent, default: []].append(pid) }
        }
        var found: [pid_t] = []
        var queue = children[root] ?? []
        while let pid = queue.popLast() {
            found.append(pid)
            queue += children[pid] ?? []
        }
        return found
    }

    /// Freezes `root` and every process under it with SIGSTOP, then kills them all with
    /// SIGKILL; returns the pids it killed. Freezing first matters: a stopped process cannot
    /// fork, so no new member appears between the last look and the kill, and none is
    /// orphaned out of the tree by its parent dying first.
    @discardableResult
    public static func killTree(_ root: pid_t) -> [pid_t] {
        var frozen: Set<pid_t> = [root]
        kill(root, SIGSTOP)
        // Bounded: each round stops what the last look found, and stopped processes add none.
        for _ in 0..<50 {
            let unfrozen = Set(liveDescendants(of: root)).subtracting(frozen)
            if unfrozen.isEmpty { break }
            for pid in unfrozen { kill(pid, SIGSTOP) }
            frozen.formUnion(unfrozen)
        }
        for pid in frozen { kill(pid, SIGKILL) }
        return frozen.sorted()
    }

    /// Polls (blocking, every 5 ms) until none of `pids` is live or `limit` has passed;
    /// returns those still live.
    @discardableResult
    public static func waitUntilGone(_ pids: [pid_t], within limit: Duration) -> [pid_t] {
        let deadline = ContinuousClock.now + limit
        var left = pids.filter(isLive)
        while !left.isEmpty && ContinuousClock.now < deadline {
            usleep(5_000)
            left = left.filter(isLive)
        }
        return left
    }

    /// The pids of every live process whose command line (arguments joined by spaces, or the
    /// title it set for itself) contains `text`.
    public static func live(commandLineContaining text: String) -> [pid_t] {
        livePids().filter { commandLine(of: $0).contains(text) }
    }

    /// The program `pid` runs (`/proc/<pid>/exe`), or nil if it is gone or unreadable.
    public static func executable(of pid: pid_t) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
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

    /// The state letter, parent and process group from `/proc/<pid>/stat`.
    private static func statFields(of pid: pid_t) -> (state: Substring, parent: pid_t, group: pid_t)? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After "pid (comm)": state, ppid, pgrp, ...
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 2, let parent = pid_t(fields[1]), let group = pid_t(fields[2]) else { return nil }
        return (fields[0], parent, group)
    }
}
