import ArgumentParser
import BatonEngine
import Foundation

/// `baton runs`: lists recorded runs with their state and duration.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List recorded runs with their state and duration.",
        discussion: "A run marked (resumable) was interrupted or its Baton process died; baton resume RUN continues it."
    )

    @Option(help: "Where runs are recorded (default $XDG_STATE_HOME/baton, then ~/.local/state/baton).")
    var stateDir: String?

    @Option(help: "Show at most this many runs, newest first.")
    var limit: Int = 20

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let directory = StateDirectory.resolve(override: stateDir)
        let ids = directory.runIDs().suffix(limit).reversed()
        guard !ids.isEmpty else {
            print("no runs recorded in \(directory.runsPath)")
            return
        }
        var rows: [[String]] = [["RUN", "WORKFLOW", "STATE", "STARTED", "DURATION", "STEPS"]]
        for id in ids {
            let run = directory.runDirectory(id)
            do {
                let contents = try run.readJournal()
                let state = try JournalReader.fold(contents.events)
                let counts = state.countsByState
                let done = (counts[.succeeded] ?? 0) + (counts[.skipped] ?? 0)
                let live = state.outcome == nil && run.isBeingWritten
                let end = state.finishedAt ?? (live ? Date().timeIntervalSince1970 : nil) ?? contents.events.last?.time ?? state.startedAt ?? 0
                let duration = end - (state.startedAt ?? end)
                var label = state.outcome?.rawValue ?? (live ? "running" : "unfinished")
                if live && state.isPaused { label = "paused" }
                if !live && state.isResumable { label += " (resumable)" }
                rows.append([id, state.workflowName, label, Self.date(state.startedAt), Self.duration(duration), "\(done)/\(state.steps.count)"])
            } catch {
                rows.append([id, "?", "unreadable", "", "", "\(error)"])
            }
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  "))
        }
    }

    static func date(_ time: Double?) -> String {
        guard let time else { return "" }
        var seconds = time_t(time)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        if seconds < 3600 { return "\(Int(seconds) / 60)m\(Int(seconds) % 60)s" }
        return "\(Int(seconds) / 3600)h\(Int(seconds) % 3600 / 60)m"
    }
}
