import BatonEngine

/// Something `update` asks the runtime to do; effects run outside `update` and report back as messages.
public enum ConsoleEffect: Sendable, Hashable {
    /// Send a command to the engine; its result comes back as `.commandResult`.
    case command(OperatorCommand)
    /// Search a step's log file, off the console's thread; the result comes back as `.logFileSearched`.
    case searchLogFile(LogFileSearch)
    /// Read the lines around a line of a step's log file, off the console's thread; they come
    /// back as `.logExcerptRead`.
    case readLogExcerpt(LogExcerptRequest)
    /// Show a step's whole log in the pager, the terminal handed over until it ends.
    case page(stepID: String)
    /// Ring the terminal bell.
    case bell
    /// A dynamic fan-out added instances to `AppState.workflow`: what the console works out
    /// once per workflow (`ConsoleContext`) is to be worked out again.
    case workflowGrew
    /// Leave the console. `cancelRun` stops the run's steps first.
    case quit(cancelRun: Bool)
}
