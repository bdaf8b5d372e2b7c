import ArgumentParser
import BatonConsole
import BatonEngine
import BatonTerminal
import Foundation

/// Runs a workflow with the operations console on the terminal.
struct ConsoleSession {
    var options: RunOptions
    /// The console's defaults from the config file.
    var config: ConsoleConfig
    var simulate: Bool
    var speed: Double
    /// Decides the injected failures of `simulate.failure_chance`.
    var seed: UInt64
    /// Whether the console starts following the action (`L`) when neither a flag nor the
    /// config file says: on in demos, for newcomers.
    var followsByDefault = false

    /// The config file (`baton config --path`), or the built-in defaults when there is none.
    /// A bad file is invalid input: its problems are printed as file:line:column, and `baton`
    /// exits 2 before anything starts.
    static func loadConfig() throws -> ConsoleConfig {
        do {
            return try ConsoleConfigLoader.load(from: ConsoleConfigLocation.resolve())
        } catch {
            for problem in error.problems { Console.error("\(problem)") }
            throw ExitStatus.invalidInput
        }
    }

    /// The theme `--theme` names, else the config file's `theme:` (the dark theme by default).
    /// A broken theme file is invalid input: its problems are printed with file, line and key,
    /// and `baton` exits 2; one the config file names is also pointed at there.
    static func theme(flag: String?, config: ConsoleConfig) throws -> Theme {
        let name = config.theme(flag: flag)
        do {
            return try ThemeCatalog.resolve(name ?? "dark", searchDirectories: ThemeCatalog.defaultSearchDirectories())
        } catch {
            if name == nil { return Theme.builtInDark }
            if flag == nil, let file = config.file {
                let location = config.themeLocation ?? .start
                Console.error("\(file):\(location.line):\(location.column): theme '\(name ?? "")' cannot be used:")
            }
            Console.error("\(error)")
            throw ExitStatus.invalidInput
        }
    }

    /// Runs the workflow under the console until the operator quits; returns how the run ended.
    ///
    /// A `request` (`baton resume --retry-failed`, `--skip`), already checked, is carried out
    /// before the console opens. A finished run opens as it ended: nothing is recorded until
    /// the operator acts.
    func run(_ source: RunSource, theme: Theme, request: ReopenRequest = ReopenRequest()) async -> ExitCode {
        var source = source
        let runID = source.runID
        let directory = source.directory
        let user = OperatorIdentity.current
        let simulator = SimulatedExecutor(speed: speed, seed: seed)
        var configuration = EngineConfiguration(
            runID: runID, user: user, executor: simulate ? simulator : ShellExecutor(), simulator: simulator,
            runDirectory: directory, cancelGracePeriod: .milliseconds(Int64(options.gracePeriod * 1000)),
            concurrency: options.concurrency, closesWhenFinished: false)
        configuration.simulatesEverything = simulate
        // A new run's graph is laid out while the engine opens the journal, and the engine and
        // the console share one plan (a resumed run's may have grown with its fan-outs, so
        // the console lays out the engine's).
        let plan = source.history == nil ? Plan(workflow: source.workflow) : nil
        let prepared = plan.map { PreparedGraph.start(workflow: source.workflow, plan: $0) }
        let engine: Engine
        do {
            engine = try source.makeEngine(configuration, plan: plan)
        } catch {
            Console.error("baton: cannot record the run: \(error)")
            return ExitStatus.notRecorded
        }
        let host = RunHost.start(serving: engine, in: source.directory)
        defer { host?.stop() }
        // Started before the console is made: the journal writes `run_started` on its own
        // thread while this one lays out the graph, and the console takes every update from
        // the start, as the engine keeps them until it reads them. A console that cannot open
        // hands the running engine to the headless runner.
        await engine.start()
        if !request.isEmpty {
            // Refusals after all (the run moved on since the check) are in the audit pane.
            _ = await request.carryOut(on: engine, by: user)
        }
        let runner: ConsoleRunner
        do {
            var history: RunSnapshot?
            if let events = source.history, let state = try? JournalReader.fold(events) {
                var logs: [String: [OutputLine]] = [:]
                for step in source.workflow.steps {
                    let lines = StepLogStore.readLines(path: "\(directory.logsPath)/\(step.id).log", stepID: step.id)
                    if !lines.isEmpty { logs[step.id] = lines }
                }
                history = RunSnapshot(state: state, events: events, logs: logs)
            }
            runner = try ConsoleRunner(
                client: LocalRunClient(engine: engine, user: user, history: history), theme: theme, bell: config.bell(flag: options.bell),
                logDirectory: directory.logsPath, followsActivity: config.followAction(flag: options.followAction, builtIn: followsByDefault),
                keymap: config.keymap, prepared: prepared)
        } catch {
            Console.error("baton: cannot start the console: \(error)")
            return ExitStatus.failed
        }
        let signals = SignalWatcher(signals: [SIGTERM, SIGHUP, SIGINT]) { _ in
            // An interrupted Baton waits for no notification's retry before it exits.
            engine.notifier?.stopRetrying()
            runner.requestStop()
        }
        defer { signals.stop() }
        TerminalRestorer.saveState()
        TerminalRestorer.installCrashHandlers()
        let failure = await Self.onTerminal(threadName: "baton-console", mouse: options.mouse.isEnabled(config)) { backend in
            runner.run(on: backend)
        }
        if let failure {
            Console.error("baton: cannot open the console (\(failure)); running headless")
            return await HeadlessRunner(options: options, simulate: simulate, speed: speed, seed: seed)
                .drive(engine, directory: directory, user: user, resumed: source.history != nil, served: host != nil)
        }
        // The console is gone: say why the exit waits, if notification commands hold it up.
        let waitNotice = Task {
            try await Task.sleep(for: .seconds(1))
            if engine.notifier?.isBusy == true {
                Console.error("baton: waiting for the workflow's notify: commands before exiting (their attempts: \(directory.notificationsLogPath)); Ctrl-C stops their retries")
            }
        }
        let outcome = await engine.close(by: user)
        waitNotice.cancel()
        if let failure = await engine.recordingFailure {
            Console.error("baton: run \(runID) stopped: it could not be recorded: \(failure)")
            Console.error("baton: once the cause is fixed (space freed, the directory back), baton resume \(runID) continues it")
            return ExitStatus.notRecorded
        }
        Console.out("run \(runID) \(outcome.words) — journal: \(directory.eventsPath)")
        for hint in ProgressPrinter.takeUpHints(for: await engine.state) { Console.out(hint) }
        return ExitStatus.of(outcome, recordingFailure: nil)
    }

    /// Opens the curses backend on a thread of its own, with mouse reporting when `mouse`, runs
    /// `body` there, and restores the terminal; returns why the terminal could not be opened, or
    /// nil. (`body` gets the backend through `CrashAfterFramesBackend.wrap`, the end-to-end
    /// tests' crash seam.)
    static func onTerminal(threadName: String, mouse: Bool, _ body: @escaping @Sendable (TerminalBackend) -> Void) async -> String? {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                // So that a stack overflow on this thread still gives the terminal back.
                TerminalRestorer.prepareCurrentThread()
                do {
                    let backend = try CursesBackend(noColor: ConsoleSession.noColor, mouse: mouse)
                    body(CrashAfterFramesBackend.wrap(backend))
                    backend.shutdown()
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: "\(error)")
                }
            }
            thread.name = threadName
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    static var noColor: Bool {
        !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
    }
}
