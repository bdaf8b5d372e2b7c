import ArgumentParser
import BatonEngine
import Foundation

/// `baton runs`: lists recorded runs with their state and duration.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List recorded runs with their state and duration, or print one run's audit trail.",
        discussion: """
            STATE is the run's status: running, paused, stopping or waiting for an operator (with what \
            for: "waiting for an operator: 'ship' is waiting for approval by any operator") while a Baton \
            process has it; succeeded, failed, cancelled, rolled back, rollback failed, interrupted or \
            waiting for an operator once it ended; stopped unexpectedly when its Baton process died. \
            A live run that waits is acted on from any terminal: baton approve RUN STEP, baton retry \
            RUN STEP, baton skip RUN STEP, baton cancel RUN (see their --help).
            A run marked (resumable) was interrupted, waits for an operator or its Baton process died: \
            baton resume RUN continues it. A run marked (reopenable) finished, and an operator may still \
            act on it: baton resume RUN --retry-failed, baton resume RUN --skip STEP, baton rollback RUN [STEP]. \
            Either mark needs a run directory you can write.
            --audit RUN prints who did what and when in that run: every operator command, accepted or refused, \
            with its comment, and what Baton decided by itself (gates that timed out or escalated).
            """
    )

    @Option(name: .customLong("audit"), help: ArgumentHelp("Print the audit trail of this run (a run id or a run directory).", valueName: "run"), completion: CompletionCandidates.recordedRuns)
    var auditRun: String?

    @Flag(help: "With --audit: one JSON object per line instead of a table.")
    var json = false

    @Option(help: "Where runs are recorded (default $XDG_STATE_HOME/baton, then ~/.local/state/baton).", completion: .directory)
    var stateDir: String?

    @Option(help: "Show at most this many runs, newest first.")
    var limit: Int = 20

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        if json && auditRun == nil { throw ValidationError("--json applies to --audit RUN only") }
    }

    func run() throws {
        if let auditRun { return try printAudit(of: auditRun) }
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
                let duration = Self.duration(of: state, in: run, live: live)
                // The fold's status; a run nobody writes any more that never recorded its end stopped unexpectedly.
                var label = state.outcome == nil && !live ? "stopped unexpectedly" : state.status.words
                if live, let waitsFor = Self.waitsFor(state) { label += ": " + waitsFor }
                // The same decisions `baton resume` and `baton rollback` act on: a run listed so is never refused.
                // (A console keeps a finished run's journal open: nobody else may take it up then.)
                let environment = ProcessInfo.processInfo.environment
                let mayTake = !run.isBeingWritten && RunSource.writeRefusal(for: run) == nil
                if mayTake && state.isResumable, case .success = run.resumeCheck(environment: environment) {
                    label += " (resumable)"
                } else if mayTake && state.isReopenable, case .success = run.resumeCheck(environment: environment, reopening: true) {
                    label += " (reopenable)"
                }
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

    /// Prints the audit trail of one run; an unknown or unreadable run exits 2 with the reason.
    private func printAudit(of reference: String) throws {
        let run = RunLocator.directory(for: reference, stateDir: stateDir)
        let state: RunState
        do {
            state = try JournalReader.fold(try run.readJournal().events)
        } catch let error as JournalError {
            Console.error("baton: cannot read the audit trail of '\(reference)': \(error.message)")
            throw ExitStatus.invalidInput
        } catch {
            Console.error("baton: cannot read the audit trail of '\(reference)': \(error)")
            throw ExitStatus.invalidInput
        }
        let printer = AuditPrinter(entries: state.audit)
        Console.out(json ? try printer.jsonLines() : printer.table(runID: state.runID, workflow: state.workflowName))
    }

    /// What a run that waits for an operator waits for, as the console's header says it: the
    /// first reason, and how many more there are; nil when it does not wait.
    static func waitsFor(_ state: RunState) -> String? {
        guard state.status == .waitingForOperator, let wait = state.operatorWait, let first = wait.reasons.first else { return nil }
        let more = wait.reasons.count > 1 ? " (+\(wait.reasons.count - 1) more)" : ""
        return ProgressPrinter.printable(first) + more
    }

    /// Wall time from the run's start to its end: to `run_finished`, to now while a Baton
    /// writes it, and for a run whose process died, to the last thing it recorded (an event,
    /// or output in a step's log), since it ran at least that long.
    static func duration(of state: RunState, in run: RunDirectory, live: Bool) -> Double {
        guard let start = state.startedAt else { return 0 }
        if let end = state.finishedAt { return end - start }
        if live { return Date().timeIntervalSince1970 - start }
        let heard = [state.lastEventAt, StepLogStore.lastChunkTime(inDirectory: run.logsPath)].compactMap { $0 }.max()
        return max(0, (heard ?? start) - start)
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
