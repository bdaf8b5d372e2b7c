/// What the engine does when a step fails for good (after its retries and without `continue_on_error`).
public enum FailurePolicy: String, Sendable, Codable, CaseIterable {
    /// Block the failed step's dependents, let other branches go on, and wait for an operator.
    case wait
    /// Compensate every step that succeeded, in reverse topological order.
    case rollback
    /// Start nothing new; let running steps finish.
    case stop
}
