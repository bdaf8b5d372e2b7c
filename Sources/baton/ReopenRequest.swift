import BatonEngine

/// What an operator asks of a recorded run on the command line: `baton resume RUN
/// --retry-failed` and `--skip STEP`, and `baton rollback RUN [STEP]`.
///
/// It is checked against the recorded run before anything is written (`refusal(for:)`, with
/// `Plan.verdict`, the rule book the engine's commands follow), so a request that cannot be
/// carried out changes nothing. Then, once the engine has started, it is carried out through
/// the engine's commands; the first one reopens a finished run, and the engine records
/// `run_reopened` with the user and why ("retry 'deploy'").
struct ReopenRequest: Sendable, Equatable {
    /// Retry every failed, cancelled and interrupted step; the steps they blocked follow.
    var retryFailed = false
    /// Skip these steps, so that the steps they blocked go on.
    var skips: [String] = []
    /// Roll back one step (and its succeeded dependents) or the whole run.
    var rollback: Rollback?
    /// Why, as the operator said it (`--comment`): the audit trail keeps it with each command.
    var comment: String?

    /// What `baton rollback` rolls back.
    enum Rollback: Sendable, Equatable {
        case run
        case step(String)
    }

    /// Whether the request asks for nothing: a plain resume.
    var isEmpty: Bool { !retryFailed && skips.isEmpty && rollback == nil }

    /// The step ids the request names, in the order given.
    var namedSteps: [String] {
        if case .step(let id)? = rollback { return skips + [id] }
        return skips
    }

    /// Why the request cannot be carried out on the recorded run `source`, for the operator
    /// to read; nil when the rule book allows every part of it.
    ///
    /// It is judged on the run as a resume takes it up: a finished run as it ended, and an
    /// interrupted or waiting one with its end lifted, as `run_reopened` lifts it.
    func refusal(for source: RunSource) -> String? {
        let workflow = source.workflow.expanded(by: source.recorded?.expansions ?? [])
        if let unknown = namedSteps.first(where: { workflow[$0] == nil }) {
            return "there is no step '\(unknown)' in workflow '\(workflow.name)'" + Suggestion.hint(for: unknown, among: workflow.stepIDs)
        }
        guard var state = source.recorded else { return nil }
        if !state.isFinished || state.outcome?.isUnfinished == true {
            try? state.apply(RunEvent(seq: state.lastSeq + 1, kind: .runReopened))
        }
        let plan = Plan(workflow: workflow)
        var refusals: [String] = []
        func check(_ action: OperatorAction, _ index: Int) {
            if case .refused(let reason, _) = plan.verdict(on: action, step: index, in: state) { refusals.append(reason) }
        }
        let skipped = skips.compactMap { state.index(of: $0) }
        for index in skipped { check(.skip, index) }
        if retryFailed {
            let retried = Self.retryCandidates(in: state, plan: plan, except: Set(skipped))
            for index in retried { check(.retry, index) }
            if retried.isEmpty && skipped.isEmpty && source.recorded?.isReopenable == true {
                refusals.append("run \(state.runID) \(source.recorded?.status.words ?? "ended") with no failed, cancelled or "
                    + "interrupted step: there is nothing to retry")
            }
        }
        switch rollback {
        case .step(let id)?: if let index = state.index(of: id) { check(.rollback, index) }
        case .run?: check(.rollbackRun, 0)
        case nil: break
        }
        return refusals.isEmpty ? nil : refusals.joined(separator: "\n")
    }

    /// Gives the started `engine` the request's commands as `user`: the skips, then a retry of
    /// every step that `--retry-failed` takes in the run as it now stands, or the rollback.
    /// Returns what to tell the operator: commands refused after all (the run moved on since
    /// the check), or that there was nothing to retry.
    func carryOut(on engine: Engine, by user: String) async -> [String] {
        var results: [CommandResult] = []
        let comment = self.comment
        for id in skips { results.append(await engine.commenting(comment) { $0.skip(id, by: user) }) }
        var notes: [String] = []
        if retryFailed {
            let state = await engine.state
            let plan = Plan(workflow: engine.loadedWorkflow.expanded(by: state.expansions))
            let retried = Self.retryCandidates(in: state, plan: plan, except: Set(skips.compactMap { state.index(of: $0) }))
            if retried.isEmpty { notes.append("no failed, cancelled or interrupted step to retry") }
            for index in retried {
                let id = state.steps[index].id
                results.append(await engine.commenting(comment) { $0.retry(id, by: user) })
            }
        }
        switch rollback {
        case .step(let id)?: results.append(await engine.commenting(comment) { $0.rollback(id, by: user) })
        case .run?: results.append(await engine.commenting(comment) { $0.rollbackRun(by: user) })
        case nil: break
        }
        return results.filter { !$0.isAccepted }.map { "refused: \($0.message)" } + notes
    }

    /// The steps `--retry-failed` retries, in dependency order: every failed, cancelled and
    /// interrupted step, and what blocks a blocked step (`Plan.retryTargets`). A step rolled
    /// back upstream of one of them (`on_failure: rollback` undid it) runs again too, or the
    /// retried step would be blocked at once; steps that succeeded never run again.
    static func retryCandidates(in state: RunState, plan: Plan, except skipped: Set<Int>) -> [Int] {
        let retryable: Set<StepState> = [.failed, .cancelled, .interrupted]
        var chosen = Set(state.steps.indices.filter { retryable.contains(state.steps[$0].state) })
        for index in chosen {
            chosen.formUnion(plan.ancestors(of: index).filter { state.steps[$0].state == .rolledBack })
        }
        for index in state.steps.indices where state.steps[index].state == .blocked {
            chosen.formUnion(plan.retryTargets(of: index, in: state))
        }
        return plan.topologicalOrder.filter { chosen.contains($0) && !skipped.contains($0) }
    }
}
