import BatonEngine
import BatonTerminal

/// Everything that can change the console's state.
public enum ConsoleMessage: Sendable {
    case key(Key)
    /// Text pasted whole (`ConsoleUpdate+Paste`).
    case paste(String)
    /// A click or a turn of the wheel (`ConsoleUpdate+Mouse`).
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
    case engine(EngineUpdate)
    /// The run as it stands, replacing what the console showed (a resumed run's history, or
    /// an attached console's view on attaching and after falling behind).
    case snapshot(RunSnapshot)
    /// The run's updates ended: its host closed it, or went away.
    case clientEnded(ClientEnding)
    /// The slow clock tick: the current time in seconds since 1970.
    case tick(Double)
    case commandResult(OperatorCommand, CommandResult)
    /// What a search of a log file found; nil when the file could not be read.
    case logFileSearched(LogFileSearch, LogFileSearchResult?)
    /// The lines read around a line of a log file; nil when the file could not be read.
    case logExcerptRead(LogExcerptRequest, LogExcerpt?)
    /// A replay's next event is due: apply it, if the replay is playing.
    case replayAdvance
}
