/// Operator commands. Each one either takes effect or is refused with a reason a person can
/// read, and each is recorded in the journal as a `command` event either way.
extension Engine {
    /// Stops starting new steps; running steps go on.
    @discardableResult
    public func pauseRun(by user: String) -> CommandResult {
        if let refusal = refusal(.pause) { return record("pause", user: user, refusal) }
        let result = record("pause", user: user, .accepted("run paused: nothing new starts until it is resumed"))
        emit(RunEvent(kind: .runPaused))
        schedule()
        return result
    }

    /// Lets the run start steps again.
    @discardableResult
    public func resumeRun(by user: String) -> CommandResult {
        if let refusal = refusal(.resumeRun) { return record("resume", user: user, refusal) }
        let result = record("resume", user: user, .accepted("run resumed"))
        emit(RunEvent(kind: .runResumed))
        schedule()
        return result
    }

    /// Keeps a pending step from starting.
    @discardableResult
    public func hold(_ id: String, by user: String) -> CommandResult {
        guard let index = lookup(id) else { return record("hold", step: id, user: user, unknown(id)) }
        if let refusal = refusal(.hold, index) { return record("hold", step: id, user: user, refusal) }
        let result = record("hold", step: id, user: user, .accepted("'\(id)' is held"))
        emit(.step(id, .held, reason: "held by \(user)"))
        schedule()
        return result
    }

    /// Lets a held step start when its needs are met.
    @discardableResult
    public func release(_ id: String, by user: String) -> CommandResult {
        guard let index = lookup(id) else { return record("release", step: id, user: user, unknown(id)) }
        if let refusal = refusal(.release, index) { return record("release", step: id, user: user, refusal) }
        let result = record("release", step: id, user: user, .accepted("'\(id)' is released"))
        emit(.step(id, .pending, reason: "released by \(user)"))
        schedule()
        return result
    }

