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
        // kill(-group, 0) fails with ESRCH once no process of the group is left (zombies
        // awaiting their new parent still count, briefly).
        while ContinuousClock.now < deadline, found.contains(where: { kill(-$0, 0) == 0 }) {
            usleep(10_000)
        }
        return found.count
    }
}
