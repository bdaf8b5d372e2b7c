/// A recorded run that `baton resume` can take up, as `RunDirectory.resumeCheck` read it.
public struct ResumableRun: Sendable {
    /// The stored workflow, checked to be the one that ran; its secrets come from the environment.
    public var workflow: Workflow
    /// The fold of `events`.
    public var state: RunState
    /// The journal's complete events; a torn last line is not among them.
    public var events: [RunEvent]
}
