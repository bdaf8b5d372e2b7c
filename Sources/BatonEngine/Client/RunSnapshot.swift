/// A run as it stands: its fold, the events it folds, and its steps' latest log lines.
public struct RunSnapshot: Sendable {
    public var state: RunState
    /// The journal's events, in order (the timeline is drawn from them).
    public var events: [RunEvent]
    /// The latest lines of each step's log that has any.
    public var logs: [String: [OutputLine]]

    public init(state: RunState, events: [RunEvent], logs: [String: [OutputLine]]) {
        self.state = state
        self.events = events
        self.logs = logs
    }
}
