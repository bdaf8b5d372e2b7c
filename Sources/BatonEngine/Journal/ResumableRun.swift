/// A recorded run that `baton resume` can take up, as `RunDirectory.resumeCheck` read it.
public struct ResumableRun: Sendable {
    /// The recorded workflow, without the secrets the file held only as `***`: their values
    /// come from the environment (see `Workflow.removingMaskedSecrets()`).
    public var workflow: Workflow
    /// The fold of `events`.
    public var state: RunState
    /// The journal's complete events; a torn last line is not among them.
    public var events: [RunEvent]
}
