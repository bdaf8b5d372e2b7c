import Foundation

/// Writes to the standard streams, flushing so that piped output arrives line by line.
enum Console {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Whether standard input is a terminal a person can answer from.
    static var stdinIsInteractive: Bool { isatty(STDIN_FILENO) != 0 }
}
