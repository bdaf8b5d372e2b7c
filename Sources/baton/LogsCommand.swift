import ArgumentParser
import BatonConsole
import BatonEngine
import Foundation

/// `baton logs RUN STEP [-f]`: a step's log as the step printed it, from any terminal; with
/// `-f`, what the step prints next too, until the step or the run ends.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Print a step's log as the step printed it; -f follows it while the step runs.",
        discussion: """
            Prints logs/STEP.log of the run: stdout and stderr in the order they came, with \
            Baton's own lines between them ('attempt 2 of 3 started …', 'attempt 1 ended: exit \
            1 after 0.4s'). Into a pipe or a file the bytes go as the step printed them; on a \
            terminal every escape sequence and control character is written out instead \
            ('\\e[31m'), so a log cannot drive the terminal. A step that has printed nothing \
            yet prints nothing.

            With -f, prints what the log holds, then what is added as it is written (the \
            kernel says when: nothing is looked at on a timer). It stops once the log holds \
            the line that closes the step's last attempt, all of it printed, and the step \
            succeeded, was skipped or was rolled back, or the run finished; or once no Baton \
            serves the run any more (it ended or died; this is said on stderr). A step that \
            failed, was cancelled or has not started is followed while the run is live, \
            since an operator may retry it and it may run yet. A log that is truncated or \
            removed meanwhile ends it, saying so.

            Exit status: 0 printed (and followed); 1 the log, the journal or stdout failed \
            (truncated, removed, unreadable); 2 invalid input (an unknown run or step); 130 \
            interrupted (Ctrl-C).
            """)

    /// Which of the log's streams to print.
    enum Stream: String, ExpressibleByArgument, CaseIterable {
        case stdout, stderr, baton

        var outputStream: OutputLine.Stream {
            switch self {
            case .stdout: return .stdout
            case .stderr: return .stderr
            case .baton: return .baton
            }
        }
    }

    @OptionGroup var target: HostVerbRun

    @Argument(help: "The step whose log to print.", completion: CompletionCandidates.steps(nil))
    var step: String

    @Flag(name: [.customShort("f"), .long], help: "Go on printing what the step prints until it or the run ends.")
    var follow = false

    @Option(help: ArgumentHelp("Print only the last N lines (with -f, then what comes after them).", valueName: "N"))
    var tail: Int?

    @Option(help: "Print only one stream ('baton' is Baton's own lines).")
    var stream: Stream?

    func validate() throws {
        if let tail, tail < 0 { throw ValidationError("--tail must be 0 or more, not \(tail)") }
    }

    func run() throws {
        let run = try RunLocator.recordedRun(target.run, stateDir: target.stateDir)
        var journal = JournalFollower(path: run.eventsPath)
        journal.catchUp()
        if let problem = journal.problem ?? (journal.exists ? nil : "\(run.eventsPath) is gone") {
            Console.error("baton: run \(run.runID): cannot read its journal: \(problem)")
            throw ExitStatus.failed
        }
        try checkStep(in: run, state: journal.state)
        let cursor = StepLogCursor(path: "\(run.logsPath)/\(step).log")
        let printer = LogPrinter(escapes: isatty(STDOUT_FILENO) != 0, stream: stream?.outputStream, tail: tail)
        guard follow else {
            do {
                try cursor.finish(printer.take)
                printer.endTail()
                try printer.flush()
            } catch let error as StepLogCursor.Failure {
                Console.error("baton: run \(run.runID): cannot read the log of '\(step)': \(error)")
                throw ExitStatus.failed
            } catch {
                Console.error("baton: \(error)")
                throw ExitStatus.failed
            }
            return
        }
        // Ctrl-C ends a follow that has nothing more to say: quietly, as interrupted.
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM, SIGHUP]) { _ in Foundation.exit(ExitStatus.interrupted.rawValue) }
        defer { signals.stop() }
        let ending: LogFollower.Ending
        do {
            ending = try LogFollower(run: run, stepID: step, journal: journal, cursor: cursor, printer: printer).follow()
        } catch {
            Console.error("baton: run \(run.runID), step '\(step)': stopped following: \(error)")
            throw ExitStatus.failed
        }
        if ending == .runGone {
            Console.error("baton: run \(run.runID): no Baton serves the run any more (baton resume \(run.runID) takes it up); stopped following '\(step)'")
        }
    }

    /// Refuses (exit 2) a step the run does not have, naming the steps it has: those of the
    /// journal's `run_started`, or before it is written, of the run's stored workflow.
    private func checkStep(in run: RunDirectory, state: RunState) throws {
        let steps = state.startedAt != nil
            ? state.steps.map(\.id)
            : ((try? run.loadStoredWorkflow())?.steps.map(\.id) ?? [])
        guard !steps.contains(step) else { return }
        let known = steps.isEmpty ? "it has no steps recorded yet" : "its steps are \(steps.joined(separator: ", "))"
        Console.error("baton: run \(run.runID) has no step '\(VisibleText.escape(step))'; \(known)\(Suggestion.hint(for: step, among: steps))")
        throw ExitStatus.invalidInput
    }
}
