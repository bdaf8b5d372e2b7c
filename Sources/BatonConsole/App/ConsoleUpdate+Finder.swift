import BatonEngine
import BatonTerminal

/// The step finder (`:`) and the steps table's state filters (`F`, `1`, `2`, `3`, `0`).
///
/// As the query changes, the table narrows to the steps it keeps (`AppState.tableNarrowing`)
/// and the best of them is selected in every pane, without expanding its group; ↑ and ↓ move
/// among them. Enter jumps to the chosen step, expanding the groups around it, and keeps the
/// narrowing, so the table goes on showing the matches (`0` clears it); Esc puts back the
/// selection, the narrowing and every pane's scroll as they were when the finder opened.
extension ConsoleUpdate {
    // MARK: - The finder

    /// Opens the finder on the query the table is narrowed by, if any, so that it can be refined.
    static func openFinder(in state: inout AppState, context: ConsoleContext) {
        let query = state.tableNarrowing?.query ?? ""
        let chosen = query.isEmpty || !state.tableShows(state.selected) ? nil : state.selected
        state.finder = StepFinder(query: query, chosen: chosen, origin: FinderOrigin(state))
    }

    static func handleFinderInput(_ key: Key, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        guard var finder = state.finder else { return [] }
        switch key {
        case .escape, .control("c"):
            cancelFinder(in: &state, context: context)
        case .enter:
            jumpFromFinder(in: &state, context: context)
        case .up, .control("p"):
            moveInFinder(by: -1, in: &state, context: context)
        case .down, .control("n"):
            moveInFinder(by: 1, in: &state, context: context)
        case .pageUp:
            moveInFinder(by: -ConsoleLayout(state).listRows(.logs), in: &state, context: context)
        case .pageDown:
            moveInFinder(by: ConsoleLayout(state).listRows(.logs), in: &state, context: context)
        default:
            let before = finder.query
            finder.editor.apply(key)
            guard finder.query != before else {
                state.finder = finder
                return []
            }
            state.finder = finder
            finderQueryChanged(in: &state, context: context)
        }
        return []
    }

    /// After the query changed: the table narrows to what it keeps, and the best match is
    /// selected everywhere; an empty query shows every step and goes back to the step
    /// selected when the finder opened.
    static func finderQueryChanged(in state: inout AppState, context: ConsoleContext) {
        guard let finder = state.finder else { return }
        state.tableNarrowing = context.finderIndex(for: state.workflow).narrowing(for: finder.query)
        state.panes.steps.top = 0
        guard state.tableNarrowing != nil else {
            state.finder?.chosen = nil
            select(finder.origin.selected, in: &state, context: context)
            return
        }
        guard let best = state.finderMatches.first else {
            state.finder?.chosen = nil
            revealSelection(&state, context: context)
            return
        }
        state.finder?.chosen = best
        select(best, in: &state, context: context)
    }

    /// ↑ and ↓ in the finder: the previous or next match (by `offset`), selected everywhere.
    static func moveInFinder(by offset: Int, in state: inout AppState, context: ConsoleContext) {
        guard let finder = state.finder else { return }
        let matches = state.finderMatches
        guard !matches.isEmpty else { return }
        let next: Int
        if let chosen = finder.chosen, let position = matches.firstIndex(of: chosen) {
            next = min(max(0, position + offset), matches.count - 1)
        } else {
            next = offset > 0 ? 0 : matches.count - 1
        }
        state.finder?.chosen = matches[next]
        select(matches[next], in: &state, context: context)
    }

    /// Enter: jumps to the chosen match (else the best one) and closes the finder, keeping
    /// the table narrowed to the matches. A query that matches nothing keeps the finder open.
    static func jumpFromFinder(in state: inout AppState, context: ConsoleContext) {
        guard let finder = state.finder else { return }
        let matches = state.finderMatches
        // With an empty query nothing is chosen until ↑ or ↓ chooses it: Enter then only closes.
        let target = finder.chosen.flatMap { matches.contains($0) ? $0 : nil } ?? (state.tableNarrowing == nil ? nil : matches.first)
        guard let target else {
            if state.tableNarrowing == nil {
                state.finder = nil
                return
            }
            state.status = StatusLine("no step matches '\(VisibleText.escape(finder.query))' — Backspace edits the query, Esc goes back", isError: true, time: state.now)
            return
        }
        state.finder = nil
        select(target, in: &state, context: context)
        // The step itself, not the group it is folded into.
        expandGroup(of: target, in: &state, context: context)
        revealSelection(&state, context: context)
        let step = state.workflow.steps[target]
        var text = "'\(step.id)' (\(state.stepState(target).rawValue))"
        if let narrowing = state.tableNarrowing {
            // The table goes on showing the matches: ↑ and ↓ there walk through them.
            state.focus = .steps
            text += " — the steps table shows the \(Format.count(matches.count)) matching '\(VisibleText.escape(narrowing.query))'; : refines, 0 shows every step"
        }
        state.status = StatusLine(text, isError: false, time: state.now)
    }

