import ArgumentParser
import BatonConsole
import BatonEngine
import BatonTerminal
import Foundation

/// `baton top`: a live dashboard of every run in the state directory, for a wall screen.
struct TopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "A live dashboard of every run in the state directory: what waits on you first.",
        discussion: """
            One row per run: its id, workflow, state, steps done, elapsed time, what it waits for, \
            who started it, and whether a Baton serves it (● live). Runs with a gate you may \
            approve come first, highlighted; then the other live runs, newest first; then the \
            runs nobody serves, latest ended first. The list follows the runs folder with inotify \
            as runs start, change and end; nothing is polled, and the screen sleeps while no \
            shown time moves.
            Keys: j/k or the arrows select, Enter on a live run runs 'baton attach RUN' on this \
            terminal (quit it to come back), Enter on a run nobody serves runs 'baton replay RUN' \
            opened at its end, ? shows every key, q quits; the config file's top_keys remaps these \
            keys (baton config --keys lists them). The mouse: a click selects a run, a double \
            click opens it, the wheel moves the selection (--no-mouse or BATON_MOUSE=0 leave the \
            mouse to the terminal).
            """
    )

    @Option(help: "Where runs are recorded (default $XDG_STATE_HOME/baton, then ~/.local/state/baton).", completion: .directory)
    var stateDir: String?

    @Option(help: "Console theme: a built-in one (dark, light, high-contrast, mono), one of yours in ~/.config/baton/themes or $BATON_THEME_DIR, or a theme file's path. Wins over the config file's 'theme:'.")
    var theme: String?

    @OptionGroup var mouse: MouseOption

    func run() async throws {
        let directory = StateDirectory.resolve(override: stateDir)
        guard isatty(STDOUT_FILENO) != 0, isatty(STDIN_FILENO) != 0 else {
            Console.error("baton: baton top needs a terminal (standard input and output); baton runs lists the runs as text")
            throw ExitStatus.invalidInput
        }
        let config = try ConsoleSession.loadConfig()
        let theme = try ConsoleSession.theme(flag: self.theme, config: config)
        let runner: TopRunner
        do {
            runner = try TopRunner(stateDirectory: directory, user: OperatorIdentity.current, theme: theme, mouse: mouse.isEnabled(config), keymap: config.topKeymap)
        } catch {
            Console.error("baton: cannot watch the runs: \(error)")
            throw ExitStatus.failed
        }
        let signals = SignalWatcher(signals: [SIGTERM, SIGHUP, SIGINT]) { runner.signal($0) }
        defer { signals.stop() }
        TerminalRestorer.saveState()
        TerminalRestorer.installCrashHandlers()
        if let failure = await ConsoleSession.onTerminal(threadName: "baton-top", mouse: mouse.isEnabled(config), { backend in runner.run(on: backend) }) {
            Console.error("baton: cannot open the console (\(failure)); baton runs lists the runs as text")
            throw ExitStatus.failed
        }
    }
}
