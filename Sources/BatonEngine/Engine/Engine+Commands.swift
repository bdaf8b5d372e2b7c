/// Operator commands. Each one either takes effect or is refused with a reason a person can
/// read, and each is recorded in the journal as a `command` event either way.
extension Engine {
    /// Stops starting new steps; running steps go on.
    @discardableResult
    public func pauseRun(by user: String) -> CommandResult {
        if let refusal = refuseIfFinished("pause") { return record("pause", user: user, refusal) }
        if state.isPaused { return record("pause", user: user, .refused("cannot pause: the run is already paused")) }
        let result = record("pause", user: user, .accepted("run paused: nothing new starts until it is resumed"))
        emit(RunEvent(kind: .runPaused))
        schedule()
        return result
    }

    /// Lets the run start steps again.
    @discardableResult
    public func resumeRun(by user: String) -> CommandResult {
        if let refusal = refuseIfFinished("resume") { return record("resume", user: user, refusal) }
        if !state.isPaused { return record("resume", user: user, .refused("cannot resume: the run is not paused")) }
        let result = record("resume", user: user, .accepted("run resumed"))
        emit(RunEvent(kind: .runResumed))
        schedule()
        return result
    }

    /// Keeps a pending step from starting.
    @discardableResult
    public func hold(_ id: String, by user: String) -> CommandResult {
        guard let index = lookup(id) else { return record("hold", step: id, user: user, unknown(id)) }
        if let refusal = refuseIfFinished("hold '\(id)'") { return record("hold", step: id, user: user, refusal) }
        let current = state.steps[index].state
        guard current == .pending else {
            return record("hold", step: id, user: user, .refused("cannot hold '\(id)': it is \(phrase(current)); only a pending step can be held"))
        }
        let result = record("hold", step: id, user: user, .accepted("'\(id)' is held"))
        emit(.step(id, .held, reason: "held by \(user)"))
        schedule()
        return result
    }

    /// Lets a held step start when its needs are met.
    @discardableResult
    public func release(_ id: String, by user: String) -> CommandResult {
        guard let index = lookup(id) else { return record("release", step: id, user: user, unknown(id)) }
        if let refusal = refuseIfFinished("release '\(id)'") { return record("release", step: id, user: user, refusal) }
        let current = state.steps[index].state
        guard current == .held else {
            return record("release", step: id, user: user, .refused("cannot release '\(id)': it is \(phrase(current)), not held"))
        }
        let result = record("release", step: id, user: user, .accepted("'\(id)' is released"))
        emit(.step(id, .pending, reason: "released by \(user)"))
        schedule()
        return result
    }

    /// Freezes a running step's whole process group (SIGSTOP).
    @discardableResult
    public func suspend(_ id: String, by user: String) -> CommandResult {
        guard let index = lookup(id) else { return record("suspend", step: id, user: user, unknown(id)) }
        let current = state.steps[index].state
        guard current == .running, let active = executions[index], active.purpose == .run, active.stopReason == nil else {
            return record("suspend", step: id, user: user, .refused("cannot suspend '\(id)': it is \(phrase(current)); only a running step can be suspended"))
        }
        let result = record("suspend", step: id, user: user, .accepted("'\(id)' is suspended"))
        active.control.send(.suspend)
        emit(.step(id, .suspended, reason: "suspended by \(user)"))
        schedule()
        return result
    }

    /// Lets a suspended step's process group go on (SIGCONT).
    @discardableResult
    public func resumeStep(_ id: String, by user: String) -> CommandResult {
        guard let index = lookup(id) else { return record("resume_step", step: id, user: user, unknown(id)) }
        let current = state.steps[index].state
        guard current == .suspended, let active = executions[index] else {
            return record("resume_step", step: id, user: user, .refused("cannot resume '\(id)': it is \(phrase(current)), not suspended"))
        }
        let result = record("resume_step", step: id, user: user, .accepted("'\(id)' is running again"))
        active.control.send(.resume)
        emit(.step(id, .running, reason: "resumed by \(user)"))
        schedule()
        return result
    }

