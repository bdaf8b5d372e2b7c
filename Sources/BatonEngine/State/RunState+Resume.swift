extension RunState {
    /// Why a resume of this run with `workflow` is refused, or nil when it may go on; without
    /// a workflow, only the journal's side is checked.
    ///
    /// The engine refuses with this when it is made to resume, and `RunDirectory.resumeCheck`
    /// (behind both `baton runs` and `baton resume`) asks it first, so they cannot disagree.
    ///
    /// With `reopening`, a finished run may be taken up too, for an operator to retry, skip or
    /// roll back its steps; without, only a run that is not over is.
    public func resumeRefusal(for workflow: Workflow?, reopening: Bool = false) -> String? {
        guard startedAt != nil else { return "the journal records no start; there is nothing to resume" }
        guard isResumable || reopening else {
            return "the run already \(outcome?.words ?? "ended"); there is nothing to resume "
                + "(--retry-failed or --skip STEP reopens it, and so does baton rollback RUN [STEP])"
        }
        // The instances dynamic fan-outs made are the journal's to add.
        guard workflow == nil || steps.map(\.id) == workflow?.expanded(by: expansions).stepIDs else {
            return "the recorded workflow's steps differ from the journal's"
        }
        return nil
    }
}
