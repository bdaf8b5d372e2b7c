/// The life-cycle state of one step in a run.
public enum StepState: String, Sendable, Codable, CaseIterable, Hashable {
    /// Not started; waiting for its needs or for capacity.
    case pending
    /// Kept from starting by an operator.
    case held
    /// An approval gate waiting for an operator's decision.
    case waiting
    case running
    /// Its process group is stopped (SIGSTOP).
    case suspended
    /// Failed an attempt and waits out its backoff before the next one.
    case retrying
    case succeeded
    case failed
    /// Not run: its condition was false or an operator skipped it.
    case skipped
    /// Cannot run because a step it needs failed, was rejected or was cancelled.
    case blocked
    case cancelled
    /// Was running (or waiting out a retry's backoff) when Baton stopped: a crash, Ctrl-C or
    /// the operator quitting. `baton resume` runs it again if it is `idempotent`; otherwise it
    /// waits for an operator to retry, skip or cancel it. Its dependents wait too.
    case interrupted
    /// Its rollback command is running.
    case rollingBack = "rolling_back"
    case rolledBack = "rolled_back"
    case rollbackFailed = "rollback_failed"

    /// True for states in which the step has no work in flight and none scheduled by itself.
    public var isSettled: Bool {
        switch self {
        case .succeeded, .failed, .skipped, .blocked, .cancelled, .rolledBack, .rollbackFailed: return true
        case .pending, .held, .waiting, .running, .suspended, .retrying, .rollingBack, .interrupted: return false
        }
    }

    /// True while a process (a run or a rollback) exists for the step.
    public var hasProcess: Bool {
        self == .running || self == .suspended || self == .rollingBack
    }
}
