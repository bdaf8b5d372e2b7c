/// What a `RunClient` hands its front end.
public enum ClientUpdate: Sendable {
    /// The run as it stands: replaces whatever the front end showed (on attaching, and again
    /// after falling behind).
    case snapshot(RunSnapshot)
    case engine(EngineUpdate)
    /// Nothing more will come; the text says why, for a person to read.
    case ended(ClientEnding)
}

/// Why a client's updates ended.
public enum ClientEnding: Sendable, Hashable {
    /// The run's Baton closed the run: it ended and its host stopped serving it.
    case closed(String)
    /// The run's Baton went away without closing the run (it died or was killed).
    case hostGone(String)

    public var message: String {
        switch self {
        case .closed(let text), .hostGone(let text): return text
        }
    }
}
