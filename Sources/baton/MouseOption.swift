import ArgumentParser
import Foundation

/// `--no-mouse`, on every command that opens a console: the terminal then keeps its own use of
/// the mouse (selecting text to copy) and the console takes only keys. `BATON_MOUSE=0` in the
/// environment does the same, for every command at once.
struct MouseOption: ParsableArguments {
    @Flag(help: "Leave the mouse to the terminal (select and copy text): the console takes no clicks or wheel. BATON_MOUSE=0 does the same.")
    var noMouse = false

    /// The environment variable that turns the mouse off as `--no-mouse` does.
    static let variable = "BATON_MOUSE"

    /// Whether the console should ask the terminal for mouse reports.
    var isEnabled: Bool {
        !noMouse && Self.environmentAllows(ProcessInfo.processInfo.environment[Self.variable])
    }

    /// False for `BATON_MOUSE` set to 0, off, no or false; true when unset or anything else.
    static func environmentAllows(_ value: String?) -> Bool {
        guard let value else { return true }
        return !["0", "off", "no", "false"].contains(value.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
