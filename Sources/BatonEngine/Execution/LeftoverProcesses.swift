import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds and stops the step processes a run left behind when Baton died without stopping them
/// (kill -9, power loss is moot, a crash).
///
/// Every step process carries `BATON_RUN_ID` in its environment, so the processes of a run
/// are the ones whose `/proc/<pid>/environ` holds `BATON_RUN_ID=<run>`; that test does not
/// mistake an unrelated process that reused a pid. Their whole process groups are killed.
/// On systems without `/proc` nothing is found.
public enum LeftoverProcesses {
    /// The process groups that hold a process of run `runID`, other than Baton's own.
    public static func groups(ofRun runID: String) -> Set<pid_t> {
        let marker = Array("BATON_RUN_ID=\(runID)".utf8)
        let own = getpgrp()
        var groups = Set<pid_t>()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry), pid != getpid(),
                  let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { continue }
            let found = environment.split(separator: 0, omittingEmptySubsequences: true).contains { Array($0) == marker }
            guard found else { continue }
            let group = getpgid(pid)
            if group > 0 && group != own { groups.insert(group) }
        }
        return groups
    }

    /// Kills every process group of run `runID` with SIGKILL and waits (up to `limit`) until
    /// they are gone, so that nothing they held is still in use when steps run again; returns
    /// how many groups there were.
    @discardableResult
    public static func stop(run runID: String, limit: Duration = .seconds(2)) -> Int {
        let found = groups(ofRun: runID)
        for group in found { _ = kill(-group, SIGKILL) }
        let deadline = ContinuousClock.now + limit
        // A killed process is done once it is a zombie: it holds nothing any more, though it
        // lingers until whoever inherited it (often a slow init) reaps it.
        while ContinuousClock.now < deadline, hasLiveMember(in: found) {
            usleep(10_000)
        }
        return found.count
    }

    /// Whether any process that is not a zombie belongs to one of `groups`, from `/proc/<pid>/stat`.
    static func hasLiveMember(in groups: Set<pid_t>) -> Bool {
        guard !groups.isEmpty else { return false }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry), let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { continue }
            // "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses, so read after the last ')'.
            guard let close = stat.lastIndex(of: UInt8(ascii: ")")) else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: UInt8(ascii: " "))
            guard fields.count >= 3, let group = pid_t(String(decoding: fields[2], as: UTF8.self)),
                  groups.contains(group) else { continue }
            if fields[0].first != UInt8(ascii: "Z") { return true }
        }
        return false
    }
}