    /// Approves a waiting gate. Only the gate's approvers (users and `group:` members) may,
    /// when it names any, and not the run's starter when `self_approval` is false.
    @discardableResult
    public func approve(_ id: String, by user: String, comment: String? = nil) -> CommandResult {
        guard let index = lookup(id) else { return record("approve", step: id, user: user, comment: comment, unknown(id)) }
        if let refusal = gateRefusal(index, verb: "approve", user: user) {
            return record("approve", step: id, user: user, comment: comment, refusal)
        }
        let step = workflow.steps[index]
        let result = record("approve", step: id, user: user, comment: comment, .accepted("'\(id)' approved by \(user)"))
        let reason = "approved by \(user)" + (comment.map { $0.isEmpty ? "" : ": \($0)" } ?? "")
        if step.isPureGate {
            emit(.step(id, .succeeded, reason: reason))
        } else {
            emit(.step(id, .pending, reason: reason))
        }
        schedule()
        return result
    }

    /// Rejects a waiting gate: it fails, and its dependents are blocked. The gate's approvers may.
    @discardableResult
    public func reject(_ id: String, by user: String, comment: String? = nil) -> CommandResult {
        guard let index = lookup(id) else { return record("reject", step: id, user: user, comment: comment, unknown(id)) }
        if let refusal = gateRefusal(index, verb: "reject", user: user) {
            return record("reject", step: id, user: user, comment: comment, refusal)
        }
        let result = record("reject", step: id, user: user, comment: comment, .accepted("'\(id)' rejected by \(user)"))
        let reason = "rejected by \(user)" + (comment.map { $0.isEmpty ? "" : ": \($0)" } ?? "")
        emit(.step(id, .failed, reason: reason))
        applyFailurePolicy(failed: id)
        schedule()
        return result
    }

    /// Rejects a waiting gate that no person can decide: the headless runner has no terminal
    /// to ask and no `--approve` for it, or the terminal closed before anyone answered.
    ///
    /// Baton decides this, not the user who started the run, so it is recorded as a `reject`
    /// by the user `baton` with `reason` as the comment, and approvers are not consulted.
    @discardableResult
    public func rejectWithoutOperator(_ id: String, reason: String) -> CommandResult {
        let user = AuditEntry.batonUser
        guard let index = lookup(id) else { return record("reject", step: id, user: user, comment: reason, unknown(id)) }
        if let refusal = openGateRefusal(index, verb: "reject") {
            return record("reject", step: id, user: user, comment: reason, refusal)
        }
        let result = record("reject", step: id, user: user, comment: reason, .accepted("'\(id)' rejected by \(user): \(reason)"))
        emit(.step(id, .failed, reason: "rejected by \(user): \(reason)"))
        applyFailurePolicy(failed: id)
        schedule()
        return result
    }

    /// Runs a failed, cancelled, rolled-back or blocked step again. A blocked step retries the
    /// steps that block it. Blocked dependents become pending again.
    @discardableResult
    public func retry(_ id: String, by user: String) -> CommandResult {
        guard let index = lookup(id) else { return record("retry", step: id, user: user, unknown(id)) }
        if let refusal = refuseIfFinished("retry '\(id)'") ?? refuseIfHalted("retry '\(id)'") {
            return record("retry", step: id, user: user, refusal)
        }
        let current = state.steps[index].state
        var targets: [Int] = []
        switch current {
        case .failed, .cancelled, .rolledBack, .interrupted:
            targets = [index]
        case .blocked:
            targets = plan.topologicalOrder.filter { candidate in
                plan.ancestors(of: index).contains(candidate) && isRetryable(state.steps[candidate].state)
                    && plan.blockingReason(state.steps[candidate], at: candidate) != nil
            }
            if targets.isEmpty {
                return record("retry", step: id, user: user, .refused("cannot retry '\(id)': nothing upstream of it can be retried"))
            }
        default:
            return record("retry", step: id, user: user, .refused("cannot retry '\(id)': it is \(phrase(current))"))
        }
        let names = targets.map { "'\(workflow.steps[$0].id)'" }.joined(separator: ", ")
        let result = record("retry", step: id, user: user, .accepted("retrying \(names)"))
        for target in targets {
            emit(.step(workflow.steps[target].id, .pending, reason: "retry requested by \(user)"))
        }
        for target in targets {
            for dependent in plan.descendants(of: target) where state.steps[dependent].state == .blocked {
                emit(.step(workflow.steps[dependent].id, .pending, reason: "upstream '\(workflow.steps[target].id)' is being retried"))
            }
        }
        schedule()
        return result
    }

