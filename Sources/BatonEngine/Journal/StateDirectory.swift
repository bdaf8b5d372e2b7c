import Foundation

/// Where Baton keeps its runs: `--state-dir`, else `$XDG_STATE_HOME/baton`, else `~/.local/state/baton`.
public struct StateDirectory: Sendable, Hashable {
    public var path: String

    public init(path: String) { self.path = path }

    /// Picks the state directory from an explicit override and the environment.
    public static func resolve(override: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> StateDirectory {
        if let override, !override.isEmpty { return StateDirectory(path: override) }
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") { return StateDirectory(path: "\(xdg)/baton") }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return StateDirectory(path: "\(home)/.local/state/baton")
    }

    /// The folder that holds one directory per run.
    public var runsPath: String { "\(path)/runs" }

    /// The directory of the run with the given id.
    public func runDirectory(_ runID: String) -> RunDirectory {
        RunDirectory(path: "\(runsPath)/\(runID)")
    }

    /// The ids of every recorded run, oldest first (ids sort by start time).
    public func runIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runsPath)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: "\(runsPath)/\($0)/events.jsonl") }.sorted()
    }

    /// Makes a new run id: the UTC start time, then four random hex digits.
    public static func newRunID(at date: Date = Date()) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let stamp = String(
            format: "%04d%02d%02d-%02d%02d%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec)
        return "\(stamp)-\(String(format: "%04x", UInt16.random(in: 0...UInt16.max)))"
    }
}
