import BatonEngine
import BatonTerminal

/// The console's `update`: applies one message to the state and returns the effects to run.
///
/// It is pure: no terminal, no engine calls, no clock. The runtime feeds it keys, resizes,
/// engine updates, ticks and command results, and carries out the effects it returns.
public enum ConsoleUpdate {
    /// Applies `message` to `state` and returns what the runtime must do.
    public static func update(_ state: inout AppState, _ message: ConsoleMessage, context: ConsoleContext) -> [ConsoleEffect] {
        switch message {
        case .resize(let width, let height):
            state.width = max(0, width)
            state.height = max(0, height)
            revealSelection(&state, context: context)
            return []
        case .tick(let now):
            // A replay's clock is the recording's, moved by the journal, not the wall clock.
            // Nor does a run that can no longer be recorded: it stands where its last event left it.
            // Nor does a run whose host went away: nothing more is known of it.
            if state.replay == nil && state.recordingFailure == nil && state.hostEnding == nil { state.now = now }
            return []
        case .replayAdvance:
            return advanceReplay(&state, context: context)
        case .engine(.event(let event)):
            return apply(event, to: &state, context: context)
        case .snapshot(let snapshot):
            let steps = state.workflow.steps.count
            adopt(snapshot, in: &state, context: context)
            return state.workflow.steps.count > steps ? [.workflowGrew] : []
        case .clientEnded(let ending):
            return end(ending, in: &state)
        case .engine(.output(let chunk)):
            let (countBefore, droppedBefore) = state.logs[chunk.stepID].map { ($0.lines.count, $0.dropped) } ?? (0, 0)
            state.logs[chunk.stepID, default: StepLog()].append(chunk)
            if chunk.stepID == state.selectedStep?.id, !state.panes.log.query.isEmpty, let log = state.logs[chunk.stepID] {
                if log.dropped != droppedBefore {
                    // Lines left the front: every match moved.
                    recomputeMatches(&state)
                } else {
                    // Match the lines as they are shown, escaped, not as the step printed them.
                    for index in countBefore..<log.lines.count where LogSearch.matches(log.lines[index].text, query: state.panes.log.query) {
                        state.panes.log.matches.append(index)
                    }
                }
            }
            return []
        case .engine(.recordingFailed(let problem)):
            state.recordingFailure = problem
            state.status = StatusLine(
                "NOT RECORDED: \(VisibleText.escape(problem)) — nothing new starts; fix it, quit, and baton resume the run",
                isError: true, time: state.now)
            return [.bell]
        case .engine(.notificationFailed(let problem)):
            // The run is unchanged: said on the status line, without the bell of a failure.
            state.status = StatusLine(VisibleText.escape(problem), isError: true, time: state.now)
            return []
        case .commandResult(let command, let result):
            var status = StatusLine(result.message, isError: !result.isAccepted, time: state.now)
            (status.watches, status.runStatuses) = expectations(of: command, accepted: result.isAccepted, in: state, plan: context.plan)
            state.status = status.stillHolds(in: state.run) ? status : nil
            return []
        case .logFileSearched(let search, let result):
            return receive(search, found: result, in: &state, context: context)
        case .logExcerptRead(let request, let excerpt):
            return receive(request, read: excerpt, in: &state, context: context)
        case .key(let key):
            return handle(key, in: &state, context: context)
        case .paste(let text):
            return handlePaste(text, in: &state, context: context)
        case .mouse(let event):
            return handle(event, in: &state, context: context)
        }
    }

    // MARK: - Engine events

    /// Why a step in `state` needs an operator's eye, or nil when it does not.
    static func attentionNote(step id: String, state: StepState) -> String? {
        switch state {
        case .waiting: return "'\(id)' waits for approval"
        case .failed: return "'\(id)' failed"
        case .interrupted: return "'\(id)' was interrupted — r runs it again"
        case .cancelled: return "'\(id)' was cancelled"
        case .rollbackFailed: return "'\(id)' could not be rolled back"
        default: return nil
        }
    }

