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
            --state, --workflow and --since list only the runs that match all of them; a state is named as \
            --json names it (failed, rolled_back, waiting_for_operator, stopped_unexpectedly…) or as the \
            table writes it. --json prints one JSON document on stdout and any message on stderr \
            (docs/json-output.md).
            Here and in every command that takes a run, a run is named by its id, the start of its id or of \
            the id's last part (3f2a for 20261206-061134-3f2a), last (the run started last), or its directory.
            """
    )

    @Option(name: .customLong("audit"), help: ArgumentHelp("Print the audit trail of this run (a run id or a run directory).", valueName: "run"), completion: CompletionCandidates.recordedRuns)
    var auditRun: String?

    @Flag(help: "Print one JSON document on stdout instead of a table: the runs, or with --audit the run's trail.")
    var json = false

    @Option(help: "Where runs are recorded (default $XDG_STATE_HOME/baton, then ~/.local/state/baton).", completion: .directory)
    var stateDir: String?

    @Option(help: "Show at most this many runs, newest first (0: all of them).")
    var limit: Int = 20

    @Option(name: .customLong("state"), help: ArgumentHelp("List only the runs in this state (repeatable).", valueName: "state"))
    var states: [String] = []

    @Option(help: ArgumentHelp("List only the runs of the workflow with this name.", valueName: "name"))
    var workflow: String?

    @Option(help: ArgumentHelp("List only the runs started since then: a duration back from now (30m, 2h) or an ISO 8601 date or time.", valueName: "time"))
    var since: String?

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit must be 0 (all runs) or more, not \(limit)") }
        if auditRun != nil, !states.isEmpty || workflow != nil || since != nil {
            throw ValidationError("--state, --workflow and --since select runs to list; --audit prints one run's trail")
        }
        do {
            _ = try selection(now: Date().timeIntervalSince1970)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        if let auditRun { return try printAudit(of: auditRun) }
        let directory = StateDirectory.resolve(override: stateDir)
        let selection = try selection(now: Date().timeIntervalSince1970)
        var listed: [ListedRun] = []
        var workflowNames: Set<String> = []
        for id in directory.runIDs().reversed() {
            if limit > 0 && listed.count == limit { break }
            let run = ListedRun(directory.runDirectory(id))
            if let name = run.state?.workflowName { workflowNames.insert(name) }
            if selection.admits(run) { listed.append(run) }
        }
        if json { try JSONOutput.print(listed.map(RunJSON.init)) }
        guard listed.isEmpty else {
            if !json { printTable(listed) }
            return
        }
        // Without --json the sentence is the listing; with it, stdout holds only the document.
        func say(_ text: String) { json ? Console.error(text) : Console.out(text) }
        if !selection.isFiltering {
            say("no runs recorded in \(directory.runsPath)")
        } else if let workflow, !workflowNames.contains(workflow) {
            say("no runs of a workflow named '\(ProgressPrinter.printable(workflow))'\(Suggestion.hint(for: workflow, among: workflowNames.sorted()))")
        } else {
            say("no runs match in \(directory.runsPath)")
        }
    }

    /// The runs `--state`, `--workflow` and `--since` select, at `now`.
    private func selection(now: Double) throws(RunSelectionError) -> RunSelection {
        RunSelection(
            states: try RunSelection.states(states), workflow: workflow,
            startedSince: try since.map { text throws(RunSelectionError) in try RunSelection.since(text, now: now) })
    }

    /// The runs as an aligned table, newest first.
    private func printTable(_ runs: [ListedRun]) {
        var rows: [[String]] = [["RUN", "WORKFLOW", "STATE", "STARTED", "DURATION", "STEPS"]]
        for run in runs {
            guard let state = run.state else {
                rows.append([run.runID, "?", "unreadable", "", "", run.problem ?? ""])
                continue
            }
            var label = run.stateWords
            if run.live, let waitsFor = Self.waitsFor(run.waitingFor) { label += ": " + waitsFor }
            if run.resumable { label += " (resumable)" } else if run.reopenable { label += " (reopenable)" }
            rows.append([
                run.runID, state.workflowName, label, Self.date(state.startedAt), Self.duration(run.duration), "\(run.stepsDone)/\(state.steps.count)",
            ])
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
        let run = try RunLocator.recordedRun(reference, stateDir: stateDir)
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
        let runID = state.runID.isEmpty ? run.runID : state.runID
        if json { return try JSONOutput.print(AuditTrailJSON(runID: runID, workflow: state.workflowName, entries: state.audit)) }
        Console.out(AuditPrinter(entries: state.audit).table(runID: runID, workflow: state.workflowName))
    }

    /// What a run that waits for an operator waits for, as the console's header says it: the
    /// first reason, and how many more there are; nil when it does not wait.
    static func waitsFor(_ reasons: [String]) -> String? {
        guard let first = reasons.first else { return nil }
        let more = reasons.count > 1 ? " (+\(reasons.count - 1) more)" : ""
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
