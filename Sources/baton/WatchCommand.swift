import ArgumentParser
import BatonEngine
import Foundation

/// `baton watch RUN`: a live run's progress as plain lines, for a terminal or a CI log, from
/// any terminal; it exits with the run's outcome.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Follow a live run's progress as plain lines, from any terminal; exit with its outcome.",
        discussion: """
            Prints the run's journal so far and then every event as it happens, as 'baton run \
            --headless' prints them, until the run finishes. Exit status: the run's (0 succeeded \
            or rolled back, 1 failed, cancelled, rollback failed or left waiting for an operator, \
            130 interrupted); 1 when no Baton serves the run any more or its socket is not open to \
            you; 2 invalid input.
            """)

    @OptionGroup var target: HostVerbRun

    @Option(help: "Machine-readable output on stdout: 'jsonl' prints every journal event as a JSON line.")
    var events: RunOptions.EventFormat?

    func run() throws {
        let run = try RunLocator.recordedRun(target.run, stateDir: target.stateDir)
        let connection: HostConnection
        do {
            connection = try HostConnection(path: run.hostSocketPath)
        } catch {
            // A run nobody serves: say how it stands, and end with its outcome if it has one.
            let state = (try? run.readJournal()).flatMap { try? JournalReader.fold($0.events) }
            if let outcome = state?.outcome, error.reason == .gone {
                Console.out("run \(run.runID) \(outcome.words)")
                throw ExitCode(outcome)
            }
            Console.error("baton: run \(run.runID): cannot watch: \(HostVerb.explain(error, run: run))")
            throw ExitStatus.failed
        }
        var printer: ProgressPrinter?
        var outcome: RunOutcome?
        let ending: HostMessage?
        do {
            ending = try connection.watch { message in
                guard message.type == .event, let event = message.event else { return true }
                if event.kind == .runStarted {
                    let steps = (event.steps ?? []).map { Step(id: $0) }
                    printer = ProgressPrinter(workflow: Workflow(name: event.workflow ?? "", steps: steps), jsonl: events == .jsonl, showLogs: false)
                }
                printer?.show(.event(event))
                if event.kind == .runReopened { outcome = nil }
                guard event.kind == .runFinished, let finished = event.outcome else { return true }
                // The end in the journal may have been followed by a reopening: stop only if
                // the run still stands as it ended.
                let now = try? HostConnection(path: run.hostSocketPath).status().state
                guard now == nil || now == RunStatus(finished).rawValue else { return true }
                outcome = finished
                return false
            }
        } catch {
            // A host that still runs the run dropped this watcher: it fell behind.
            let why = run.isBeingWritten
                ? "the run's Baton dropped this watcher (it fell behind); watch again to catch up"
                : HostVerb.explain(error, run: run)
            Console.error("baton: run \(run.runID): the watch stopped: \(why)")
            throw ExitStatus.failed
        }
        if let outcome {
            Console.error("baton: run \(run.runID) \(outcome.words)")
            throw ExitCode(outcome)
        }
        if ending?.reason == .fellBehind {
            Console.error("baton: run \(run.runID): the run's Baton dropped this watcher (it fell behind); watch again to catch up")
        } else {
            Console.error("baton: run \(run.runID): \(ending?.message ?? "the watch ended")")
        }
        throw ExitStatus.failed
    }
}
