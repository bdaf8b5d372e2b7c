import BatonEngine

extension ConsoleUpdate {
    /// `e`: expands the selected collapsed group to its instances, or collapses the group of
    /// the selected instance; every other group stays as it is. The selection stays on its
    /// step, so after a collapse the group's node (its header row) is the one selected.
    static func toggleSelectedGroup(in state: inout AppState, context: ConsoleContext) {
        guard let step = state.selectedStep, let group = step.group else {
            let id = state.selectedStep.map { "'\($0.id)' is not a fan-out's instance" } ?? "no step is selected"
            state.status = StatusLine(
                context.grouping(state).hasGroups ? "\(id): e expands the selected fan-out or collapses it, E every fan-out"
                    : "this workflow has no fan-out to expand", isError: false, time: state.now)
            return
        }
        let count = state.instanceCount(of: group)
        if state.expandedGroups.remove(group) != nil {
            state.status = StatusLine("'\(group)' collapsed: one node for its \(count) instances — e expands it", isError: false, time: state.now)
        } else {
            state.expandedGroups.insert(group)
            state.status = StatusLine("'\(group)' expanded: its \(count) instances shown — e on any of them collapses it", isError: false, time: state.now)
        }
        regroup(&state, context: context)
    }

    /// `E`: expands every group while one is collapsed, else collapses them all.
    static func toggleAllGroups(in state: inout AppState, context: ConsoleContext) {
        let groups = Set(context.grouping(state).members.keys)
        guard !groups.isEmpty else {
            state.status = StatusLine("this workflow has no fan-out to expand", isError: false, time: state.now)
            return
        }
        if groups.isSubset(of: state.expandedGroups) {
            state.expandedGroups = []
            state.status = StatusLine("every fan-out collapsed to one node — E expands them all, e the selected one", isError: false, time: state.now)
        } else {
            state.expandedGroups = groups
            state.status = StatusLine("every fan-out expanded to its instances — E collapses them all, e the selected one", isError: false, time: state.now)
        }
        regroup(&state, context: context)
    }

    /// Expands the group of step `index` if it is collapsed, so that the step is selected on
    /// its own: a jump to one instance (`!`, the only waiting gate) shows that instance.
    static func expandGroup(of index: Int, in state: inout AppState, context: ConsoleContext) {
        guard state.workflow.steps.indices.contains(index), let group = state.workflow.steps[index].group,
              !state.expandedGroups.contains(group) else { return }
        state.expandedGroups.insert(group)
        regroup(&state, context: context)
    }

    /// After the expanded groups changed: the graph's size decides the panes, and every pane
    /// scrolls to the selection in its new rows.
    private static func regroup(_ state: inout AppState, context: ConsoleContext) {
        state.graphNaturalSize = context.shownGraph(state).size
        state.graphScroll = GraphScroll(x: 0, y: 0)
        revealSelection(&state, context: context)
    }

    /// Moves the selection among `rows` (the table's or the timeline's) as a movement key does,
    /// passing over the headers of expanded groups, whose instances are what one selects.
    static func move(_ action: ConsoleAction, among rows: [StepRow], page: Int, in state: inout AppState, context: ConsoleContext) {
        let grouping = context.grouping(state)
        var stops: [Int] = []
        stops.reserveCapacity(rows.count)
        for (position, row) in rows.enumerated() where !row.isExpandedHeader { stops.append(position) }
        guard !stops.isEmpty else { return }
        let current = StepGrouping.position(ofSelected: state.selected, collapsedGroup: state.selectedGroup, in: rows)
        let from = current.flatMap { position in stops.firstIndex { $0 >= position } } ?? 0
        let next = ListMotion.position(after: action, from: from, page: page, count: stops.count)
        // Staying on a collapsed group's header keeps the instance it stands for.
        guard stops[next] != current else { return revealSelection(&state, context: context) }
        if let step = grouping.selection(of: rows[stops[next]]) { select(step, in: &state, context: context) }
    }
}
