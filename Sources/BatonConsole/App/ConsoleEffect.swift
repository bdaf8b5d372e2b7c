/// Something `update` asks the runtime to do; effects run outside `update` and report back as messages.
public enum ConsoleEffect: Sendable, Hashable {
    /// Send a command to the engine; its result comes back as `.commandResult`.
    case command(ConsoleCommand)
    /// Ring the terminal bell.
    case bell
    /// Leave the console. `cancelRun` stops the run's steps first.
    case quit(cancelRun: Bool)
}
