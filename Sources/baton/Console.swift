import BatonEngine
import Foundation

/// Writes to the standard streams with plain `write(2)`, so that piped output arrives line by
/// line and a terminal that has gone away (a closed window, a dead pipe) is ignored instead
/// of crashing Baton.
enum Console {
    static func out(_ text: String) {
        write(text + "\n", to: STDOUT_FILENO)
    }

    static func error(_ text: String) {
        write(text + "\n", to: STDERR_FILENO)
    }

    /// Writes text as it is, without adding a newline.
    static func write(_ text: String, to descriptor: Int32) {
        DescriptorIO.writeAll(text, to: descriptor)
    }

    /// Whether standard input is a terminal a person can answer from.
    static var stdinIsInteractive: Bool { isatty(STDIN_FILENO) != 0 }
}