    static func apply(_ event: RunEvent, to state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        do {
            try state.run.apply(event)
        } catch {
            state.status = StatusLine("journal event out of order: \(error.description)", isError: true, time: state.now)
            return []
        }
        var effects: [ConsoleEffect] = []
        if adoptExpansions(&state) { effects.append(.workflowGrew) }
        state.timeline.apply(event)
        switch event.kind {
        case .step:
            guard let id = event.step, let target = event.state else { break }
            if state.followsActivity, [.running, .failed, .waiting].contains(target), let index = state.workflow.position(of: id) {
                select(index, in: &state, context: context)
            }
            if let note = attentionNote(step: id, state: target) {
                state.attention.removeAll { $0.step == id }
                state.attention.append(Attention(step: id, text: note))
                if state.bellEnabled { effects.append(.bell) }
            } else {
                state.attention.removeAll { $0.step == id }
            }
        case .runFinished:
            let status = state.run.status
            let elapsed = (state.run.finishedAt ?? state.now) - (state.run.startedAt ?? state.now)
            let undo = state.run.steps.contains { $0.state == .succeeded } ? "u rolls a step back, U the whole run; " : ""
            let retry = state.run.steps.contains { [.failed, .cancelled, .blocked, .interrupted].contains($0.state) } ? "r retries a failed step; " : ""
            state.status = StatusLine(
                "run \(status.words) in \(Format.duration(elapsed)): \(summary(of: state.run)) — \(undo)\(retry)q quits",
                isError: ![RunStatus.succeeded, .rolledBack].contains(status), time: state.now, runStatuses: [status])
            if state.quitting { effects.append(.quit(cancelRun: false)) }
        case .runReopened:
            // A finished run's steps are acted on again: nothing needs the old attention marks.
            if event.outcome != nil { state.attention.removeAll { state.run[$0.step]?.state.isSettled == false } }
        default:
            break
        }
        if var status = state.status {
            state.status = status.stillHolds(in: state.run) ? status : nil
        }
        refreshDialog(&state, context: context)
        return effects
    }

    /// Adds to the workflow the instances the run's dynamic fan-outs made, so that it holds
    /// every step the run has (it may hold more: a replay shows the instances a recording
    /// makes from its start). True when it grew.
    static func adoptExpansions(_ state: inout AppState) -> Bool {
        guard state.run.expansions.count > state.workflow.expansions.count else { return false }
        let before = state.workflow.steps.count
        state.workflow = state.workflow.expanded(by: state.run.expansions)
        guard state.workflow.steps.count > before else { return false }
        rematchNarrowing(&state)
        return true
    }

    /// What must stay true for a command's result to stay on the status line.
    static func expectations(of command: OperatorCommand, accepted: Bool, in state: AppState, plan: Plan) -> ([StatusWatch], Set<RunStatus>?) {
        let current = { (step: String) -> StepState in state.run[step]?.state ?? .pending }
        guard command.action.isStepAction, let step = command.step else {
            // A refusal holds while the run stands as it was; a rollback or cancel of the run
            // while the run stops (or until the events that start it arrive).
            switch command.action {
            case .rollbackRun where accepted, .cancelRun where accepted: return ([], [.running, .stopping, state.run.status])
            case .pause where accepted, .resumeRun where accepted: return ([], nil)
            default: return ([], [state.run.status])
            }
        }
        // A refusal holds while what it refused stands as it was.
        guard accepted else { return ([StatusWatch(step: step, before: [current(step)], during: [])], [state.run.status]) }
        let flight: Set<StepState> = [.pending, .held, .waiting, .running, .suspended, .retrying]
        switch command.action {
        case .retry:
            return ([StatusWatch(step: step, before: [.failed, .cancelled, .blocked, .interrupted, .rolledBack], during: flight, done: [.succeeded, .skipped])], nil)
        case .skip:
            return ([StatusWatch(step: step, before: [current(step)], during: [.skipped])], nil)
        case .cancel:
            let stopping = current(step).hasProcess
            return ([StatusWatch(step: step, before: [current(step)], during: stopping ? [] : [.cancelled], done: stopping ? [.cancelled] : [])], nil)
        case .rollback:
            var ids = [step]
            if let index = state.workflow.position(of: step) {
                ids += plan.descendants(of: index).compactMap { dependent in
                    state.run.steps[dependent].state == .succeeded || state.run.steps[dependent].state == .rollingBack ? state.workflow.steps[dependent].id : nil
                }
            }
            return (ids.map { StatusWatch(step: $0, before: [.succeeded, .rollbackFailed], during: [.rollingBack], done: [.rolledBack]) }, nil)
        case .approve:
            return ([StatusWatch(step: step, before: [.waiting], during: [.pending, .succeeded])], nil)
        case .reject:
            return ([StatusWatch(step: step, before: [.waiting], during: [.failed])], nil)
        case .hold:
            return ([StatusWatch(step: step, before: [current(step)], during: [.held])], nil)
        case .release:
            return ([StatusWatch(step: step, before: [current(step)], during: [.pending])], nil)
        case .suspend:
            return ([StatusWatch(step: step, before: [current(step)], during: [.suspended])], nil)
        case .resumeStep:
            return ([StatusWatch(step: step, before: [current(step)], during: [.running])], nil)
        case .pause, .resumeRun, .cancelRun, .rollbackRun:
            return ([], nil)
        }
    }

