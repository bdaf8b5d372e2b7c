import BatonEngine
import BatonTerminal

/// The console's `view`: draws the whole screen for a state into a new buffer.
public enum ConsoleView {
    public static func render(_ state: AppState, context: ConsoleContext, theme: Theme, unicode: Bool) -> Buffer {
        let buffer = draw(state, context: context, theme: theme, unicode: unicode)
        return unicode ? buffer : buffer.asciiOnly()
    }

    private static func draw(_ state: AppState, context: ConsoleContext, theme: Theme, unicode: Bool) -> Buffer {
        var buffer = Buffer(width: state.width, height: state.height, fill: Cell(" ", style: theme.style(.text)))
        let layout = ConsoleLayout(state)
        if layout.isTooSmall {
            TooSmallView(theme: theme).render(into: &buffer, area: buffer.area)
            return buffer
        }
        HeaderView(state: state, theme: theme, unicode: unicode).render(into: &buffer, area: layout.header)

        let states = state.workflow.steps.indices.map { state.stepState($0) }
        let grouping = context.grouping(state)
        for pane in Pane.allCases {
            drawSlot(pane, showing: state.content(of: pane), in: layout.rect(of: pane), state: state, context: context,
                     states: states, grouping: grouping, theme: theme, unicode: unicode, into: &buffer)
        }

        if let replay = state.replay {
            ReplayBar(replay: replay, theme: theme, unicode: unicode).render(into: &buffer, area: layout.replayBar)
        }
        StatusView(status: state.status, theme: theme).render(into: &buffer, area: layout.status)
        FooterView(theme: theme, searchPrompt: state.logView.typing, offered: footerHints(state, context: context))
            .render(into: &buffer, area: layout.footer)
        if state.finder != nil {
            // Over the log pane, beside the table it narrows and below the graph it selects in.
            let finder = StepFinderView(state: state, theme: theme, unicode: unicode)
            finder.render(into: &buffer, area: layout.logs)
            finder.renderKeys(into: &buffer, area: layout.footer, boxShown: StepFinderView.fits(layout.logs))
        }
        if let dialog = state.dialog {
            DialogView(dialog: dialog, theme: theme, unicode: unicode, now: state.now).render(into: &buffer, area: buffer.area)
        }
        return buffer
    }

    /// The key hints the footer shows: a replay's playback keys, or what the rule book offers
    /// now. A click on one presses its key (`ConsoleHitTest`).
    static func footerHints(_ state: AppState, context: ConsoleContext) -> [FooterHint] {
        state.replay != nil ? state.keymap.replayFooterHints : ActionOffers.footerHints(in: state, plan: context.plan)
    }