    /// Esc: closes the finder and puts the selection, the table and the panes back as they
    /// were when it opened.
    static func cancelFinder(in state: inout AppState, context: ConsoleContext) {
        guard let finder = state.finder else { return }
        state.finder = nil
        finder.origin.restore(&state)
        // Lines may have come meanwhile: the restored search's matches are found again.
        recomputeMatches(&state)
        revealSelection(&state, context: context)
    }

    /// Matches the table's narrowing again for a workflow that grew, so that the new steps
    /// are shown when they match: they are not in the narrowing made before them.
    static func rematchNarrowing(_ state: inout AppState) {
        guard let query = state.tableNarrowing?.query else { return }
        // The console's context still indexes the workflow before it grew.
        state.tableNarrowing = StepFinderIndex(workflow: state.workflow).narrowing(for: query)
    }

    // MARK: - State filters

    /// `1`, `2`, `3`: only failed steps, gates waiting for a decision, running steps (the
    /// same key again shows every state); `0`: every step, the finder's narrowing cleared too.
    static func quickFilter(_ action: ConsoleAction, in state: inout AppState, context: ConsoleContext) {
        let wanted: StepState?
        switch action {
        case .onlyFailed: wanted = .failed
        case .onlyWaiting: wanted = .waiting
        case .onlyRunning: wanted = .running
        default: wanted = nil
        }
        if action == .allSteps {
            let cleared = state.isTableFiltered
            state.tableNarrowing = nil
            filterTable(by: nil, in: &state, context: context)
            if !cleared { state.status = StatusLine("steps: every step is shown already", isError: false, time: state.now) }
            return
        }
        filterTable(by: state.tableFilter == wanted ? nil : wanted, in: &state, context: context)
    }

    /// `F`: the next state among those the run's steps are in, then every state again.
    static func cycleFilter(in state: inout AppState, context: ConsoleContext) {
        let present = StepState.allCases.filter { candidate in state.run.steps.contains { $0.state == candidate } }
        if let current = state.tableFilter, let index = present.firstIndex(of: current), index + 1 < present.count {
            filterTable(by: present[index + 1], in: &state, context: context)
        } else if state.tableFilter == nil {
            filterTable(by: present.first, in: &state, context: context)
        } else {
            filterTable(by: nil, in: &state, context: context)
        }
    }

    /// Shows only the steps in `filter` (every state when nil). A selected step the table no
    /// longer shows gives way to the first one it does, so the log and the details follow
    /// what is shown.
    static func filterTable(by filter: StepState?, in state: inout AppState, context: ConsoleContext) {
        state.tableFilter = filter
        state.panes.steps.top = 0
        let grouping = context.grouping(state)
        let rows = StepTable.rows(for: state, grouping: grouping)
        if !state.tableShows(state.selected), let first = firstShownStep(among: rows, grouping: grouping, in: state) {
            select(first, in: &state, context: context)
        }
        revealSelection(&state, context: context)
        let shown = rows.lazy.filter { !$0.isExpandedHeader }.count
        let what: String
        switch filter {
        case .waiting?: what = "only gates waiting for a decision"
        case let filter?: what = "only \(filter.rawValue)"
        case nil: what = "all states"
        }
        let more = state.isTableFiltered ? " — 0 shows every step" : ""
        state.status = StatusLine("steps: \(what) (\(Format.count(shown)) row\(shown == 1 ? "" : "s"))\(more)", isError: false, time: state.now)
    }

    /// The step the table's first row selects: a step, or the first instance the table shows
    /// of a collapsed group (its header stands for the instances that match).
    private static func firstShownStep(among rows: [StepRow], grouping: StepGrouping, in state: AppState) -> Int? {
        for row in rows where !row.isExpandedHeader {
            guard let group = row.group else { return row.step }
            return (grouping.members[group] ?? []).first(where: state.tableShows) ?? grouping.selection(of: row)
        }
        return nil
    }
}