    /// The counts of a run's steps by state, as "8 succeeded · 1 skipped".
    static func summary(of run: RunState) -> String {
        let counts = run.countsByState
        return StepState.allCases.compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }.joined(separator: " · ")
    }

    // MARK: - Keys

    static func handle(_ key: Key, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        if state.dialog != nil { return handleDialog(key, in: &state, context: context) }
        if state.panes.log.typing != nil { return handleSearchInput(key, in: &state, context: context) }
        if state.finder != nil { return handleFinderInput(key, in: &state, context: context) }
        guard let action = state.keymap.action(for: key) else {
            if case .escape = key {
                state.status = nil
                return []
            }
            state.status = StatusLine("\(key.name) does nothing here; press \(state.keymap.keyName(for: .help)) for the keys", isError: false, time: state.now)
            return []
        }
        return perform(action, in: &state, context: context)
    }

    static func perform(_ action: ConsoleAction, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        if let replay = state.replay, action.isOperatorAction {
            let label = state.keymap.binding(for: action)?.label ?? action.rawValue
            state.status = StatusLine(
                "this is a replay\(replay.runID.isEmpty ? "" : " of run \(replay.runID)"), read-only: '\(label)' changes nothing here (event \(replay.position) of \(replay.events.count)\(replay.position == 0 ? ": no event applied yet" : ""))",
                isError: true, time: state.now)
            return []
        }
        // What the rule book refuses is not offered: say why, and which key would work.
        if action.isOperatorAction, action != .approve, action != .reject,
           let verdict = ActionOffers.verdict(action, in: state, plan: context.plan), !verdict.isAllowed {
            state.status = StatusLine(ActionOffers.refusalText(verdict, in: state), isError: true, time: state.now,
                                      watches: stepWatch(for: action, in: state), runStatuses: [state.run.status])
            return []
        }
        if action.isReplayAction {
            guard state.replay != nil else {
                state.status = StatusLine("playback keys work in a replay: baton replay RUN", isError: false, time: state.now)
                return []
            }
            return performReplay(action, in: &state, context: context)
        }
        switch action {
        case .playPause, .stepForward, .stepBack, .replayStart, .replayEnd, .faster, .slower:
            return []
        case .timeline:
            state.toggle(.timeline)
            revealSelection(&state, context: context)
            state.status = StatusLine(
                state.showsTimeline ? "timeline: one bar per attempt; ◆ marks the critical path, the chain that decided the run's length — \(state.keymap.keyName(for: .timeline)) shows the graph"
                    : "graph — \(state.keymap.keyName(for: .timeline)) shows the timeline", isError: false, time: state.now)
            return []
        case .audit:
            state.toggle(.audit)
            state.panes.audit.follows = true
            let refused = state.run.audit.filter { $0.outcome == .refused }.count
            state.status = StatusLine(
                state.showsAudit ? "audit trail: every command, who gave it and whether it took effect (\(refused) refused) — \(state.keymap.keyName(for: .audit)) shows the log"
                    : "log of the selected step — \(state.keymap.keyName(for: .audit)) shows the audit trail", isError: false, time: state.now)
            return []
        case .notes:
            state.toggle(.notes)
            (state.panes.details, state.panes.notes) = (ListScroll(), ListScroll())
            state.status = StatusLine(state.showsNotes ? "teaching notes for the selected step — \(state.keymap.keyName(for: .notes)) shows the details" : "details — \(state.keymap.keyName(for: .notes)) shows the teaching notes", isError: false, time: state.now)
            return []
        case .quit:
            // A run that can no longer be recorded ends by itself, perhaps with no event to say
            // so; an attached console only detaches.
            if state.replay != nil || state.recordingFailure != nil || state.seat.isAttached { return [.quit(cancelRun: false)] }
            if state.runIsActive {
                state.dialog = quitDialog(state)
                return []
            }
            return [.quit(cancelRun: false)]
        case .help:
            state.dialog = Dialog(kind: .help, title: "Keys", lines: HelpText.lines(for: state, plan: context.plan))
            return []
        case .nextPane, .previousPane:
            let panes = Pane.allCases
            let index = panes.firstIndex(of: state.focus) ?? 0
            let step = action == .nextPane ? 1 : panes.count - 1
            state.focus = panes[(index + step) % panes.count]
            return []
        case .up, .down, .left, .right, .pageUp, .pageDown, .top, .bottom:
            navigate(action, in: &state, context: context)
            return []
        case .details:
            // On a collapsed group's node or header, Enter opens the group, as in a tree list.
            if state.selectedGroup != nil, state.focus == .graph || state.focus == .steps {
                toggleSelectedGroup(in: &state, context: context)
                return []
            }
            state.focus = .details
            (state.panes.details, state.panes.notes) = (ListScroll(), ListScroll())
            return []
        case .pager:
            guard let step = state.selectedStep else { return [] }
            return [.page(stepID: step.id)]
        case .zoom:
            state.zoomed.toggle()
            state.status = StatusLine(
                state.zoomed ? "zoomed: \(state.focus.title) fills the screen · Tab zooms the next pane · Z goes back" : "zoom off",
                isError: false, time: state.now)
            revealSelection(&state, context: context)
            return []
        case .followActivity:
            state.followsActivity.toggle()
            state.status = StatusLine(
                state.followsActivity ? "auto: the selection follows each step that starts, fails or waits" : "auto off: the selection stays where you put it",
                isError: false, time: state.now)
            return []
        case .attention:
            state.followsActivity = false
            guard let latest = state.attention.last, let index = state.workflow.position(of: latest.step) else {
                state.status = StatusLine("nothing needs attention", isError: false, time: state.now)
                return []
            }
            select(index, in: &state, context: context)
            expandGroup(of: index, in: &state, context: context)
            state.status = StatusLine(latest.text, isError: false, time: state.now)
            return []
        case .pauseRun:
            state.dialog = confirmDialog(state.run.isPaused ? .resumeRun : .pauseRun, in: &state, context: context)
            return []
        case .approve, .reject:
            return openDecision(approve: action == .approve, in: &state, context: context)
        case .retry:
            guard let step = state.selectedStep else { return [] }
            state.dialog = confirmDialog(.retry(step: step.id), in: &state, context: context)
            return []
        case .skip:
            guard let step = state.selectedStep else { return [] }
            state.dialog = confirmDialog(.skip(step: step.id), in: &state, context: context)
            return []
        case .holdRelease:
            guard let step = state.selectedStep else { return [] }
            let command: OperatorCommand = state.selectedRecord?.state == .held ? .release(step: step.id) : .hold(step: step.id)
            state.dialog = confirmDialog(command, in: &state, context: context)
            return []
        case .suspendResume:
            guard let step = state.selectedStep else { return [] }
            let command: OperatorCommand = state.selectedRecord?.state == .suspended ? .resumeStep(step: step.id) : .suspend(step: step.id)
            state.dialog = confirmDialog(command, in: &state, context: context)
            return []
        case .rollback:
            guard let step = state.selectedStep else { return [] }
            let dialog = confirmDialog(.rollback(step: step.id), in: &state, context: context)
            state.dialog = dialog
            return []
        case .rollbackRun:
            let dialog = confirmDialog(.rollbackRun, in: &state, context: context)
            state.dialog = dialog
            return []
        case .cancel:
            guard let step = state.selectedStep else { return [] }
            let dialog = confirmDialog(.cancel(step: step.id), in: &state, context: context)
            state.dialog = dialog
            return []
        case .cancelRun:
            let dialog = confirmDialog(.cancelRun, in: &state, context: context)
            state.dialog = dialog
            return []
        case .follow:
            if state.shownExcerpt != nil {
                // Following means the newest lines, which an excerpt of the file is not.
                leaveExcerpt(&state)
                state.panes.log.scroll.follows = false
            }
            state.panes.log.scroll.follows.toggle()
            if !state.panes.log.scroll.follows { state.panes.log.scroll.top = max(0, context.logLineCount(state) - context.logRows(state)) }
            state.status = StatusLine("log follow \(state.panes.log.scroll.follows ? "on" : "off")", isError: false, time: state.now)
            return []
        case .wrap:
            // The log pane's slot shows the audit or the log: `w` wraps what it shows.
            if state.showsAudit {
                state.panes.auditWraps.toggle()
                state.status = StatusLine("audit wrap \(state.panes.auditWraps ? "on" : "off")", isError: false, time: state.now)
            } else {
                state.panes.log.wrap.toggle()
                state.status = StatusLine("log wrap \(state.panes.log.wrap ? "on" : "off")", isError: false, time: state.now)
            }
            return []
        case .search:
            state.panes.log.typing = LineEditor(limit: 200)
            return []
        case .nextMatch, .previousMatch:
            return jumpToMatch(forward: action == .nextMatch, in: &state, context: context)
        case .compactGraph:
            // `m` switches between the compact lanes and the layered graph: the whole graph
            // when it fits, else the selection's neighbourhood.
            state.graphMode = state.graphMode == .compact ? .automatic : .compact
            let text: String
            if state.graphMode == .compact {
                text = "graph: compact lanes"
            } else if context.neighbourhood(state) != nil {
                text = "graph: layered, the selection's neighbourhood (the whole graph is wider than the pane)"
            } else {
                text = isCompact(state, context: context) ? "graph: compact lanes (the pane is too narrow for a layer)" : "graph: layered"
            }
            state.status = StatusLine(text, isError: false, time: state.now)
            revealSelection(&state, context: context)
            return []
        case .toggleGroup:
            toggleSelectedGroup(in: &state, context: context)
            return []
        case .toggleAllGroups:
            toggleAllGroups(in: &state, context: context)
            return []
        case .sort:
            state.tableSort = state.tableSort.next
            state.status = StatusLine("steps sorted by \(state.tableSort.rawValue)", isError: false, time: state.now)
            return []
        case .filter:
            cycleFilter(in: &state, context: context)
            return []
        case .onlyFailed, .onlyWaiting, .onlyRunning, .allSteps:
            quickFilter(action, in: &state, context: context)
            return []
        case .find:
            openFinder(in: &state, context: context)
            return []
        }
    }

    private static func openDecision(approve: Bool, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        var index = state.selected
        // A collapsed group's node is not a gate: the only gate that waits is decided, if one is.
        if state.stepState(index) != .waiting || state.selectedGroup != nil {
            let waiting = state.run.steps.indices.filter { state.run.steps[$0].state == .waiting }
            if waiting.isEmpty {
                // Nothing to decide: say why, as the engine would refuse it.
                let verdict = ActionOffers.verdict(approve ? .approve : .reject, in: state, plan: context.plan)
                state.status = StatusLine(verdict.map { ActionOffers.refusalText($0, in: state) } ?? "no gate waits for a decision",
                                          isError: true, time: state.now, runStatuses: [state.run.status])
                return []
            }
            guard waiting.count == 1 else {
                state.status = StatusLine("select one of the waiting gates first (\(waiting.count) are waiting)", isError: true, time: state.now)
                return []
            }
            index = waiting[0]
            select(index, in: &state, context: context)
            expandGroup(of: index, in: &state, context: context)
        }
        let step = state.workflow.steps[index]
        var lines: [String] = []
        if let prompt = step.approval?.prompt { lines.append(prompt) }
        let approvers = step.approval?.approvers ?? []
        let escalated = state.run.steps[index].escalatedTo ?? []
        lines.append(approvers.isEmpty ? "Any operator may decide." : "Approvers: \((approvers + escalated).joined(separator: ", "))")
        lines.append("You are \(state.user).")
        if approve, !(step.approval?.selfApproval ?? state.workflow.selfApproval), state.user == state.run.user {
            lines.append("self_approval is false and you started this run: Baton will refuse your approval.")
        }
        if case .allowed(let what) = context.plan.verdict(on: approve ? .approve : .reject, step: index, in: state.run) {
            lines.append("Then: \(what).")
        }
        lines.append("")
        let inputs = approve ? step.approval?.inputs ?? [] : []
        if !inputs.isEmpty {
            lines.append("Give the values below (* is required); they become the gate's outputs.")
        }
        lines.append(approve ? (inputs.isEmpty ? "Enter approves · Esc cancels" : "Enter approves · Tab next field · Esc cancels") : "Enter rejects · Esc cancels")
        var dialog = Dialog(kind: .decision(step: step.id, approve: approve), title: "\(approve ? "Approve" : "Reject") '\(step.id)'", lines: lines)
        dialog.fields = inputs.map(DialogField.init)
        dialog.deadline = state.gateDeadline(index)
        dialog.onTimeout = step.approval.map { $0.onTimeout == .escalate && state.run.steps[index].escalatedTo == nil && !$0.escalateTo.isEmpty ? "it escalates" : "it is rejected" }
        state.dialog = dialog
        return []
    }

    private static func handleDialog(_ key: Key, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        guard var dialog = state.dialog else { return [] }
        switch key {
        case .escape:
            state.dialog = nil
            return []
        case .control("c"):
            state.dialog = nil
            return []
        default:
            break
        }
        switch dialog.kind {
        case .help:
            switch key {
            case .down, .character("j"): dialog.scroll += 1
            case .up, .character("k"): dialog.scroll = max(0, dialog.scroll - 1)
            case .pageDown: dialog.scroll += DialogView.visibleHelpRows(rows: DialogView.helpRowCount(dialog, screenWidth: state.width), screenHeight: state.height)
            case .pageUp: dialog.scroll = max(0, dialog.scroll - DialogView.visibleHelpRows(rows: DialogView.helpRowCount(dialog, screenWidth: state.width), screenHeight: state.height))
            default:
                state.dialog = nil
                return []
            }
            dialog.scroll = min(dialog.scroll, DialogView.helpScrollLimit(rows: DialogView.helpRowCount(dialog, screenWidth: state.width), screenHeight: state.height))
            state.dialog = dialog
            return []
        case .decision(let step, let approve):
            switch key {
            case .enter:
                // A value that does not fit keeps the dialog open on its field, saying why.
                if let wrong = dialog.fields.firstIndex(where: { $0.problem != nil }) {
                    dialog.problem = dialog.fields[wrong].problem
                    dialog.focus = wrong
                    break
                }
                state.dialog = nil
                let comment = dialog.comment.isEmpty ? nil : dialog.comment.text
                var values: [String: String] = [:]
                for field in dialog.fields where !field.value.isEmpty { values[field.input.name] = field.value }
                return [.command(approve ? .approve(step: step, comment: comment, values: values.isEmpty ? nil : values) : .reject(step: step, comment: comment))]
            case .tab, .down:
                dialog.focus = (dialog.focus + 1) % (dialog.fields.count + 1)
            case .backTab, .up:
                dialog.focus = (dialog.focus + dialog.fields.count) % (dialog.fields.count + 1)
            default:
                // Every other key belongs to the focused field, so none of them acts on the
                // console behind the dialog; a key no field takes does nothing.
                let changed: Bool
                if dialog.isCommentFocused {
                    let before = dialog.comment.text
                    dialog.comment.apply(key)
                    changed = dialog.comment.text != before
                } else {
                    let before = dialog.fields[dialog.focus].value
                    dialog.fields[dialog.focus].editor.apply(key)
                    changed = dialog.fields[dialog.focus].value != before
                }
                if changed { dialog.problem = nil }
            }
            state.dialog = dialog
            return []
        case .confirm(var command):
            // Enter acts, with what was typed as the comment the audit trail keeps; every
            // other key belongs to the comment.
            if key == .enter {
                state.dialog = nil
                command.comment = dialog.comment.isEmpty ? nil : dialog.comment.text
                return [.command(command)]
            }
            dialog.comment.apply(key)
            state.dialog = dialog
            return []
        case .quit:
            if key == .enter || key == .character("y") || key == .character("q") {
                state.dialog = nil
                state.quitting = true
                state.status = StatusLine("stopping the run before quitting…", isError: false, time: state.now)
                return [.quit(cancelRun: true)]
            }
            if key == .character("n") { state.dialog = nil }
            return []
        }
    }

    // MARK: - Navigation

    static func navigate(_ action: ConsoleAction, in state: inout AppState, context: ConsoleContext) {
        // Moving the selection by hand ends following the action.
        if state.followsActivity && (state.focus == .graph || state.focus == .steps) {
            state.followsActivity = false
            state.status = StatusLine("auto off (L follows the action again)", isError: false, time: state.now)
        }
        // The pane that has the focus moves, for the keys it declares.
        let pane = state.content(of: state.focus).pane
        guard pane.keys.contains(action) else { return }
        pane.navigate(action, in: &state, context: context)
    }

    /// Selects a step, resets the per-step views and scrolls every pane to it.
    static func select(_ index: Int, in state: inout AppState, context: ConsoleContext) {
        guard state.workflow.steps.indices.contains(index) else { return }
        if index != state.selected {
            state.selected = index
            (state.panes.details, state.panes.notes) = (ListScroll(), ListScroll())
            state.panes.log.scroll.follows = true
            state.panes.log.scroll.column = 0
            forgetFileSearch(&state)
            recomputeMatches(&state)
        }
        revealSelection(&state, context: context)
    }

    package static func isCompact(_ state: AppState, context: ConsoleContext) -> Bool {
        switch state.graphMode {
        case .compact: return true
        case .automatic: return !fitsLayered(state, context: context) && context.neighbourhood(state) == nil
        }
    }

    /// Whether the layered graph fits the graph pane's width.
    static func fitsLayered(_ state: AppState, context: ConsoleContext) -> Bool {
        !context.graphNeedsCompact(width: ConsoleLayout(state).inner(.graph).width, state: state)
    }

    /// Scrolls the graph and the table so the selected step is visible.
    static func revealSelection(_ state: inout AppState, context: ConsoleContext) {
        let layout = ConsoleLayout(state)
        state.panes.graph = context.graphScroll(revealing: state.selected, in: layout.graph, current: state.panes.graph, compact: isCompact(state, context: context), state: state)
        let grouping = context.grouping(state)
        let group = state.selectedGroup
        let rows = StepTable.rows(for: state, grouping: grouping)
        if let position = StepGrouping.position(ofSelected: state.selected, collapsedGroup: group, in: rows) {
            state.panes.steps.top = StepGrouping.top(revealing: position, in: rows, from: state.panes.steps.top, visible: layout.listRows(.steps))
        }
        // The timeline's rows: the pane less its borders and the time axis.
        if let position = StepGrouping.position(ofSelected: state.selected, collapsedGroup: group, in: grouping.rows) {
            state.panes.timeline.top = StepGrouping.top(revealing: position, in: grouping.rows, from: state.panes.timeline.top, visible: layout.listRows(.graph))
        }
    }
}

