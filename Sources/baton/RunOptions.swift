import ArgumentParser
import BatonEngine
import Foundation

/// Options shared by `baton run` and `baton demo`.
struct RunOptions: ParsableArguments {
    @Flag(help: "Run without the console: plain progress lines and a summary.")
    var headless = false

    @Option(help: "Machine-readable output on stdout: 'jsonl' prints every journal event as a JSON line.")
    var events: EventFormat?

    @Flag(help: "Approve every approval gate as it opens.")
    var approveAll = false

    @Option(name: .customLong("approve"), help: "Approve this gate as it opens (repeatable).")
    var approvedGates: [String] = []

    @Flag(help: "Nobody attends the run (CI): reject at once every gate --approve does not approve, and end at once a run that needs an operator (exit 1), instead of waiting for one. Implies --headless.")
    var unattended = false

    @Option(name: [.customShort("p"), .customLong("param")], help: ArgumentHelp(
        "Set a run parameter the workflow declares under 'params:' (repeatable).", valueName: "name=value"))
    var params: [String] = []

    @Option(help: "The most steps running at once (overrides the workflow's 'concurrency').")
    var concurrency: Int?

    @Option(help: "Where runs are recorded (default $XDG_STATE_HOME/baton, then ~/.local/state/baton).", completion: .directory)
    var stateDir: String?

    @Flag(help: "Print every line the steps write, prefixed by the step id.")
    var logs = false

    @Option(help: "Seconds a cancelled step has between SIGTERM and SIGKILL.")
    var gracePeriod: Double = 5

    @Option(help: "Console theme: a built-in one (dark, light, high-contrast, mono), one of yours in ~/.config/baton/themes or $BATON_THEME_DIR, or a theme file's path. Wins over the config file's 'theme:'.")
    var theme: String?

    @Flag(inversion: .prefixedNo, help: "Ring the terminal bell when a gate opens or a step fails (the default), or not. Wins over the config file's 'bell:'.")
    var bell: Bool?

    @OptionGroup var mouse: MouseOption

    @Flag(inversion: .prefixedNo, help: "Start with the selection following the action (the L key): on in demos, off otherwise. Wins over the config file's 'follow_action:'.")
    var followAction: Bool?

    /// True when the console should open: stdout and stdin are terminals and nothing asked for
    /// headless output (an unattended run has nobody to show a console to).
    var wantsConsole: Bool {
        !headless && !unattended && events == nil && isatty(STDOUT_FILENO) != 0 && isatty(STDIN_FILENO) != 0
    }

    /// The formats `--events` accepts.
    enum EventFormat: String, ExpressibleByArgument, CaseIterable {
        case jsonl
    }

    func validate() throws {
        if let concurrency, concurrency < 1 {
            throw ValidationError("--concurrency must be at least 1, not \(concurrency)")
        }
        if !(gracePeriod >= 0 && gracePeriod <= 3600) {
            throw ValidationError("--grace-period must be between 0 and 3600 seconds")
        }
    }
}