    /// Marks a step skipped; its dependents treat it as done, and those it blocked (a failed
    /// or cancelled step's) become pending again.
    @discardableResult
    public func skip(_ id: String, by user: String) -> CommandResult {
        guard let index = lookup(id) else { return record("skip", step: id, user: user, unknown(id)) }
        if let refusal = refuseIfFinished("skip '\(id)'") { return record("skip", step: id, user: user, refusal) }
        let current = state.steps[index].state
        guard StepTransitions.allows(current, .skipped) else {
            let hint = current.hasProcess ? "; cancel it first" : ""
            return record("skip", step: id, user: user, .refused("cannot skip '\(id)': it is \(phrase(current))\(hint)"))
        }
        let result = record("skip", step: id, user: user, .accepted("'\(id)' skipped"))
        retryTimers.removeValue(forKey: index)?.cancel()
        readyRetries.removeAll { $0 == index }
        emit(.step(id, .skipped, reason: "skipped by \(user)"))
        // What this step blocked may go on now; the plan blocks again whatever another
        // failed need still stops.
        for dependent in plan.descendants(of: index) where state.steps[dependent].state == .blocked {
            emit(.step(workflow.steps[dependent].id, .pending, reason: "upstream '\(id)' was skipped"))
        }
        schedule()
        return result
    }

    /// Cancels a step: a running one gets SIGTERM, then SIGKILL after the grace period.
    @discardableResult
    public func cancel(_ id: String, by user: String) -> CommandResult {
        guard let index = lookup(id) else { return record("cancel", step: id, user: user, unknown(id)) }
        let current = state.steps[index].state
        if current.hasProcess, var active = executions[index], active.purpose == .run {
            if active.stopReason != nil {
                return record("cancel", step: id, user: user, .refused("cannot cancel '\(id)': it is already stopping"))
            }
            let result = record("cancel", step: id, user: user, .accepted("cancelling '\(id)': SIGTERM sent to its process group"))
            active.stopReason = .cancelled(by: user)
            executions[index] = active
            stop(index)
            return result
        }
        guard StepTransitions.allows(current, .cancelled), !current.hasProcess else {
            return record("cancel", step: id, user: user, .refused("cannot cancel '\(id)': it is \(phrase(current))"))
        }
        let result = record("cancel", step: id, user: user, .accepted("'\(id)' cancelled"))
        retryTimers.removeValue(forKey: index)?.cancel()
        readyRetries.removeAll { $0 == index }
        emit(.step(id, .cancelled, reason: "cancelled by \(user)"))
        schedule()
        return result
    }

    /// Cancels the whole run: nothing new starts, and every running step is cancelled.
    ///
    /// `outcome` is `.interrupted` for Ctrl-C, signals and an operator quitting the console.
    /// An interrupted run is meant to be resumed: running steps are stopped and become
    /// `interrupted`, and pending, held and waiting steps stay as they are.
    @discardableResult
    public func cancelRun(by user: String, outcome: RunOutcome = .cancelled) -> CommandResult {
        let verb = outcome == .interrupted ? "interrupt" : "cancel_run"
        if let refusal = refuseIfFinished("cancel the run") { return record(verb, user: user, refusal) }
        let result = record(verb, user: user, .accepted(outcome == .interrupted ? "run interrupted" : "run cancelled"))
        let reason = outcome == .interrupted ? "interrupted by \(user)" : "run cancelled by \(user)"
        if state.haltReason == nil {
            halt(reason, outcome: outcome)
        } else if outcome != .interrupted {
            // An interrupt of a run that is already halting (on_failure, a cancel) keeps that
            // ending: such a run is not one to resume. A cancel replaces it, and owes no rollback.
            rehalt(reason, outcome: outcome)
        }
        let interrupting = outcome == .interrupted && state.haltOutcome == .interrupted
        for (index, record) in state.steps.enumerated() {
            if record.hasActiveRun(executions[index]) {
                if var active = executions[index], active.stopReason == nil {
                    active.stopReason = interrupting ? .interrupted(by: user) : .cancelled(by: user)
                    executions[index] = active
                    stop(index)
                }
            } else if interrupting {
                if record.state == .retrying { emit(.step(record.id, .interrupted, reason: reason)) }
            } else if [.pending, .held, .waiting, .retrying, .interrupted].contains(record.state) {
                emit(.step(record.id, .cancelled, reason: reason))
            }
        }
        schedule()
        return result
    }

