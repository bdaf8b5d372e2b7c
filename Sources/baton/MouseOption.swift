import ArgumentParser
import BatonConsole
import Foundation

/// `--mouse`/`--no-mouse`, on every command that opens a console: with the mouse off the
/// terminal keeps its own use of it (selecting text to copy) and the console takes only keys.
/// `BATON_MOUSE=0` in the environment, or `mouse: false` in the config file, does the same for
/// every command at once; the flag wins over both.
struct MouseOption: ParsableArguments {
    @Flag(name: .customLong("mouse"), inversion: .prefixedNo, help: "Take clicks and the wheel (the default), or leave the mouse to the terminal to select and copy text. Wins over BATON_MOUSE and the config file's 'mouse:'.")
    var flag: Bool?

    /// Whether the console should ask the terminal for mouse reports.
    func isEnabled(_ config: ConsoleConfig) -> Bool {
        config.mouse(flag: flag, environment: ProcessInfo.processInfo.environment)
    }
}
