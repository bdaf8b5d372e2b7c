/// What a run that waits for an operator waits on, as its `run_waiting` event recorded it.
public struct OperatorWait: Sendable, Hashable {
    /// Since when, in seconds since 1970: the time of the `run_waiting` event.
    public var since: Double
    /// The steps involved: failed steps, open gates, interrupted steps, failed rollbacks, held steps.
    public var steps: [String]
    /// What the run waits on, a clause per reason: "'smoke-test' failed: exit 1".
    public var reasons: [String]

    public init(since: Double, steps: [String], reasons: [String]) {
        self.since = since
        self.steps = steps
        self.reasons = reasons
    }
}
