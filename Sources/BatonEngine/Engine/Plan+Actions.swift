/// The one rule book of operator actions: which are legal for a step in its state, and what
/// each would do.
///
/// The engine's commands refuse exactly what `verdict` refuses (they add only what a run's
/// state cannot show: who may decide a gate, a stop already under way), and front ends offer
/// exactly what it allows, so what the console offers is what the engine accepts.
extension Plan {
    /// Whether `action` is legal for step `index` (ignored for actions on the whole run) in
    /// `state`, and what it would do or why not.
    public func verdict(on action: OperatorAction, step index: Int, in state: RunState) -> ActionVerdict {
        if !action.isStepAction { return runVerdict(on: action, in: state) }
        guard state.steps.indices.contains(index), workflow.steps.indices.contains(index) else {
            return .refused("there is no such step in this workflow")
        }
        let id = workflow.steps[index].id
        let record = state.steps[index]
        let current = record.state
        let verb = action.verb
        if state.startedAt == nil { return .refused("cannot \(verb) '\(id)': the run has not started") }
        if let outcome = state.outcome {
            if outcome.isUnfinished { return .refused("cannot \(verb) '\(id)': \(Self.ending(outcome)); baton resume takes it up") }
            // A finished run is reopened by a retry, a skip or a rollback, and by nothing else.
            guard [.retry, .skip, .rollback].contains(action) else {
                return .refused("cannot \(verb) '\(id)': the run has finished (\(outcome.words))")
            }
        }
        switch action {
        case .approve, .reject:
            guard workflow.steps[index].approval != nil else { return .refused("cannot \(verb) '\(id)': it has no approval gate") }
            guard current == .waiting else {
                return .refused("cannot \(verb) '\(id)': it is \(current.phrase), not waiting for approval")
            }
            if action == .approve {
                return .allowed(workflow.steps[index].isPureGate ? "'\(id)' succeeds and what needs it goes on" : "'\(id)' is approved and runs")
            }
            return .allowed("'\(id)' fails as rejected; \(consequenceOfFailure(index))")
        case .retry:
            return retryVerdict(index, in: state)
        case .skip:
            guard StepTransitions.allows(current, .skipped) else {
                if current.hasProcess && current != .rollingBack {
                    return .refused("cannot skip '\(id)': it is \(current.phrase); cancel it first", instead: .cancel)
                }
                return .refused("cannot skip '\(id)': it is \(current.phrase)")
            }
            let freed = descendants(of: index).filter { state.steps[$0].state == .blocked }.count
            return .allowed("'\(id)' is skipped" + (freed > 0 ? "; \(freed) step\(freed == 1 ? "" : "s") it blocked can run" : ""))
        case .cancel:
            if current == .running || current == .suspended {
                if record.cancelRequestedBy != nil { return .refused("cannot cancel '\(id)': it is already stopping") }
                return .allowed("'\(id)' gets SIGTERM, then SIGKILL after the grace period, and ends cancelled")
            }
            if current == .rollingBack { return .refused("cannot cancel '\(id)': its rollback is running") }
            guard StepTransitions.allows(current, .cancelled) else {
                return .refused("cannot cancel '\(id)': it is \(current.phrase)")
            }
            return .allowed("'\(id)' is cancelled and never starts")
        case .hold:
            guard current == .pending else {
                if current == .held { return .refused("cannot hold '\(id)': it is already held", instead: .release) }
                return .refused("cannot hold '\(id)': it is \(current.phrase); only a pending step can be held")
            }
            return .allowed("'\(id)' does not start until it is released")
        case .release:
            guard current == .held else { return .refused("cannot release '\(id)': it is \(current.phrase), not held") }
            return .allowed("'\(id)' starts once its needs are met")
        case .suspend:
            if let refusal = lacks(.suspend, index, verb: "suspend", in: state) { return refusal }
            guard current == .running else {
                if current == .suspended { return .refused("cannot suspend '\(id)': it is already suspended", instead: .resumeStep) }
                return .refused("cannot suspend '\(id)': it is \(current.phrase); only a running step can be suspended")
            }
            return .allowed("'\(id)''s processes are stopped (SIGSTOP) until resumed")
        case .resumeStep:
            guard current == .suspended else { return .refused("cannot resume '\(id)': it is \(current.phrase), not suspended") }
            return .allowed("'\(id)''s processes go on (SIGCONT)")
        case .rollback:
            return rollbackVerdict(index, in: state)
        case .pause, .resumeRun, .cancelRun, .rollbackRun:
            return runVerdict(on: action, in: state)
        }
    }

