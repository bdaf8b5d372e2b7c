/// A kind of event a `notify:` command is run on.
public enum NotificationEvent: String, Sendable, Hashable, Codable, CaseIterable {
    /// A step began waiting for an approval (a gate opened, or re-opened to new approvers).
    case gateOpened = "gate_opened"
    /// A step failed for good: its last attempt failed, or the scheduler failed it. A failed
    /// attempt that will be retried is not a failure for good and notifies nothing.
    case stepFailed = "step_failed"
    /// The run ended, whatever its outcome.
    case runFinished = "run_finished"
    /// A step's rollback failed.
    case rollbackFailed = "rollback_failed"
}
