/// What the engine publishes: journal events once they are durable, and step output as it arrives.
public enum EngineUpdate: Sendable, Hashable {
    case event(RunEvent)
    /// Output in chunks of whole lines (see `OutputChunk`); while front ends lag far behind,
    /// some chunks are left out and a notice in the `baton` stream says so.
    case output(OutputChunk)
    /// The run can no longer be recorded: a journal or log write failed; the text says which
    /// and why. Nothing new starts. After a journal failure no event is published any more;
    /// after a log failure the journal still records, and publishes, how the run ends.
    case recordingFailed(String)
    /// An attempt of a `notify:` command failed (an exit status other than 0, its timeout, or
    /// it could not start); the text says which, on what event, whether it runs again after a
    /// backoff (`retry:`), and where its output is logged. The run goes on as if nothing happened.
    case notificationFailed(String)
}

/// Where a run stands when the engine has nothing left to do on its own.
public enum Settlement: Sendable, Hashable {
    /// The run ended.
    case finished(RunOutcome)
    /// The run is stalled until an operator acts; each reason says on what.
    case needsOperator([String])
}

/// The answer to an operator command.
public enum CommandResult: Sendable, Hashable, CustomStringConvertible {
    /// The command took effect; the text says what happened.
    case accepted(String)
    /// The command was refused; the text says why, for a person to read.
    case refused(String)

    public var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }

    public var message: String {
        switch self {
        case .accepted(let text), .refused(let text): return text
        }
    }

    public var description: String { message }
}
