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
            if state.replay == nil && state.recordingFailure == nil { state.now = now }
            return []
        case .replayAdvance:
            return advanceReplay(&state, context: context)
        case .engine(.event(let event)):
            return apply(event, to: &state)
        case .engine(.output(let chunk)):
            let (countBefore, droppedBefore) = state.logs[chunk.stepID].map { ($0.lines.count, $0.dropped) } ?? (0, 0)
            state.logs[chunk.stepID, default: StepLog()].append(chunk)
            if chunk.stepID == state.selectedStep?.id, !state.logView.query.isEmpty, let log = state.logs[chunk.stepID] {
                if log.dropped != droppedBefore {
                    // Lines left the front: every match moved.
                    recomputeMatches(&state)
                } else {
                    // Match the lines as they are shown, escaped, not as the step printed them.
                    for index in countBefore..<log.lines.count where LogSearch.matches(log.lines[index].text, query: state.logView.query) {
                        state.logView.matches.append(index)
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
        case .commandResult(_, let result):
            state.status = StatusLine(result.message, isError: !result.isAccepted, time: state.now)
            return []
        case .key(let key):
            return handle(key, in: &state, context: context)
        }
    }

    // MARK: - Engine events

    static func apply(_ event: RunEvent, to state: inout AppState) -> [ConsoleEffect] {
        do {
            try state.run.apply(event)
        } catch {
            state.status = StatusLine("journal event out of order: \(error.description)", isError: true, time: state.now)
            return []
        }
        state.timeline.apply(event)
        var effects: [ConsoleEffect] = []
        switch event.kind {
        case .step:
            guard let id = event.step, let target = event.state else { break }
            if target == .waiting || target == .failed || target == .rollbackFailed || target == .interrupted {
                let note: String
                switch target {
                case .waiting: note = "'\(id)' waits for approval"
                case .failed: note = "'\(id)' failed"
                case .interrupted: note = "'\(id)' was interrupted — r runs it again"
                default: note = "'\(id)' could not be rolled back"
                }
                state.attention.removeAll { $0.step == id }
                state.attention.append(Attention(step: id, text: note))
                if state.bellEnabled { effects.append(.bell) }
            } else {
                state.attention.removeAll { $0.step == id }
            }
            if state.isComplete && !state.run.isFinished {
                let elapsed = (state.run.steps.compactMap(\.finishedAt).max() ?? state.now) - (state.run.startedAt ?? state.now)
                state.status = StatusLine(
                    "every step is done in \(Format.duration(elapsed)): \(summary(of: state.run)) — u rolls a step back, q finishes the run",
                    isError: false, time: state.now)
            }
        case .runFinished:
            let outcome = event.outcome?.rawValue ?? "finished"
            let elapsed = (state.run.finishedAt ?? state.now) - (state.run.startedAt ?? state.now)
            state.status = StatusLine(
                "run \(outcome) in \(Format.duration(elapsed)): \(summary(of: state.run)) — the console stays open; q quits",
                isError: event.outcome != .succeeded, time: state.now)
            if state.quitting { effects.append(.quit(cancelRun: false)) }
        default:
            break
        }
        return effects
    }

    /// The counts of a run's steps by state, as "8 succeeded · 1 skipped".
    static func summary(of run: RunState) -> String {
        let counts = run.countsByState
        return StepState.allCases.compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }.joined(separator: " · ")
    }

    // MARK: - Keys

    private static func handle(_ key: Key, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        if state.dialog != nil { return handleDialog(key, in: &state, context: context) }
        if state.logView.typing != nil { return handleSearchInput(key, in: &state) }
        guard let action = Keymap.action(for: key) else {
            if case .escape = key {
                state.status = nil
                return []
            }
            state.status = StatusLine("\(key.name) does nothing here; press ? for the keys", isError: false, time: state.now)
            return []
        }
        return perform(action, in: &state, context: context)
    }

    static func perform(_ action: ConsoleAction, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        if let replay = state.replay, action.isOperatorAction {
            let label = Keymap.binding(for: action)?.label ?? action.rawValue
            state.status = StatusLine(
                "this is a replay\(replay.runID.isEmpty ? "" : " of run \(replay.runID)"), read-only: '\(label)' changes nothing here (event \(replay.position) of \(replay.events.count)\(replay.position == 0 ? ": no event applied yet" : ""))",
                isError: true, time: state.now)
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
            state.showsTimeline.toggle()
            revealSelection(&state, context: context)
            state.status = StatusLine(
                state.showsTimeline ? "timeline: one bar per attempt; ◆ marks the critical path, the chain that decided the run's length — t shows the graph"
                    : "graph — t shows the timeline", isError: false, time: state.now)
            return []
        case .audit:
            state.showsAudit.toggle()
            state.auditTop = nil
            let refused = state.run.audit.filter { $0.outcome == .refused }.count
            state.status = StatusLine(
                state.showsAudit ? "audit trail: every command, who gave it and whether it took effect (\(refused) refused) — A shows the log"
                    : "log of the selected step — A shows the audit trail", isError: false, time: state.now)
            return []
        case .notes:
            state.showsNotes.toggle()
            state.detailsScroll = 0
            state.status = StatusLine(state.showsNotes ? "teaching notes for the selected step — i shows the details" : "details — i shows the teaching notes", isError: false, time: state.now)
            return []
        case .quit:
            // A run that can no longer be recorded ends by itself, perhaps with no event to say so.
            if state.replay != nil || state.recordingFailure != nil { return [.quit(cancelRun: false)] }
            if state.runIsActive {
                state.dialog = Dialog(kind: .quit, title: "Quit while the run is active?", lines: [
                    "The run '\(state.run.runID)' has not finished.",
                    "Quitting stops its running steps (SIGTERM, then SIGKILL)",
                    "and records the interruption in the journal. The run can",
                    "be resumed later: baton resume \(state.run.runID)",
                    "(steps that succeeded are not run again).",
                    "",
                    "Enter quits · Esc stays",
                ])
                return []
            }
            return [.quit(cancelRun: false)]
        case .help:
            state.dialog = Dialog(kind: .help, title: "Keys", lines: HelpText.lines())
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
            state.focus = .details
            state.detailsScroll = 0
            return []
        case .attention:
            guard let latest = state.attention.last, let index = state.workflow.position(of: latest.step) else {
                state.status = StatusLine("nothing needs attention", isError: false, time: state.now)
                return []
            }
            select(index, in: &state, context: context)
            state.status = StatusLine(latest.text, isError: false, time: state.now)
            return []
        case .pauseRun:
            return [.command(state.run.isPaused ? .resumeRun : .pauseRun)]
        case .approve, .reject:
            return openDecision(approve: action == .approve, in: &state, context: context)
        case .retry:
            guard let step = state.selectedStep else { return [] }
            return [.command(.retry(step: step.id))]
        case .skip:
            guard let step = state.selectedStep else { return [] }
            return [.command(.skip(step: step.id))]
        case .holdRelease:
            guard let step = state.selectedStep else { return [] }
            return [.command(state.selectedRecord?.state == .held ? .release(step: step.id) : .hold(step: step.id))]
        case .suspendResume:
            guard let step = state.selectedStep else { return [] }
            return [.command(state.selectedRecord?.state == .suspended ? .resumeStep(step: step.id) : .suspend(step: step.id))]
        case .rollback:
            guard let step = state.selectedStep else { return [] }
            let order = context.rollbackOrder(for: step.id, in: state.run)
            var lines: [String]
            if order.count > 1 {
                lines = ["These steps are rolled back first, dependents before what they need:"]
                lines += order.dropLast().map { "  ↶ \($0)" }
                lines += ["then '\(step.id)' itself runs its rollback:", "  " + (step.rollback ?? "(no rollback command: nothing to undo)")]
            } else {
                lines = ["'\(step.id)' runs its rollback:", "  " + (step.rollback ?? "(no rollback command: nothing to undo)")]
            }
            lines += ["", "Enter rolls back · Esc keeps everything"]
            state.dialog = Dialog(kind: .confirm(.rollback(step: step.id)), title: "Roll back '\(step.id)'?", lines: lines)
            return []
        case .rollbackRun:
            let count = state.run.steps.filter { $0.state == .succeeded }.count
            state.dialog = Dialog(kind: .confirm(.rollbackRun), title: "Roll back the whole run?", lines: [
                "Running steps are cancelled, nothing new starts, and the \(count) step\(count == 1 ? "" : "s")",
                "that succeeded are rolled back in reverse dependency order.", "", "Enter rolls back · Esc keeps everything",
            ])
            return []
        case .cancel:
            guard let step = state.selectedStep else { return [] }
            state.dialog = Dialog(kind: .confirm(.cancel(step: step.id)), title: "Cancel '\(step.id)'?", lines: [
                "A running step gets SIGTERM, then SIGKILL after the grace period;",
                "its dependents will be blocked.", "", "Enter cancels · Esc keeps it",
            ])
            return []
        case .cancelRun:
            state.dialog = Dialog(kind: .confirm(.cancelRun), title: "Cancel the whole run?", lines: [
                "Every running step is stopped and nothing new starts.", "", "Enter cancels the run · Esc keeps it going",
            ])
            return []
        case .follow:
            state.logView.follow.toggle()
            if !state.logView.follow { state.logView.top = max(0, context.logLineCount(state) - context.logRows(state)) }
            state.status = StatusLine("log follow \(state.logView.follow ? "on" : "off")", isError: false, time: state.now)
            return []
        case .wrap:
            state.logView.wrap.toggle()
            state.status = StatusLine("log wrap \(state.logView.wrap ? "on" : "off")", isError: false, time: state.now)
            return []
        case .search:
            state.logView.typing = ""
            return []
        case .nextMatch, .previousMatch:
            jumpToMatch(forward: action == .nextMatch, in: &state, context: context)
            return []
        case .compactGraph:
            state.graphCompact.toggle()
            revealSelection(&state, context: context)
            return []
        case .sort:
            state.tableSort = state.tableSort.next
            state.status = StatusLine("steps sorted by \(state.tableSort.rawValue)", isError: false, time: state.now)
            return []
        case .filter:
            let present = StepState.allCases.filter { candidate in state.run.steps.contains { $0.state == candidate } }
            if let current = state.tableFilter, let index = present.firstIndex(of: current), index + 1 < present.count {
                state.tableFilter = present[index + 1]
            } else if state.tableFilter == nil {
                state.tableFilter = present.first
            } else {
                state.tableFilter = nil
            }
            state.tableTop = 0
            state.status = StatusLine("steps: \(state.tableFilter.map { "only \($0.rawValue)" } ?? "all states")", isError: false, time: state.now)
            return []
        }
    }

    private static func openDecision(approve: Bool, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        var index = state.selected
        if state.stepState(index) != .waiting {
            let waiting = state.run.steps.indices.filter { state.run.steps[$0].state == .waiting }
            if waiting.isEmpty, let step = state.selectedStep {
                // Nothing to decide: the engine refuses with its reason, and the attempt is on the record.
                return [.command(approve ? .approve(step: step.id, comment: nil) : .reject(step: step.id, comment: nil))]
            }
            guard waiting.count == 1 else {
                state.status = StatusLine("select one of the waiting gates first (\(waiting.count) are waiting)", isError: true, time: state.now)
                return []
            }
            index = waiting[0]
            state.selected = index
            revealSelection(&state, context: context)
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
        lines.append("")
        lines.append(approve ? "Enter approves · Esc cancels" : "Enter rejects · Esc cancels")
        state.dialog = Dialog(kind: .decision(step: step.id, approve: approve), title: "\(approve ? "Approve" : "Reject") '\(step.id)'", lines: lines)
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
            case .pageDown: dialog.scroll += 10
            case .pageUp: dialog.scroll = max(0, dialog.scroll - 10)
            default:
                state.dialog = nil
                return []
            }
            dialog.scroll = min(dialog.scroll, max(0, dialog.lines.count - 1))
            state.dialog = dialog
            return []
        case .decision(let step, let approve):
            switch key {
            case .enter:
                state.dialog = nil
                let comment = dialog.input.isEmpty ? nil : dialog.input
                return [.command(approve ? .approve(step: step, comment: comment) : .reject(step: step, comment: comment))]
            case .backspace:
                if !dialog.input.isEmpty { dialog.input.removeLast() }
            case .character(let character):
                if dialog.input.count < 500 { dialog.input.append(character) }
            default:
                break
            }
            state.dialog = dialog
            return []
        case .confirm(let command):
            if key == .enter || key == .character("y") {
                state.dialog = nil
                return [.command(command)]
            }
            if key == .character("n") { state.dialog = nil }
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

    // MARK: - Search

    private static func handleSearchInput(_ key: Key, in state: inout AppState) -> [ConsoleEffect] {
        guard var text = state.logView.typing else { return [] }
        switch key {
        case .escape:
            state.logView.typing = nil
        case .enter:
            state.logView.typing = nil
            state.logView.query = text
            recomputeMatches(&state)
            if state.logView.matches.isEmpty {
                state.status = StatusLine(text.isEmpty ? "search cleared" : "no line matches '\(text)'", isError: !text.isEmpty, time: state.now)
            } else {
                state.logView.current = state.logView.matches.count - 1
                state.logView.follow = false
                state.status = StatusLine("\(state.logView.matches.count) matching lines; n and N move between them", isError: false, time: state.now)
            }
            centerOnMatch(&state)
        case .backspace:
            if !text.isEmpty { text.removeLast() }
            state.logView.typing = text
        case .character(let character):
            if text.count < 200 { text.append(character) }
            state.logView.typing = text
        default:
            break
        }
        return []
    }

    /// Finds the selected step's lines that match the current query.
    static func recomputeMatches(_ state: inout AppState) {
        let query = state.logView.query
        guard !query.isEmpty, let id = state.selectedStep?.id, let lines = state.logs[id]?.lines else {
            state.logView.matches = []
            state.logView.current = 0
            return
        }
        state.logView.matches = lines.indices.filter { LogSearch.matches(lines[$0].text, query: query) }
        state.logView.current = min(state.logView.current, max(0, state.logView.matches.count - 1))
    }

    private static func jumpToMatch(forward: Bool, in state: inout AppState, context: ConsoleContext) {
        guard !state.logView.matches.isEmpty else {
            state.status = StatusLine(state.logView.query.isEmpty ? "no search yet: press / to search" : "no line matches '\(state.logView.query)'", isError: true, time: state.now)
            return
        }
        let count = state.logView.matches.count
        state.logView.current = (state.logView.current + (forward ? 1 : count - 1)) % count
        state.logView.follow = false
        centerOnMatch(&state)
        state.status = StatusLine("match \(state.logView.current + 1) of \(count)", isError: false, time: state.now)
    }

    /// Scrolls so the current match sits in the middle of the log pane, with the lines around it visible.
    private static func centerOnMatch(_ state: inout AppState) {
        guard state.logView.matches.indices.contains(state.logView.current) else { return }
        let line = state.logView.matches[state.logView.current]
        let rows = ConsoleLayout(state).logs.height - 2
        state.logView.top = max(0, line - max(1, rows) / 2)
    }

    // MARK: - Navigation

    private static func navigate(_ action: ConsoleAction, in state: inout AppState, context: ConsoleContext) {
        switch state.focus {
        case .graph where state.showsTimeline:
            // The timeline lists steps in file order, one per row.
            let page = ConsoleLayout(state).graph.height - 3
            select(ListMotion.position(after: action, from: state.selected, page: page, count: state.workflow.steps.count),
                   in: &state, context: context)
        case .graph:
            let direction: GraphDirection?
            switch action {
            case .up: direction = .up
            case .down: direction = .down
            case .left: direction = .left
            case .right: direction = .right
            default: direction = nil
            }
            if let direction {
                if let next = context.graphNeighbor(of: state.selected, toward: direction, compact: isCompact(state, context: context)) {
                    select(next, in: &state, context: context)
                }
            } else {
                moveInTable(action, in: &state, context: context)
            }
        case .steps:
            moveInTable(action, in: &state, context: context)
        case .logs where state.showsAudit:
            let rows = max(1, ConsoleLayout(state).logs.height - 3)
            let maxTop = max(0, state.run.audit.count - rows)
            let top = ListMotion.position(after: action, from: state.auditTop ?? maxTop, page: rows, count: maxTop + 1)
            // At the newest entry the pane follows the trail again, as the log does.
            state.auditTop = top >= maxTop ? nil : top
        case .logs:
            let rows = max(1, context.logRows(state))
            let total = context.logLineCount(state)
            let maxTop = max(0, total - rows)
            let top = ListMotion.position(after: action, from: state.logView.follow ? maxTop : state.logView.top, page: rows, count: maxTop + 1)
            state.logView.top = top
            // Scrolling down to the newest line (or G) follows again; anything else stops following.
            let movedDown = action == .down || action == .right || action == .pageDown
            state.logView.follow = action == .bottom || (top >= maxTop && movedDown)
        case .details:
            switch action {
            case .up: state.detailsScroll = max(0, state.detailsScroll - 1)
            case .down: state.detailsScroll += 1
            case .pageUp: state.detailsScroll = max(0, state.detailsScroll - 10)
            case .pageDown: state.detailsScroll += 10
            case .top: state.detailsScroll = 0
            default: break
            }
        }
    }

    private static func moveInTable(_ action: ConsoleAction, in state: inout AppState, context: ConsoleContext) {
        let rows = StepTable.rows(for: state)
        guard !rows.isEmpty else { return }
        let position = rows.firstIndex(of: state.selected) ?? 0
        let next = ListMotion.position(after: action, from: position, page: ConsoleLayout(state).steps.height - 3, count: rows.count)
        select(rows[next], in: &state, context: context)
    }

    /// Selects a step, resets the per-step views and scrolls every pane to it.
    static func select(_ index: Int, in state: inout AppState, context: ConsoleContext) {
        guard state.workflow.steps.indices.contains(index) else { return }
        if index != state.selected {
            state.selected = index
            state.detailsScroll = 0
            state.logView.follow = true
            recomputeMatches(&state)
        }
        revealSelection(&state, context: context)
    }

    static func isCompact(_ state: AppState, context: ConsoleContext) -> Bool {
        state.graphCompact || context.graphNeedsCompact(width: ConsoleLayout(state).graph.width - 2)
    }

    /// Scrolls the graph and the table so the selected step is visible.
    static func revealSelection(_ state: inout AppState, context: ConsoleContext) {
        let layout = ConsoleLayout(state)
        state.graphScroll = context.graphScroll(revealing: state.selected, in: layout.graph, current: state.graphScroll, compact: isCompact(state, context: context))
        let rows = StepTable.rows(for: state)
        if let position = rows.firstIndex(of: state.selected) {
            let visible = max(1, layout.steps.height - 3)
            if position < state.tableTop { state.tableTop = position }
            if position >= state.tableTop + visible { state.tableTop = position - visible + 1 }
        }
        // The timeline's rows: the pane less its borders and the time axis.
        let timelineRows = max(1, layout.graph.height - 3)
        if state.selected < state.timelineTop { state.timelineTop = state.selected }
        if state.selected >= state.timelineTop + timelineRows { state.timelineTop = state.selected - timelineRows + 1 }
    }
}
