extension RunState {
    /// Why a resume of this run with `workflow` is refused, or nil when it may go on; without
    /// a workflow, only the journal's side is checked.
    ///
    /// The engine refuses with this when it is made to resume, and `RunDirectory.resumeCheck`
    /// (behind both `baton runs` and `baton resume`) asks it first, so they cannot disagree.
    public func resumeRefusal(for workflow: Workflow?) -> String? {
        guard startedAt != nil else { return "the journal records no start; there is nothing to resume" }
        guard isResumable else { return "the run already \(outcome?.rawValue ?? "ended"); there is nothing to resume" }
        guard workflow == nil || steps.map(\.id) == workflow?.stepIDs else { return "the recorded workflow's steps differ from the journal's" }
        return nil
    }
}
