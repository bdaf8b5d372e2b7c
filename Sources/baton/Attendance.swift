import Foundation

/// Who can act on a headless run when it needs a person: a gate opens that the command line
/// did not approve, or the run waits for an operator.
enum Attendance: Sendable, Equatable {
    /// A person at the terminal is asked (`GateDecider`, `OperatorPrompt`); other terminals
    /// may act too, through the run's socket.
    case terminal
    /// Nobody is at this terminal, but other terminals can act through the run's socket
    /// (`baton approve`, `baton retry`, …): gates and the run wait for them, a gate until its
    /// `timeout`.
    case otherTerminals
    /// Nobody will act: a gate the command line did not approve is rejected at once, and a run
    /// that needs an operator ends waiting for one. The text says why, for the messages:
    /// "the run is unattended (--unattended)".
    case nobody(because: String)

    /// The attendance of a headless run with `options`, whose socket is open to other
    /// terminals (`served`) or not.
    static func of(_ options: RunOptions, served: Bool) -> Attendance {
        if options.unattended { return .nobody(because: "the run is unattended (--unattended)") }
        if Console.stdinIsInteractive { return .terminal }
        if !served { return .nobody(because: "stdin is not interactive and other terminals cannot reach the run") }
        return .otherTerminals
    }
}
