/// The one table of legal step state changes. Anything not listed here is a bug.
public enum StepTransitions {
    /// For each state, the states a step may move to from it.
    public static let table: [StepState: Set<StepState>] = [
        // A pending step fails without running when its `when:` cannot be evaluated.
        .pending: [.running, .waiting, .held, .skipped, .blocked, .cancelled, .failed],
        .held: [.pending, .skipped, .blocked, .cancelled],
        // A decided gate: approved → pending (to run) or succeeded (pure gate); rejected → failed.
        .waiting: [.pending, .succeeded, .failed, .skipped, .blocked, .cancelled],
        .running: [.succeeded, .failed, .retrying, .suspended, .cancelled, .interrupted],
        .suspended: [.running, .succeeded, .failed, .retrying, .cancelled, .interrupted],
        // A retry whose `max_duration` passed while it waited for a slot fails without running.
        .retrying: [.running, .failed, .skipped, .cancelled, .interrupted],
        // Resume re-runs an interrupted step (pending), or an operator skips or cancels it.
        .interrupted: [.pending, .skipped, .cancelled],
        // Retry makes failed, cancelled and blocked steps pending again.
        .failed: [.pending, .skipped],
        .cancelled: [.pending, .skipped],
        .blocked: [.pending, .skipped, .cancelled],
        .skipped: [],
        .succeeded: [.rollingBack],
        .rollingBack: [.rolledBack, .rollbackFailed],
        .rollbackFailed: [.rollingBack],
        .rolledBack: [.pending],
    ]

    /// Whether a step may move from `from` to `to`.
    public static func allows(_ from: StepState, _ to: StepState) -> Bool {
        table[from]?.contains(to) ?? false
    }
}
