import BatonEngine

extension ConsoleUpdate {
    /// `e`: expands the selected collapsed group to its instances, or collapses the group of
    /// the selected instance; every other group stays as it is. The selection stays on its
    /// step, so after a collapse the group's node (its header row) is the one selected.
    ///
    /// A step inside called workflows (`uses:`) folds into the outermost call not expanded:
    /// `e` opens that one, or, with everything around the step open, closes the innermost.
    static func toggleSelectedGroup(in state: inout AppState, context: ConsoleContext) {
        let chain = state.selectedStep.map { state.workflow.foldingChain(of: $0) } ?? []
        let one = state.keymap.keyName(for: .toggleGroup), all = state.keymap.keyName(for: .toggleAllGroups)
        guard let step = state.selectedStep, !chain.isEmpty else {
            let id = state.selectedStep.map { "'\($0.id)' is not a fan-out's instance" } ?? "no step is selected"
            state.status = StatusLine(
                hasFolds(state, context: context) ? "\(id): \(one) expands the selected fan-out or collapses it, \(all) every fan-out"
                    : "this workflow has no fan-out to expand", isError: false, time: state.now)
            return
        }
        if let folded = chain.first(where: { !state.expandedGroups.contains($0) }), !(folded == step.group && state.selectedGroup == nil && step.fanOutSource != nil) {
            state.expandedGroups.insert(folded)
            state.status = StatusLine("'\(folded)' expanded: \(what(folded, in: state)) shown — \(one) on any of them collapses it", isError: false, time: state.now)
        } else if let open = chain.last(where: { state.expandedGroups.contains($0) }) {
            state.expandedGroups.remove(open)
            state.status = StatusLine("'\(open)' collapsed: one node for \(what(open, in: state)) — \(one) expands it", isError: false, time: state.now)
        } else {
            return
        }
        regroup(&state, context: context)
    }

    /// "its 12 instances", or for a called workflow "the 5 steps it calls".
    private static func what(_ group: String, in state: AppState) -> String {
        if let call = state.workflow.call(group) { return "the \(call.steps.count) step\(call.steps.count == 1 ? "" : "s") it calls" }
        return "its \(state.instanceCount(of: group)) instances"
    }

    /// Whether anything in the workflow folds: a fan-out or a call.
    private static func hasFolds(_ state: AppState, context: ConsoleContext) -> Bool {
        context.grouping(state).hasGroups || !state.workflow.calls.isEmpty
    }

    /// `E`: expands every group while one is collapsed, else collapses them all.
    static func toggleAllGroups(in state: inout AppState, context: ConsoleContext) {
        let groups = Set(context.grouping(state).members.keys).union(state.workflow.calls.map(\.id))
        guard !groups.isEmpty else {
            state.status = StatusLine("this workflow has no fan-out to expand", isError: false, time: state.now)
            return
        }
        if groups.isSubset(of: state.expandedGroups) {
            state.expandedGroups = []
            state.status = StatusLine("every fan-out collapsed to one node — \(state.keymap.keyName(for: .toggleAllGroups)) expands them all, \(state.keymap.keyName(for: .toggleGroup)) the selected one", isError: false, time: state.now)
        } else {
            state.expandedGroups = groups
            state.status = StatusLine("every fan-out expanded to its instances — \(state.keymap.keyName(for: .toggleAllGroups)) collapses them all, \(state.keymap.keyName(for: .toggleGroup)) the selected one", isError: false, time: state.now)
        }
        regroup(&state, context: context)
    }

    /// Expands the group of step `index` if it is collapsed, so that the step is selected on
    /// its own: a jump to one instance (`!`, the only waiting gate) shows that instance.
    static func expandGroup(of index: Int, in state: inout AppState, context: ConsoleContext) {
        guard state.workflow.steps.indices.contains(index) else { return }
        let chain = state.workflow.foldingChain(of: state.workflow.steps[index])
        guard !chain.allSatisfy(state.expandedGroups.contains) else { return }
        state.expandedGroups.formUnion(chain)
        regroup(&state, context: context)
    }

    /// After the expanded groups changed: the graph's size decides the panes, and every pane
    /// scrolls to the selection in its new rows.
    private static func regroup(_ state: inout AppState, context: ConsoleContext) {
        state.graphNaturalSize = context.shownGraph(state).size
        state.panes.graph = GraphScroll(x: 0, y: 0)
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
