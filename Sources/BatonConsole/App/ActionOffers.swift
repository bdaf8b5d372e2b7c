import BatonEngine

/// What the console offers: each operator key asks the engine's rule book
/// (`Plan.verdict(on:step:in:)`) about the selected step and the run, so the footer, the help,
/// the details' hints and the dialogs offer exactly what the engine accepts.
public enum ActionOffers {
    /// The engine action a console key means now (a toggle means one of two), or nil for keys
    /// that do not act on the run.
    public static func operatorAction(for action: ConsoleAction, in state: AppState) -> OperatorAction? {
        switch action {
        case .pauseRun: return state.run.isPaused ? .resumeRun : .pause
        case .approve: return .approve
        case .reject: return .reject
        case .retry: return .retry
        case .rollback: return .rollback
        case .rollbackRun: return .rollbackRun
        case .cancel: return .cancel
        case .cancelRun: return .cancelRun
        case .skip: return .skip
        case .holdRelease: return state.selectedRecord?.state == .held ? .release : .hold
        case .suspendResume: return state.selectedRecord?.state == .suspended ? .resumeStep : .suspend
        default: return nil
        }
    }

    /// The console key that carries out an engine action.
    public static func consoleAction(for action: OperatorAction) -> ConsoleAction {
        switch action {
        case .approve: return .approve
        case .reject: return .reject
        case .retry: return .retry
        case .skip: return .skip
        case .cancel: return .cancel
        case .hold, .release: return .holdRelease
        case .suspend, .resumeStep: return .suspendResume
        case .rollback: return .rollback
        case .pause, .resumeRun: return .pauseRun
        case .cancelRun: return .cancelRun
        case .rollbackRun: return .rollbackRun
        }
    }

    /// The rule book's verdict on a key for the selected step (or the run), or nil for keys
    /// that do not act on the run. A replay acts on nothing.
    public static func verdict(_ action: ConsoleAction, in state: AppState, plan: Plan) -> ActionVerdict? {
        guard let operatorAction = operatorAction(for: action, in: state) else { return nil }
        if state.replay != nil { return .refused("a replay is read-only") }
        if state.seat == .attachedReadOnly { return .refused("this view is read-only (baton attach --read-only)") }
        if case .hostGone = state.hostEnding { return .refused("the run's Baton is gone: nothing can be done from here") }
        if state.role == .viewer && operatorAction != .approve && operatorAction != .reject {
            return .refused("\(state.user) is a viewer of this run: only its operators may act on it (access.operators)")
        }
        if state.hostEnding != nil { return .refused("the run is no longer live: baton resume \(state.run.runID) reopens it") }
        if state.recordingFailure != nil { return .refused("the run can no longer be recorded") }
        // A collapsed group's node stands for all its instances: a step key would have to pick
        // one the operator cannot see, so it asks for the group to be opened instead.
        if let group = state.selectedGroup, operatorAction.isStepAction, operatorAction != .approve, operatorAction != .reject {
            return .refused("'\(group)' stands for its \(state.instanceCount(of: group)) instances: \(state.keymap.keyName(for: .toggleGroup)) expands it, then select the one to act on")
        }
        return plan.verdict(on: operatorAction, step: subject(of: operatorAction, in: state), in: state.run)
    }

    /// The step a key acts on: the selected one, except that `a` and `x` decide the only gate
    /// that waits when the selected step is not one (a collapsed group's node is none).
    public static func subject(of action: OperatorAction, in state: AppState) -> Int {
        guard action == .approve || action == .reject, state.stepState(state.selected) != .waiting || state.selectedGroup != nil
        else { return state.selected }
        let waiting = state.run.steps.indices.filter { state.run.steps[$0].state == .waiting }
        return waiting.count == 1 ? waiting[0] : state.selected
    }

    /// Whether the console offers a key now: keys that do not act on the run always are.
    public static func isOffered(_ action: ConsoleAction, in state: AppState, plan: Plan) -> Bool {
        verdict(action, in: state, plan: plan)?.isAllowed ?? true
    }

    /// A refusal as the status line shows it: the reason, and the key that would work.
    public static func refusalText(_ verdict: ActionVerdict, in state: AppState) -> String {
        guard case .refused(let reason, let instead) = verdict else { return verdict.message }
        guard let instead, let binding = state.keymap.binding(for: consoleAction(for: instead)) else { return reason }
        return "\(reason) — \(binding.keys.first?.name ?? "?") \(phrase(instead))"
    }

    /// The keys that act on step `index` now, as "r retries · s skips", or nil if none does.
    public static func hint(forStepAt index: Int, in state: AppState, plan: Plan) -> String? {
        guard state.replay == nil, state.recordingFailure == nil, state.run.steps.indices.contains(index) else { return nil }
        let candidates: [OperatorAction] = [.approve, .reject, .retry, .skip, .rollback, .cancel, .hold, .release, .suspend, .resumeStep]
        let offered = candidates.filter { plan.verdict(on: $0, step: index, in: state.run).isAllowed }
        guard !offered.isEmpty else { return nil }
        return offered.compactMap { action in
            state.keymap.binding(for: consoleAction(for: action)).map { "\($0.keys.first?.name ?? "?") \(phrase(action))" }
        }.joined(separator: " · ")
    }

    /// What an action does, as words after its key: "retries", "rolls back".
    public static func phrase(_ action: OperatorAction) -> String {
        switch action {
        case .approve: return "approves"
        case .reject: return "rejects"
        case .retry: return "retries"
        case .skip: return "skips"
        case .cancel: return "cancels"
        case .hold: return "holds"
        case .release: return "releases"
        case .suspend: return "suspends"
        case .resumeStep: return "resumes"
        case .rollback: return "rolls back"
        case .pause: return "pauses"
        case .resumeRun: return "resumes the run"
        case .cancelRun: return "cancels the run"
        case .rollbackRun: return "rolls back the run"
        }
    }

    /// The footer's hints: every footer key that does not act on the run, and each one that
    /// does only while the rule book allows it, labelled for what it would do now.
    public static func footerHints(in state: AppState, plan: Plan) -> [FooterHint] {
        state.keymap.bindings.filter { $0.inFooter || $0.action == .reject }.compactMap { binding in
            guard isOffered(binding.action, in: state, plan: plan) else { return nil }
            var label = binding.label
            switch operatorAction(for: binding.action, in: state) {
            case .resumeRun?: label = "resume"
            case .release?: label = "release"
            case .resumeStep?: label = "resume"
            default: break
            }
            var hint = binding.footerHint
            hint.label = label
            return hint
        }
    }
}
