import BatonEngine

/// Says in words why a step is where it is: what it waits for, who holds it, what blocks it.
public enum StepExplanation {
    /// A sentence such as "waiting for: database (running), cache (retrying 2/3)", or nil
    /// when the step's state needs no explanation.
    public static func why(_ index: Int, in state: AppState, plan: Plan) -> String? {
        guard let reason = situation(index, in: state, plan: plan) else { return nil }
        // A step that waits for a person says which keys act on it now, from the rule book
        // the engine enforces.
        let needsSomeone: Set<StepState> = [.held, .waiting, .blocked, .suspended, .failed, .cancelled, .interrupted, .rollbackFailed]
        guard state.run.steps.indices.contains(index), needsSomeone.contains(state.run.steps[index].state),
              let keys = ActionOffers.hint(forStepAt: index, in: state, plan: plan) else { return reason }
        return "\(reason) (\(keys))"
    }

    private static func situation(_ index: Int, in state: AppState, plan: Plan) -> String? {
        let workflow = state.workflow
        let step = workflow.steps[index]
        let record = state.run.steps.indices.contains(index) ? state.run.steps[index] : StepRecord(id: step.id)
        switch record.state {
        case .pending:
            if state.run.startedAt == nil { return "the run has not started" }
            var waits: [String] = []
            // A step whose `when:` calls a state function waits only for its needs to settle,
            // however they end; a failed need is then not something it waits for.
            let waitsForSettledNeeds = plan.callsStateFunction[index]
            for need in plan.needs[index] {
                let upstream = state.run.steps[need]
                if plan.satisfies(upstream, at: need) || (waitsForSettledNeeds && upstream.state.isSettled) { continue }
                var text = "\(upstream.id) (\(upstream.state.rawValue)"
                if upstream.state == .retrying || upstream.state == .running, workflow.steps[need].retry.attempts > 1 {
                    text += " " + Format.attempts(upstream, allowed: workflow.steps[need].retry.attempts)
                }
                waits.append(text + ")")
            }
            if !waits.isEmpty { return "waiting for: " + waits.joined(separator: ", ") }
            if let reason = state.run.haltReason { return "not started: the run has halted (\(reason))" }
            if state.run.isPaused { return "ready, but the run is paused (p resumes)" }
            if step.approval != nil && record.approval?.approved == true { return "approved by \(record.approval!.user); waiting for a free slot" }
            return "ready; waiting for a free slot (concurrency \(state.run.concurrency))"
        case .held:
            return record.reason ?? "held by an operator"
        case .waiting:
            let approvers = step.approval?.approvers ?? []
            return approvers.isEmpty ? "waiting for approval by any operator"
                : "waiting for approval by \(approvers.joined(separator: " or "))"
        case .blocked:
            return "blocked: \(record.reason ?? "a step it needs did not succeed")"
        case .retrying:
            return record.reason.map { "retrying: \($0)" } ?? "retrying after a backoff"
        case .suspended:
            return "\(record.reason ?? "suspended by an operator"); its processes are stopped"
        case .failed:
            return "failed: \(record.reason ?? "exit \(record.exitCodes.last.map(String.init) ?? "?")")"
        case .cancelled:
            return record.reason.map { "cancelled: \($0)" } ?? "cancelled"
        case .interrupted:
            return "interrupted: \(record.reason ?? "Baton stopped while it ran")"
        case .skipped:
            return record.reason.map { "skipped: \($0)" } ?? "skipped"
        case .rollbackFailed:
            return "rollback failed: \(record.reason ?? "")"
        case .running, .succeeded, .rollingBack, .rolledBack:
            return record.reason
        }
    }
}