extension ConsoleUpdate {
    /// A refusal about the selected step holds while the step stays as it is.
    static func stepWatch(for action: ConsoleAction, in state: AppState) -> [StatusWatch] {
        guard ActionOffers.operatorAction(for: action, in: state)?.isStepAction == true, let record = state.selectedRecord else { return [] }
        return [StatusWatch(step: record.id, before: [record.state], during: [])]
    }

    /// The dialog that confirms `command`, saying what will really happen, with a field for an
    /// optional comment; nil, with the refusal on the status line, when the rule book refuses it.
    static func confirmDialog(_ command: OperatorCommand, in state: inout AppState, context: ConsoleContext) -> Dialog? {
        let action = command.action
        guard [.rollback, .cancel, .rollbackRun, .cancelRun, .retry, .skip, .pause, .resumeRun, .hold, .release, .suspend, .resumeStep]
            .contains(action) else { return nil }
        let index = command.step.flatMap { state.workflow.position(of: $0) } ?? state.selected
        let verdict = context.plan.verdict(on: action, step: index, in: state.run)
        guard case .allowed(let what) = verdict else {
            state.status = StatusLine(ActionOffers.refusalText(verdict, in: state), isError: true, time: state.now, runStatuses: [state.run.status])
            return nil
        }
        var lines: [String] = []
        let title: String
        let id = command.step ?? ""
        switch action {
        case .rollback:
            title = "Roll back '\(id)'?"
            let order = context.plan.rollbackOrder(of: index, in: state.run)
            if order.count > 1 {
                lines.append("These steps are rolled back first, dependents before what they need:")
                lines += order.dropLast().map { "  ↶ \(state.workflow.steps[$0].id)" + undoNote(state.workflow.steps[$0]) }
                lines.append("then '\(id)' itself:")
            } else {
                lines.append("'\(id)' runs its rollback:")
            }
            lines.append("  " + (state.workflow.steps[index].rollback ?? "(no rollback command: nothing to undo)"))
            if state.run.isFinished { lines.append("The run has \(state.run.status.words); this reopens it, on the record.") }
            lines += ["", "Enter rolls back · Esc keeps everything"]
        case .rollbackRun:
            title = "Roll back the whole run?"
            lines.append(sentence(what))
            let succeeded = state.run.steps.indices.filter { state.run.steps[$0].state == .succeeded }
            let undone = succeeded.filter { state.workflow.steps[$0].rollback != nil || state.workflow.steps[$0].simulate != nil }
            if !succeeded.isEmpty {
                let names = undone.map { state.workflow.steps[$0].id }
                lines.append(undone.isEmpty
                    ? "None of them has a rollback command: they are only marked rolled back."
                    : "\(undone.count) of them run\(undone.count == 1 ? "s" : "") a rollback command: \(names.joined(separator: ", ")); the others have nothing to undo.")
            }
            lines += ["", "Enter rolls back · Esc keeps everything"]
        case .cancel:
            title = "Cancel '\(id)'?"
            lines.append(sentence(what))
            let blocked = context.plan.descendants(of: index).count
            if blocked > 0 { lines.append("\(blocked) step\(blocked == 1 ? "" : "s") after it will be blocked.") }
            lines += ["", "Enter cancels · Esc keeps it"]
        default:
            let wording = confirmWording(action, step: id)
            title = wording.title
            lines += [sentence(what), "", "Enter \(wording.enter) · Esc \(wording.esc)"]
        }
        return Dialog(kind: .confirm(command), title: title, lines: lines)
    }