    /// The steps a rollback of step `index` undoes, in order: its succeeded dependents,
    /// dependents first, then the step.
    public func rollbackOrder(of index: Int, in state: RunState) -> [Int] {
        descendants(of: index).filter { state.steps[$0].state == .succeeded }.reversed() + [index]
    }

    /// The steps a retry of step `index` runs again: the step itself, or for a blocked step
    /// the steps upstream that block it.
    public func retryTargets(of index: Int, in state: RunState) -> [Int] {
        // A dynamic fan-out makes its instances once; it is they that run again.
        if hasExpanded(index, in: state) { return [] }
        switch state.steps[index].state {
        case .failed, .cancelled, .rolledBack, .interrupted:
            return [index]
        case .blocked:
            let upstream = Set(ancestors(of: index))
            return topologicalOrder.filter { candidate in
                upstream.contains(candidate) && Self.isRetryable(state.steps[candidate].state)
                    && blockingReason(state.steps[candidate], at: candidate) != nil && !hasExpanded(candidate, in: state)
            }
        default:
            return []
        }
    }

    /// A refusal when step `index`'s executor cannot do `capability`, saying which runs it.
    private func lacks(_ capability: ExecutorCapabilities, _ index: Int, verb: String, in state: RunState) -> ActionVerdict? {
        let step = workflow.steps[index]
        let kind = ExecutorKind.of(step, simulatesEverything: state.simulated)
        guard !kind.capabilities.contains(capability) else { return nil }
        let where_ = step.host.map { "runs on \($0) over SSH" } ?? "runs with the \(kind.rawValue) executor"
        return .refused("cannot \(verb) '\(step.id)': it \(where_), and the \(kind.rawValue) executor cannot \(verb) a step")
    }

    /// Whether step `index` is a dynamic fan-out that has made its instances.
    private func hasExpanded(_ index: Int, in state: RunState) -> Bool {
        workflow.steps[index].fanOutSource != nil && state.expansions.contains { $0.group == workflow.steps[index].id }
    }

    static func isRetryable(_ state: StepState) -> Bool {
        state == .failed || state == .cancelled || state == .rolledBack || state == .interrupted
    }

    private func retryVerdict(_ index: Int, in state: RunState) -> ActionVerdict {
        let id = workflow.steps[index].id
        let current = state.steps[index].state
        if current == .rollbackFailed {
            return .refused("cannot retry '\(id)': its rollback failed; roll it back again to retry the rollback", instead: .rollback)
        }
        if let reason = state.haltReason, state.outcome == nil {
            return .refused("cannot retry '\(id)': the run has halted (\(reason))")
        }
        if hasExpanded(index, in: state) {
            return .refused("cannot retry '\(id)': it made its instances already; retry them instead")
        }
        let targets = retryTargets(of: index, in: state)
        guard !targets.isEmpty else {
            if current == .blocked { return .refused("cannot retry '\(id)': nothing upstream of it can be retried") }
            return .refused("cannot retry '\(id)': it is \(current.phrase)")
        }
        let names = targets.map { "'\(workflow.steps[$0].id)'" }.joined(separator: ", ")
        let freed = Set(targets.flatMap { descendants(of: $0) }).filter { state.steps[$0].state == .blocked }.count
        var text = "runs \(names) again"
        if freed > 0 { text += "; \(freed) step\(freed == 1 ? "" : "s") it blocked can run after" }
        if state.isFinished { text += " (this reopens the run)" }
        return .allowed(text)
    }

