import ArgumentParser
import BatonConsole
import BatonEngine
import BatonTerminal
import Foundation

/// `baton replay RUN`: plays a recorded run back in the console, read-only.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Play a recorded run back in the console, read-only.",
        discussion: """
            Every pane shows the run as it stood at the current event, logs included. Space plays
            or pauses, [ and ] step one event, { and } jump to the start and the end, + and -
            change the speed; t shows the timeline, i the teaching notes. Long waits in the
            recording play as at most 3 s. Without a terminal, the events are printed as text.
            """
    )

    @Argument(help: "The run: its id (see 'baton runs') or its directory.", completion: CompletionCandidates.recordedRuns)
    var run: String

    @Option(help: "Speed factor (2 = twice as fast as recorded, 0 = open at the end).")
    var speed: Double = 1

    @Option(help: "Where runs are recorded (default $XDG_STATE_HOME/baton, then ~/.local/state/baton).", completion: .directory)
    var stateDir: String?

    @Option(help: "Console theme: a built-in one (dark, light, high-contrast, mono), one of yours in ~/.config/baton/themes or $BATON_THEME_DIR, or a theme file's path. Wins over the config file's 'theme:'.")
    var theme: String?

    @OptionGroup var mouse: MouseOption

    @Flag(inversion: .prefixedNo, help: "Start with the selection following the action (the L key; off by default): each step as it starts, fails or waits in the replay. Wins over the config file's 'follow_action:'.")
    var followAction: Bool?

    func validate() throws {
        try SimulationOptions.check(speed: speed)
    }

    func run() async throws {
        let directory = try RunLocator.recordedRun(run, stateDir: stateDir)
        let recording: Recording
        do {
            recording = try Recording(directory: directory)
        } catch {
            Console.error("baton: cannot replay '\(run)': \(error.message)")
            throw ExitStatus.invalidInput
        }
        guard isatty(STDOUT_FILENO) != 0, isatty(STDIN_FILENO) != 0 else {
            Console.out(recording.transcript())
            return
        }
        let config = try ConsoleSession.loadConfig()
        let theme = try ConsoleSession.theme(flag: self.theme, config: config)
        let runner: ReplayRunner
        do {
            runner = try ReplayRunner(
                workflow: recording.workflow, events: recording.events, logs: recording.logs, speed: speed, theme: theme,
                user: OperatorIdentity.current, keymap: config.keymap, followsActivity: config.followAction(flag: followAction, builtIn: false))
        } catch {
            Console.error("baton: cannot start the console: \(error)")
            throw ExitStatus.invalidInput
        }
        let signals = SignalWatcher(signals: [SIGTERM, SIGHUP, SIGINT]) { _ in runner.requestStop() }
        defer { signals.stop() }
        TerminalRestorer.saveState()
        TerminalRestorer.installCrashHandlers()
        let failure = await ConsoleSession.onTerminal(threadName: "baton-replay", mouse: mouse.isEnabled(config)) { backend in runner.run(on: backend) }
        if let failure {
            Console.error("baton: cannot open the console (\(failure)); printing the events instead")
            Console.out(recording.transcript())
        }
    }
}

/// A recorded run read back for replay: its workflow as run, its journal and its logs.
struct Recording {
    var workflow: Workflow
    var events: [RunEvent]
    var logs: [String: [OutputLine]]

    /// Why a run cannot be replayed.
    struct Problem: Error {
        var message: String
    }

    init(directory: RunDirectory) throws(Problem) {
        guard FileManager.default.fileExists(atPath: directory.eventsPath) else {
            throw Problem(message: "no journal at \(directory.eventsPath) (see 'baton runs' for the recorded runs)")
        }
        do {
            events = try directory.readJournal().events
        } catch {
            throw Problem(message: error.description)
        }
        guard let first = events.first, first.kind == .runStarted else {
            throw Problem(message: "\(directory.eventsPath) does not begin with run_started; nothing to replay")
        }
        let final: RunState
        do {
            final = try JournalReader.fold(events)
        } catch {
            throw Problem(message: "\(directory.eventsPath): \(error.description)")
        }
        do {
            workflow = try directory.loadStoredWorkflow()
        } catch {
            let detail = error.problems.first.map { "\($0)" } ?? "cannot be loaded"
            throw Problem(message: "the recorded workflow cannot be read: \(detail)")
        }
        if let recorded = first.steps, recorded != workflow.steps.map(\.id) {
            throw Problem(message: "the recorded workflow's steps differ from the journal's (\(directory.workflowPath))")
        }
        // The replay shows the instances of dynamic fan-outs from the start, pending until
        // the recording makes them: the console's workflow holds every step the run will have.
        workflow = workflow.expanded(by: final.expansions)
        var logs: [String: [OutputLine]] = [:]
        for step in workflow.steps {
            let lines = StepLogStore.readLines(path: "\(directory.logsPath)/\(step.id).log", stepID: step.id)
            if !lines.isEmpty { logs[step.id] = lines }
        }
        self.logs = logs
    }

    /// The events as text, one per line with the time since the start, for a non-terminal.
    func transcript() -> String {
        let start = events.first?.time ?? 0
        var lines = ["replay of run \(events.first?.runID ?? "?") of '\(workflow.name)': \(events.count) events"]
        for event in events {
            let offset = String(format: "%8.3fs", event.time - start)
            lines.append("\(offset)  #\(event.seq)  \(ReplayEventText.describe(event))")
        }
        return lines.joined(separator: "\n")
    }
}
