import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LeftoverProcesses {
    /// A live process found by the entries of its environment.
    struct MarkedProcess: Sendable, Hashable {
        var pid: pid_t
        var group: pid_t
    }

    /// The environment entries that mark the processes of one attempt of one step:
    /// `BATON_RUN_ID`, `BATON_STEP` and `BATON_ATTEMPT` as the engine sets them; empty when
    /// `environment` lacks any of them (an executor used without an engine).
    static func attemptMarkers(in environment: [String: String]) -> [String] {
        let names = ["BATON_RUN_ID", "BATON_STEP", "BATON_ATTEMPT"]
        let entries = names.compactMap { name in environment[name].map { "\(name)=\($0)" } }
        return entries.count == names.count ? entries : []
    }

    /// The processes other than Baton itself whose environment (as they were started, from
    /// `/proc/<pid>/environ`) holds every entry of `markers`. A process that emptied or
    /// rewrote its environment before `exec` is not found. Zombies have no environment left,
    /// so they are never found. Empty `markers` find nothing.
    static func processes(carrying markers: [String]) -> [MarkedProcess] {
        guard !markers.isEmpty else { return [] }
        let wanted = markers.map { Array($0.utf8) }
        let own = getpid()
        var found: [MarkedProcess] = []
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry), pid != own,
                  let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
                  !environment.isEmpty else { continue }
            let variables = environment.split(separator: 0, omittingEmptySubsequences: true)
            guard wanted.allSatisfy({ marker in variables.contains { $0.elementsEqual(marker) } }) else { continue }
            let group = getpgid(pid)
            if group > 0 { found.append(MarkedProcess(pid: pid, group: group)) }
        }
        return found
    }

    /// Sends `signal` to every process carrying `markers` that is not in `sparedGroup`, and to
    /// the process group of each one that leads its own group (a `setsid` or `setpgid(0, 0)`
    /// child takes what it starts along). Baton's own process group is never signalled as a
    /// whole. Returns how many processes were found.
    @discardableResult
    static func signal(_ signal: Int32, processesCarrying markers: [String], outside sparedGroup: pid_t? = nil) -> Int {
        let own = getpgrp()
        var count = 0
        for process in processes(carrying: markers) where process.group != sparedGroup {
            count += 1
            _ = kill(process.pid, signal)
            if process.group == process.pid && process.group != own { _ = kill(-process.group, signal) }
            // A stopped process acts on SIGTERM only once continued.
            if signal == SIGTERM { _ = kill(process.pid, SIGCONT) }
        }
        return count
    }

    /// Stops every process carrying `markers`: SIGTERM, then SIGKILL to whatever is still
    /// there after `grace`; waits (up to a second more) until none is left. Returns how many
    /// processes there were at first.
    @discardableResult
    static func stop(processesCarrying markers: [String], grace: Duration) async -> Int {
        let first = signal(SIGTERM, processesCarrying: markers)
        guard first > 0 else { return 0 }
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while clock.now < deadline, !processes(carrying: markers).isEmpty {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let end = clock.now + .seconds(1)
        while signal(SIGKILL, processesCarrying: markers) > 0, clock.now < end {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return first
    }
}