    /// The title of a dialog that says only what `action` does, and what Enter and Esc do there.
    private static func confirmWording(_ action: OperatorAction, step id: String) -> (title: String, enter: String, esc: String) {
        switch action {
        case .retry: return ("Retry '\(id)'?", "retries", "leaves it")
        case .skip: return ("Skip '\(id)'?", "skips", "leaves it")
        case .hold: return ("Hold '\(id)'?", "holds", "leaves it")
        case .release: return ("Release '\(id)'?", "releases", "keeps it held")
        case .suspend: return ("Suspend '\(id)'?", "suspends", "leaves it running")
        case .resumeStep: return ("Resume '\(id)'?", "resumes", "keeps it suspended")
        case .pause: return ("Pause the run?", "pauses", "leaves it going")
        case .resumeRun: return ("Resume the run?", "resumes", "keeps it paused")
        default: return ("Cancel the whole run?", "cancels the run", "keeps it going")
        }
    }

    /// The quit dialog for a run with work in flight, saying what quitting stops.
    static func quitDialog(_ state: AppState) -> Dialog {
        let running = state.run.steps.filter { $0.state.hasProcess || $0.state == .retrying }.map(\.id)
        return Dialog(kind: .quit, title: "Quit while the run is active?", lines: [
            "The run '\(state.run.runID)' has not finished.",
            running.isEmpty ? "Quitting records the interruption in the journal."
                : "Quitting stops \(running.count) running step\(running.count == 1 ? "" : "s") (SIGTERM, then SIGKILL): \(running.prefix(3).joined(separator: ", "))\(running.count > 3 ? ", …" : "")",
            "and records the interruption. baton resume \(state.run.runID)",
            "takes it up later (steps that succeeded are not run again).",
            "",
            "Enter quits · Esc stays",
        ])
    }