    private func rollbackVerdict(_ index: Int, in state: RunState) -> ActionVerdict {
        let id = workflow.steps[index].id
        let current = state.steps[index].state
        let reopens = state.isFinished ? " (this reopens the run)" : ""
        if current == .rollbackFailed { return .allowed("runs the rollback of '\(id)' again\(reopens)") }
        guard current == .succeeded else {
            if current == .failed || current == .cancelled || current == .interrupted {
                return .refused("cannot roll back '\(id)': it is \(current.phrase); only a succeeded step can be rolled back (retry or skip it)", instead: .retry)
            }
            return .refused("cannot roll back '\(id)': it is \(current.phrase); only a succeeded step can be rolled back")
        }
        if state.pendingRollback.contains(id) { return .refused("cannot roll back '\(id)': its rollback is already planned") }
        if let busy = descendants(of: index).first(where: { state.steps[$0].state.hasProcess || state.steps[$0].state == .retrying }) {
            return .refused("cannot roll back '\(id)': its dependent '\(workflow.steps[busy].id)' is \(state.steps[busy].state.phrase)")
        }
        let order = rollbackOrder(of: index, in: state).map { "'\(workflow.steps[$0].id)'" }
        return .allowed("rolls back " + order.joined(separator: ", ") + ", in that order" + reopens)
    }

    private func runVerdict(on action: OperatorAction, in state: RunState) -> ActionVerdict {
        let verb = action.verb
        if state.startedAt == nil { return .refused("cannot \(verb): the run has not started") }
        if let outcome = state.outcome {
            if action == .rollbackRun, !outcome.isUnfinished {
                let succeeded = state.steps.filter { $0.state == .succeeded }.count
                guard succeeded > 0 else { return .refused("cannot roll back the run: no step of it is succeeded") }
                return .allowed("rolls back the \(succeeded) succeeded step\(succeeded == 1 ? "" : "s"), dependents first (this reopens the run)")
            }
            return .refused("cannot \(verb): " + (outcome.isUnfinished ? "\(Self.ending(outcome)); baton resume takes it up" : "the run has finished (\(outcome.words))"))
        }
        switch action {
        case .pause:
            if state.isPaused { return .refused("cannot pause: the run is already paused", instead: .resumeRun) }
            return .allowed("nothing new starts until the run is resumed; running steps go on")
        case .resumeRun:
            if !state.isPaused { return .refused("cannot resume: the run is not paused", instead: .pause) }
            return .allowed("the run starts steps again")
        case .cancelRun:
            let running = state.steps.filter { $0.state == .running || $0.state == .suspended }.count
            return .allowed("the run is cancelled: nothing new starts"
                + (running > 0 ? ", and \(running) running step\(running == 1 ? " gets" : "s get") SIGTERM" : ""))
        case .rollbackRun:
            let succeeded = state.steps.filter { $0.state == .succeeded }.count
            let running = state.steps.filter { $0.state == .running || $0.state == .suspended }.count
            var text = "the run stops"
            if running > 0 { text += ", \(running) running step\(running == 1 ? " is" : "s are") cancelled" }
            text += succeeded > 0
                ? ", and the \(succeeded) succeeded step\(succeeded == 1 ? " is" : "s are") rolled back, dependents first"
                : "; no step has succeeded, so nothing is rolled back"
            return .allowed(text)
        default:
            return .refused("cannot \(verb)")
        }
    }

    /// How a run that is not over ended, in words: "the run was interrupted".
    static func ending(_ outcome: RunOutcome) -> String {
        outcome == .interrupted ? "the run was interrupted" : "the run was left \(outcome.words)"
    }

    /// What a failure of step `index` does to the run, by its `on_failure`.
    private func consequenceOfFailure(_ index: Int) -> String {
        let dependents = descendants(of: index).count
        let blocked = dependents > 0 ? "\(dependents) step\(dependents == 1 ? "" : "s") after it \(dependents == 1 ? "is" : "are") blocked" : "nothing depends on it"
        switch workflow.onFailure {
        case .wait: return blocked
        case .stop: return "the run stops (on_failure: stop)"
        case .rollback: return "the run stops and rolls back what succeeded (on_failure: rollback)"
        }
    }
}

extension OperatorAction {
    /// The action as a verb after "cannot".
    var verb: String {
        switch self {
        case .rollback: return "roll back"
        case .resumeStep, .resumeRun: return "resume"
        case .cancelRun: return "cancel the run"
        case .rollbackRun: return "roll back the run"
        default: return rawValue
        }
    }
}

extension StepState {
    /// The state as words after "it is": "running", "waiting for approval".
    public var phrase: String {
        switch self {
        case .waiting: return "waiting for approval"
        case .rollingBack: return "rolling back"
        case .rolledBack: return "rolled back"
        case .rollbackFailed: return "in rollback_failed"
        default: return rawValue
        }
    }
}