    /// Draws one slot of the layout, framed and titled, with what it shows: the one place
    /// that maps a `PaneKind` to its widget.
    private static func drawSlot(
        _ pane: Pane, showing kind: PaneKind, in rect: Rect, state: AppState, context: ConsoleContext, states: [StepState],
        grouping: StepGrouping, theme: Theme, unicode: Bool, into buffer: inout Buffer
    ) {
        guard rect.area > 0 else { return }
        let focused = state.focus == pane
        func frame(_ title: String) -> Rect {
            PaneFrame.draw(into: &buffer, rect: rect, title: title, focused: focused, theme: theme, unicode: unicode)
        }
        switch kind {
        case .timeline:
            let critical = CriticalPath.steps(in: state.workflow, timeline: state.timeline, now: state.now)
            let area = frame("Timeline — " + (critical.isEmpty ? "nothing has run yet" : "\(unicode ? "◆" : "*") critical path: \(critical.count) step\(critical.count == 1 ? "" : "s")"))
            TimelineView(workflow: state.workflow, grouping: grouping, timeline: state.timeline, critical: Set(critical), states: states,
                         selected: state.selected, top: state.timelineTop, now: state.now, theme: theme, unicode: unicode)
                .render(into: &buffer, area: area)
        case .graph:
            let compact = ConsoleUpdate.isCompact(state, context: context)
            let neighbourhood = compact ? nil : context.neighbourhood(state)
            let count = "\(state.workflow.steps.count) step\(state.workflow.steps.count == 1 ? "" : "s")"
            let about = neighbourhood.map { $0.title(state.selectedGroup ?? state.selectedStep?.id ?? "", unicode: unicode) + " (\(count))" }
            let area = frame("Graph" + (compact ? " (compact)" : "") + " — " + (about ?? count) + groupsNote(state, grouping: grouping))
            if let neighbourhood {
                let groups = grouping.graph
                GraphNeighbourhoodView(
                    neighbourhood: neighbourhood, shownWorkflow: groups?.workflow ?? state.workflow, states: groups?.states(states) ?? states,
                    labels: groups?.labels(states: states, unicode: unicode), scroll: (state.graphScroll.x, state.graphScroll.y),
                    theme: theme, unicode: unicode)
                    .render(into: &buffer, area: area)
            } else if let groups = grouping.graph {
                let selected = groups.nodeOfStep.indices.contains(state.selected) ? groups.nodeOfStep[state.selected] : nil
                GraphView(layout: groups.layout, workflow: groups.workflow, states: groups.states(states), selected: selected,
                          scroll: (state.graphScroll.x, state.graphScroll.y), theme: theme, unicode: unicode, compact: compact,
                          labels: groups.labels(states: states, unicode: unicode))
                    .render(into: &buffer, area: area)
            } else {
                GraphView(layout: context.graph, workflow: state.workflow, states: states, selected: state.selected,
                          scroll: (state.graphScroll.x, state.graphScroll.y), theme: theme, unicode: unicode, compact: compact)
                    .render(into: &buffer, area: area)
            }
            if !state.workflow.inventory.hosts.isEmpty {
                drawHostBadges(HostTally(workflow: state.workflow) { states[$0] }, under: rect, into: &buffer, theme: theme, unicode: unicode)
            }
        case .notes:
            NotesView(state: state, plan: context.plan, theme: theme).render(into: &buffer, area: frame("Notes — \(state.keymap.keyName(for: .notes)) shows the details"))
        case .details:
            DetailsView(state: state, plan: context.plan, theme: theme).render(into: &buffer, area: frame("Details"))
        case .steps:
            let sort = state.tableSort == .file ? "" : " — by \(state.tableSort.rawValue)"
            let sideways = state.tableColumn > 0 ? " — → column \(state.tableColumn + 1)" : ""
            StepTable(state: state, grouping: grouping, theme: theme, unicode: unicode)
                .render(into: &buffer, area: frame("Steps\(sort)\(state.tableFilterNote)\(sideways)"))
        case .audit:
            AuditView(entries: state.run.audit, top: state.auditTop, theme: theme, unicode: unicode, wrap: state.auditWraps)
                .render(into: &buffer, area: frame(AuditView.title(for: state.run.audit, following: state.auditTop == nil, toggle: state.keymap.keyName(for: .audit))))
        case .log:
            let logView = LogView(state: state, theme: theme, unicode: unicode)
            logView.render(into: &buffer, area: frame(logView.title))
        }
    }

    /// The hosts' badges on the graph pane's bottom border, `web1 ✔4 ▶1 · web2 ✘1`, each count
    /// in its state's colour.
    private static func drawHostBadges(_ tally: HostTally, under rect: Rect, into buffer: inout Buffer, theme: Theme, unicode: Bool) {
        guard !tally.isEmpty, rect.width > 8, rect.height >= 3 else { return }
        let clip = Rect(x: rect.x + 2, y: rect.maxY - 1, width: rect.width - 4, height: 1)
        var x = clip.x
        x = buffer.write(" ", x: x, y: clip.y, style: theme.style(.title), clip: clip)
        for piece in tally.badges(width: clip.width - 2, unicode: unicode) {
            x = buffer.write(piece.text, x: x, y: clip.y, style: piece.state.map { theme.style(for: $0) } ?? theme.style(.title), clip: clip)
        }
        _ = buffer.write(" ", x: x, y: clip.y, style: theme.style(.title), clip: clip)
    }

    /// The graph title's word on the fan-outs: what `e` does to the selection's group, or what
    /// `E` does to them all.
    private static func groupsNote(_ state: AppState, grouping: StepGrouping) -> String {
        guard grouping.hasGroups || !state.workflow.calls.isEmpty else { return "" }
        let one = state.keymap.keyName(for: .toggleGroup), all = state.keymap.keyName(for: .toggleAllGroups)
        if let group = state.selectedGroup { return " · \(one) expands '\(group)'" }
        let chain = state.selectedStep.map { state.workflow.foldingChain(of: $0) } ?? []
        if let folded = chain.first(where: { !state.expandedGroups.contains($0) }) { return " · \(one) expands '\(folded)'" }
        if let group = chain.last { return " · \(one) collapses '\(group)'" }
        return grouping.expanded.count == grouping.members.count ? " · \(all) collapses every fan-out" : " · \(all) expands every fan-out"
    }
}