    /// Keeps an open dialog true to the run: one whose subject changed closes, with a word on
    /// the status line; one that still applies is redrawn with what would happen now.
    static func refreshDialog(_ state: inout AppState, context: ConsoleContext) {
        guard let dialog = state.dialog else { return }
        switch dialog.kind {
        case .decision(let step, _):
            guard let record = state.run[step], record.state != .waiting else {
                if let index = state.workflow.position(of: step) {
                let deadline = state.gateDeadline(index)
                state.dialog?.deadline = deadline
            }
                return
            }
            state.dialog = nil
            state.status = StatusLine(
                "the gate '\(step)' no longer waits: \(record.reason ?? record.state.rawValue) — the dialog was closed, nothing was sent",
                isError: true, time: state.now, watches: [StatusWatch(step: step, before: [record.state], during: [])])
        case .confirm(let command):
            var probe = state
            if let refreshed = confirmDialog(command, in: &probe, context: context) {
                state.dialog?.lines = refreshed.lines
            } else {
                state.dialog = nil
                state.status = StatusLine("\(command.summary) is no longer possible: \(probe.status?.text ?? "the run moved on") — the dialog was closed",
                                          isError: true, time: state.now, runStatuses: [state.run.status])
            }
        case .quit:
            if state.runIsActive {
                let lines = quitDialog(state).lines
                state.dialog?.lines = lines
            } else {
                state.dialog = nil
                state.status = StatusLine("nothing runs any more: q quits without stopping anything", isError: false, time: state.now,
                                          runStatuses: [state.run.status])
            }
        case .help:
            break
        }
    }

    /// "a step …" as a sentence: capitalised, with a full stop.
    private static func sentence(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst() + (text.hasSuffix(".") ? "" : ".")
    }

    private static func undoNote(_ step: Step) -> String {
        step.rollback == nil && step.simulate == nil ? " (nothing to undo)" : ""
    }
}
