/// What a `when:` expression can read: the outputs and states of the steps it needs, the run's
/// parameters, and what the state functions (`success()`, `failure()`, `cancelled()`) ask.
///
/// The defaults describe a run going well: every need succeeded, nothing failed, nothing
/// halted, so `success()` is true.
public struct ConditionContext: Sendable {
    public var outputs: [String: [String: String]]
    public var states: [String: StepState]
    /// The run's parameters by name; a parameter that is not set reads as `""`.
    public var params: [String: String]
    /// Whether every need succeeded, was skipped or failed with `continue_on_error`.
    public var needsSucceeded: Bool
    /// Whether a step upstream, needed directly or not, failed for good (a rejected gate too).
    public var upstreamFailed: Bool
    /// Whether the run halted: cancelled, or stopped by `on_failure: stop`.
    public var runHalted: Bool
    /// Whether the run was cancelled.
    public var runCancelled: Bool
    /// For each group of needs (a fan-out group, or a plain step as a group of one), how many
    /// are in each state (`succeeded`, `failed`, …) and how many there are (`count`).
    public var groupCounts: [String: [String: Int]] = [:]
    /// How the run stands: `succeeded`, `failed`, `cancelled` (`run.outcome`).
    public var runOutcome = "succeeded"

    public init(
        outputs: [String: [String: String]] = [:], states: [String: StepState] = [:], params: [String: String] = [:],
        needsSucceeded: Bool = true, upstreamFailed: Bool = false, runHalted: Bool = false, runCancelled: Bool = false
    ) {
        self.outputs = outputs
        self.states = states
        self.params = params
        self.needsSucceeded = needsSucceeded
        self.upstreamFailed = upstreamFailed
        self.runHalted = runHalted
        self.runCancelled = runCancelled
    }
}