    /// Rolls a step back: first its succeeded dependents, dependents first, then the step itself.
    @discardableResult
    public func rollback(_ id: String, by user: String) -> CommandResult {
        guard let index = lookup(id) else { return record("rollback", step: id, user: user, unknown(id)) }
        if let refusal = refuseIfFinished("roll back '\(id)'") { return record("rollback", step: id, user: user, refusal) }
        let current = state.steps[index].state
        if current == .rollbackFailed {
            let result = record("rollback", step: id, user: user, .accepted("retrying the rollback of '\(id)'"))
            startRollback(index)
            return result
        }
        guard current == .succeeded else {
            return record("rollback", step: id, user: user, .refused("cannot roll back '\(id)': it is \(phrase(current)); only a succeeded step can be rolled back"))
        }
        if state.pendingRollback.contains(id) {
            return record("rollback", step: id, user: user, .refused("cannot roll back '\(id)': its rollback is already planned"))
        }
        let descendants = plan.descendants(of: index)
        if let busy = descendants.first(where: { state.steps[$0].state.hasProcess || state.steps[$0].state == .retrying }) {
            let busyID = workflow.steps[busy].id
            return record("rollback", step: id, user: user, .refused("cannot roll back '\(id)': its dependent '\(busyID)' is \(phrase(state.steps[busy].state))"))
        }
        let order = (descendants.filter { state.steps[$0].state == .succeeded }.reversed() + [index]).map { workflow.steps[$0].id }
        let result = record("rollback", step: id, user: user, .accepted("rolling back " + order.map { "'\($0)'" }.joined(separator: ", ")))
        var event = RunEvent(kind: .rollbackPlanned)
        event.step = id
        event.steps = order
        emit(event)
        schedule()
        return result
    }

    /// Rolls back the whole run: stops it, cancels running steps, then compensates every succeeded step.
    @discardableResult
    public func rollbackRun(by user: String) -> CommandResult {
        if let refusal = refuseIfFinished("roll back the run") { return record("rollback_run", user: user, refusal) }
        let result = record("rollback_run", user: user, .accepted("rolling back the run"))
        rehalt("run rolled back by \(user)", outcome: .failed, compensate: true)
        for (index, record) in state.steps.enumerated() {
            if record.hasActiveRun(executions[index]) {
                if var active = executions[index], active.stopReason == nil {
                    active.stopReason = .cancelled(by: user)
                    executions[index] = active
                    stop(index)
                }
            } else if [.pending, .held, .waiting, .interrupted].contains(record.state) {
                emit(.step(record.id, .cancelled, reason: "run rolled back by \(user)"))
            }
        }
        schedule()
        return result
    }

    /// The steps a rollback of `id` would undo, in order: succeeded dependents first, then the step.
    public func rollbackPreview(_ id: String) -> [String] {
        guard let index = lookup(id) else { return [] }
        let dependents = plan.descendants(of: index).filter { state.steps[$0].state == .succeeded }.reversed()
        return (dependents + [index]).map { workflow.steps[$0].id }
    }

    // MARK: - Helpers

    private func lookup(_ id: String) -> Int? { state.index(of: id) }

    private func unknown(_ id: String) -> CommandResult { .refused("there is no step '\(id)' in this workflow") }

    private func isRetryable(_ state: StepState) -> Bool {
        state == .failed || state == .cancelled || state == .rolledBack || state == .interrupted
    }

    private func refuseIfFinished(_ what: String) -> CommandResult? {
        guard let outcome = state.outcome else { return nil }
        return .refused("cannot \(what): the run has finished (\(outcome.rawValue))")
    }

    private func refuseIfHalted(_ what: String) -> CommandResult? {
        guard let reason = state.haltReason else { return nil }
        return .refused("cannot \(what): the run has halted (\(reason))")
    }

    /// A state as words after "it is": "running", "waiting for approval".
    func phrase(_ state: StepState) -> String {
        switch state {
        case .waiting: return "waiting for approval"
        case .rollingBack: return "rolling back"
        case .rolledBack: return "rolled back"
        case .rollbackFailed: return "in rollback_failed"
        default: return state.rawValue
        }
    }

    /// Records the command (accepted or refused) in the journal and returns the result.
    private func record(_ name: String, step: String? = nil, user: String, comment: String? = nil, _ result: CommandResult) -> CommandResult {
        emit(.command(name, step: step, user: user, comment: comment, accepted: result.isAccepted,
                      reason: result.isAccepted ? nil : result.message))
        if !result.isAccepted { logger.debug("refused: \(result.message)") }
        return result
    }
}

extension StepRecord {
    /// True when the step has a run execution in flight (running or suspended).
    func hasActiveRun(_ active: Engine.ActiveExecution?) -> Bool {
        (state == .running || state == .suspended) && active?.purpose == .run
    }
}