    /// Freezes a running step's whole process group (SIGSTOP).
    @discardableResult
    public func suspend(_ id: String, by user: String) -> CommandResult {
        guard let index = lookup(id) else { return record("suspend", step: id, user: user, unknown(id)) }
        if let refusal = refusal(.suspend, index) { return record("suspend", step: id, user: user, refusal) }
        guard let active = executions[index], active.purpose == .run, active.stopReason == nil else {
            return record("suspend", step: id, user: user, .refused("cannot suspend '\(id)': it is stopping"))
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
        if let refusal = refusal(.resumeStep, index) { return record("resume_step", step: id, user: user, refusal) }
        guard let active = executions[index] else {
            return record("resume_step", step: id, user: user, .refused("cannot resume '\(id)': its process has ended"))
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
    public func approve(_ id: String, by user: String, comment: String? = nil, values: [String: String] = [:]) -> CommandResult {
        guard let index = lookup(id) else { return record("approve", step: id, user: user, comment: comment, unknown(id)) }
        if let refusal = gateRefusal(index, verb: "approve", user: user) {
            return record("approve", step: id, user: user, comment: comment, refusal)
        }
        let step = workflow.steps[index]
        if let problem = Self.inputProblem(values, for: step) {
            return record("approve", step: id, user: user, comment: comment, .refused(problem))
        }
        var values = values
        for input in step.approval?.inputs ?? [] where values[input.name] == nil {
            if let value = input.defaultValue { values[input.name] = value }
        }
        // The values are the decision's: recorded with it, before anything acts on them.
        let result = record("approve", step: id, user: user, comment: comment, values: values, .accepted("'\(id)' approved by \(user)"))
        let reason = "approved by \(user)" + (comment.map { $0.isEmpty ? "" : ": \($0)" } ?? "")
        if step.isPureGate {
            emit(.step(id, .succeeded, outputs: values.isEmpty ? nil : values, reason: reason))
        } else {
            emit(.step(id, .pending, reason: reason))
        }
        schedule()
        return result
    }

    /// What is wrong with the values an approval gives, for the gate's `approval.inputs`: a
    /// name it does not ask for, a required one missing, one that does not fit its type.
    static func inputProblem(_ values: [String: String], for step: Step) -> String? {
        let inputs = step.approval?.inputs ?? []
        let names = inputs.map(\.name)
        var problems: [String] = []
        for name in values.keys.sorted() where !names.contains(name) {
            problems.append(names.isEmpty
                ? "'\(step.id)' asks for no values, so '\(name)' has nothing to set"
                : "'\(step.id)' asks for no value '\(name)'; it asks for \(names.joined(separator: ", "))" + Suggestion.hint(for: name, among: names))
        }
        for input in inputs {
            if let value = values[input.name] {
                if let problem = input.problem(with: value) { problems.append("'\(input.name)' (\(input.kind.name)): \(problem)") }
            } else if input.required && input.defaultValue == nil {
                problems.append("'\(step.id)' needs a value for '\(input.name)'" + (input.description.map { " (\($0))" } ?? ""))
            }
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
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
        if let refusal = refusal(.retry, index) { return record("retry", step: id, user: user, refusal) }
        let targets = plan.retryTargets(of: index, in: state)
        let names = targets.map { "'\(workflow.steps[$0].id)'" }.joined(separator: ", ")
        let result = record("retry", step: id, user: user, .accepted("retrying \(names)"))
        reopenIfFinished(by: user, why: "retry '\(id)'")
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
        if let refusal = refusal(.skip, index) { return record("skip", step: id, user: user, refusal) }
        let result = record("skip", step: id, user: user, .accepted("'\(id)' skipped"))
        reopenIfFinished(by: user, why: "skip '\(id)'")
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
        if let refusal = refusal(.cancel, index) { return record("cancel", step: id, user: user, refusal) }
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
        guard !current.hasProcess else {
            return record("cancel", step: id, user: user, .refused("cannot cancel '\(id)': its process has ended"))
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
        if let refusal = refusal(.cancelRun) { return record(verb, user: user, refusal) }
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
                // A step whose `when:` calls a state function is not cancelled with the run:
                // once its needs settle, its `when:` decides (`always()`, `cancelled()`).
                if record.state == .pending && plan.callsStateFunction[index] && state.haltOutcome == .cancelled { continue }
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
        if let refusal = refusal(.rollback, index) { return record("rollback", step: id, user: user, refusal) }
        if state.steps[index].state == .rollbackFailed {
            let result = record("rollback", step: id, user: user, .accepted("retrying the rollback of '\(id)'"))
            reopenIfFinished(by: user, why: "retry the rollback of '\(id)'")
            startRollback(index)
            return result
        }
        let order = plan.rollbackOrder(of: index, in: state).map { workflow.steps[$0].id }
        let result = record("rollback", step: id, user: user, .accepted("rolling back " + order.map { "'\($0)'" }.joined(separator: ", ")))
        reopenIfFinished(by: user, why: "roll back '\(id)'")
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
        if let refusal = refusal(.rollbackRun) { return record("rollback_run", user: user, refusal) }
        let result = record("rollback_run", user: user, .accepted("rolling back the run"))
        reopenIfFinished(by: user, why: "roll back the run")
        rehalt("run rolled back by \(user)", outcome: .rolledBack, compensate: true)
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
        return plan.rollbackOrder(of: index, in: state).map { workflow.steps[$0].id }
    }

    // MARK: - Helpers

    private func lookup(_ id: String) -> Int? { state.index(of: id) }

    private func unknown(_ id: String) -> CommandResult { .refused("there is no step '\(id)' in this workflow") }

    /// The rule book's refusal of `action` on step `index` (or on the run) now, if it refuses.
    private func refusal(_ action: OperatorAction, _ index: Int = 0) -> CommandResult? {
        if closing { return .refused("cannot \(action.verb): this Baton has closed the run") }
        if case .refused(let reason, _) = plan.verdict(on: action, step: index, in: state) { return .refused(reason) }
        return nil
    }

    /// Records that `user` reopens the finished run to act on it, before the act's effects.
    private func reopenIfFinished(by user: String, why: String) {
        guard let outcome = state.outcome, !outcome.isUnfinished else { return }
        var event = RunEvent(kind: .runReopened)
        event.user = user
        event.outcome = outcome
        event.comment = why
        emit(event)
    }

    /// Records the command (accepted or refused) in the journal and returns the result.
    private func record(
        _ name: String, step: String? = nil, user: String, comment: String? = nil, values: [String: String] = [:], _ result: CommandResult
    ) -> CommandResult {
        // A closed journal takes nothing more; only refusals get this far once it closes.
        if journalIsClosing { return result }
        var event = RunEvent.command(name, step: step, user: user, comment: comment ?? commentOfCommandInProgress, accepted: result.isAccepted,
                                     reason: result.isAccepted ? nil : result.message)
        if !values.isEmpty { event.outputs = values }
        emit(event)
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

extension Engine {
    /// Runs `body` (one of the command methods) with `comment` kept in the audit entry it
    /// records, as `perform` keeps a command's: for callers that give the engine a command
    /// directly (`baton rollback` of a recorded run).
    public func commenting(_ comment: String?, _ body: @Sendable (isolated Engine) -> CommandResult) -> CommandResult {
        commentOfCommandInProgress = comment?.isEmpty == false ? comment : nil
        defer { commentOfCommandInProgress = nil }
        return body(self)
    }

    /// Carries out a typed command as `user`: the one entry front ends use. A cancel of the
    /// whole run ends it cancelled; `cancelRun(by:outcome:)` also interrupts it.
    @discardableResult
    public func perform(_ command: OperatorCommand, by user: String) -> CommandResult {
        commentOfCommandInProgress = command.comment?.isEmpty == false ? command.comment : nil
        defer { commentOfCommandInProgress = nil }
        if let refusal = accessRefusal(command, user: user) {
            let name = command.action == .cancelRun ? "cancel" : command.action.rawValue
            return record(name, step: command.step, user: user, comment: command.comment, refusal)
        }
        let step = command.step ?? ""
        switch command.action {
        case .approve: return approve(step, by: user, comment: command.comment, values: command.values ?? [:])
        case .reject: return reject(step, by: user, comment: command.comment)
        case .retry: return retry(step, by: user)
        case .skip: return skip(step, by: user)
        case .cancel: return cancel(step, by: user)
        case .hold: return hold(step, by: user)
        case .release: return release(step, by: user)
        case .suspend: return suspend(step, by: user)
        case .resumeStep: return resumeStep(step, by: user)
        case .rollback: return rollback(step, by: user)
        case .pause: return pauseRun(by: user)
        case .resumeRun: return resumeRun(by: user)
        case .cancelRun: return cancelRun(by: user)
        case .rollbackRun: return rollbackRun(by: user)
        }
    }
}
