import ArgumentParser
import BatonConsole
import BatonEngine
import BatonTerminal
import Foundation

/// `baton attach RUN`: the full console on a live run that another Baton runs, from any
/// terminal; quitting detaches and the run goes on.
struct AttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach", abstract: "Open the console on a live run from any terminal; q detaches, the run goes on.",
        discussion: """
            Shows the run as its own console does — graph, steps, logs, details, timeline, audit — \
            and offers every action the engine accepts from you: the Baton that runs the run \
            carries each out as the user the kernel says you are, and audits it. Over SSH: \
            'ssh HOST baton attach RUN'. When the run ends, the console says so and stays open; \
            when the run's Baton dies, it says so and how to resume. Exit status: 0 after q; 1 when \
            no Baton serves the run or its socket is not open to you; 2 invalid input.
            """)

    @OptionGroup var target: HostVerbRun

    @Flag(inversion: .prefixedNo, help: "A view with no actions: every key that would act on the run is refused (off by default). Wins over the config file's 'read_only:'.")
    var readOnly: Bool?

    @Option(help: "Console theme: a built-in one (dark, light, high-contrast, mono), one of yours in ~/.config/baton/themes or $BATON_THEME_DIR, or a theme file's path. Wins over the config file's 'theme:'.")
    var theme: String?

    @Flag(inversion: .prefixedNo, help: "Ring the terminal bell when a gate opens or a step fails (the default), or not. Wins over the config file's 'bell:'.")
    var bell: Bool?

    @OptionGroup var mouse: MouseOption

    @Flag(inversion: .prefixedNo, help: "Start with the selection following the action (the L key; off by default). Wins over the config file's 'follow_action:'.")
    var followAction: Bool?

    func run() async throws {
        let config = try ConsoleSession.loadConfig()
        let run = try RunLocator.recordedRun(target.run, stateDir: target.stateDir)
        let client: RemoteRunClient
        do {
            client = try RemoteRunClient(directory: run)
        } catch {
            Console.error("baton: run \(run.runID): cannot attach: \(HostVerb.explain(error, run: run))")
            throw ExitStatus.failed
        }
        guard isatty(STDOUT_FILENO) != 0, isatty(STDIN_FILENO) != 0 else {
            Console.error("baton: attach needs a terminal; 'baton watch \(run.runID)' follows a run as plain lines")
            throw ExitStatus.invalidInput
        }
        let theme = try ConsoleSession.theme(flag: self.theme, config: config)
        let readOnly = config.readOnly(flag: self.readOnly)
        let runner: ConsoleRunner
        do {
            runner = try ConsoleRunner(
                client: client, theme: theme, bell: config.bell(flag: bell), readOnly: readOnly, logDirectory: run.logsPath,
                followsActivity: config.followAction(flag: followAction, builtIn: false), keymap: config.keymap)
        } catch {
            Console.error("baton: cannot start the console: \(error)")
            throw ExitStatus.failed
        }
        let signals = SignalWatcher(signals: [SIGTERM, SIGHUP, SIGINT]) { _ in runner.requestStop() }
        defer { signals.stop() }
        TerminalRestorer.saveState()
        TerminalRestorer.installCrashHandlers()
        let failure = await ConsoleSession.onTerminal(threadName: "baton-attach", mouse: mouse.isEnabled(config)) { backend in runner.run(on: backend) }
        client.stop()
        if let failure {
            Console.error("baton: cannot open the console (\(failure)); 'baton watch \(run.runID)' follows the run as plain lines")
            throw ExitStatus.failed
        }
    }
}
