import BatonEngine
import BatonTerminal

/// The graph pane: the layered graph (or the selection's neighbourhood of it when it is wider
/// than the pane, or the compact lanes), the hosts' badges on its bottom border, and the
/// arrow keys moving the selection along the edges.
enum GraphPane: ConsolePane {
    static let kind = PaneKind.graph
    static let name = "Graph"
    static let keys: [ConsoleAction] = [.up, .down, .left, .right, .pageUp, .pageDown, .top, .bottom,
                                        .compactGraph, .toggleGroup, .toggleAllGroups, .timeline]

    static func render(_ drawing: PaneDrawing, into buffer: inout Buffer) {
        let (state, context, states, grouping) = (drawing.state, drawing.context, drawing.states, drawing.grouping)
        let (theme, unicode) = (drawing.theme, drawing.unicode)
        let compact = ConsoleUpdate.isCompact(state, context: context)
        let neighbourhood = compact ? nil : context.neighbourhood(state)
        let count = "\(state.workflow.steps.count) step\(state.workflow.steps.count == 1 ? "" : "s")"
        let about = neighbourhood.map { $0.title(state.selectedGroup ?? state.selectedStep?.id ?? "", unicode: unicode) + " (\(count))" }
        let area = drawing.frame("Graph" + (compact ? " (compact)" : "") + " — " + (about ?? count) + groupsNote(state, grouping: grouping), into: &buffer)
        let scroll = (state.panes.graph.x, state.panes.graph.y)
        if let neighbourhood {
            let groups = grouping.graph
            GraphNeighbourhoodView(
                neighbourhood: neighbourhood, shownWorkflow: groups?.workflow ?? state.workflow, states: groups?.states(states) ?? states,
                labels: groups?.labels(states: states, unicode: unicode), scroll: scroll, theme: theme, unicode: unicode)
                .render(into: &buffer, area: area)
        } else if let groups = grouping.graph {
            let selected = groups.nodeOfStep.indices.contains(state.selected) ? groups.nodeOfStep[state.selected] : nil
            GraphView(layout: groups.layout, workflow: groups.workflow, states: groups.states(states), selected: selected,
                      scroll: scroll, theme: theme, unicode: unicode, compact: compact, labels: groups.labels(states: states, unicode: unicode))
                .render(into: &buffer, area: area)
        } else {
            GraphView(layout: context.graph, workflow: state.workflow, states: states, selected: state.selected,
                      scroll: scroll, theme: theme, unicode: unicode, compact: compact)
                .render(into: &buffer, area: area)
        }
        if !state.workflow.inventory.hosts.isEmpty {
            drawHostBadges(HostTally(workflow: state.workflow) { states[$0] }, under: drawing.rect, into: &buffer, theme: theme, unicode: unicode)
        }
    }

    /// The arrows follow the edges: ↑/↓ within a layer (on in the table's order past its
    /// ends), ←/→ to what the step needs and what needs it. PageUp and PageDown go back and on
    /// by layers in a neighbourhood, by a page of the table's order otherwise.
    static func navigate(_ action: ConsoleAction, in state: inout AppState, context: ConsoleContext) {
        let direction: GraphDirection?
        switch action {
        case .up: direction = .up
        case .down: direction = .down
        case .left: direction = .left
        case .right: direction = .right
        default: direction = nil
        }
        if (action == .pageUp || action == .pageDown), let neighbourhood = context.neighbourhood(state) {
            // A neighbourhood pages by layers: half the columns it shows.
            let layers = action == .pageDown ? neighbourhood.layerStep : -neighbourhood.layerStep
            if let next = context.step(layersAway: layers, state: state) {
                ConsoleUpdate.select(next, in: &state, context: context)
            } else {
                state.status = StatusLine(action == .pageDown ? "at the last layer" : "at the first layer", isError: false, time: state.now)
            }
        } else if let direction {
            if let next = context.graphNeighbor(of: state.selected, toward: direction, compact: ConsoleUpdate.isCompact(state, context: context), state: state) {
                ConsoleUpdate.select(next, in: &state, context: context)
            } else if direction == .up || direction == .down {
                // Alone at that end of its layer: j and k go on in the table's order.
                StepsPane.moveSelection(action, in: &state, context: context)
            } else if let step = state.selectedStep {
                let text = direction == .left ? "'\(step.id)' needs no step" : "no step needs '\(step.id)'"
                state.status = StatusLine(text, isError: false, time: state.now)
            }
        } else {
            StepsPane.moveSelection(action, in: &state, context: context)
        }
    }

    /// Scrolls the drawing: a neighbourhood between its rows of counts, kept within the
    /// drawing so that scrolling back answers at once.
    static func scroll(by rows: Int, sideways: Bool, in state: inout AppState, context: ConsoleContext) {
        let compact = ConsoleUpdate.isCompact(state, context: context)
        let neighbourhood = compact ? nil : context.neighbourhood(state)
        let graph = neighbourhood?.layout ?? context.shownGraph(state)
        let area = neighbourhood == nil ? inner(state) : GraphNeighbourhood.drawingArea(in: inner(state))
        var origin = graph.origin(scroll: (state.panes.graph.x, state.panes.graph.y), area: area, compact: compact)
        if sideways {
            origin.x += rows / ConsoleUpdate.wheelRows * ConsoleUpdate.wheelColumns
        } else {
            origin.y += rows
        }
        let scrolled = graph.origin(scroll: origin, area: area, compact: compact)
        state.panes.graph = GraphScroll(x: scrolled.x, y: scrolled.y)
    }

    /// The step of the node at a cell; a collapsed group's node selects its first instance
    /// (the selection itself when it is in that group), as the arrow keys do.
    static func step(atX x: Int, y: Int, in area: Rect, state: AppState, context: ConsoleContext) -> Int? {
        let compact = ConsoleUpdate.isCompact(state, context: context)
        let scroll = (state.panes.graph.x, state.panes.graph.y)
        if !compact, let neighbourhood = context.neighbourhood(state) {
            let drawn = GraphNeighbourhood.drawingArea(in: area)
            guard let index = neighbourhood.layout.step(atX: x, y: y, in: drawn, scroll: scroll, compact: false) else { return nil }
            return context.step(ofShownNode: neighbourhood.shownNode[index], state: state)
        }
        guard let groups = context.shownGroups(state) else {
            return context.graph.step(atX: x, y: y, in: area, scroll: scroll, compact: compact)
        }
        guard let node = groups.layout.step(atX: x, y: y, in: area, scroll: scroll, compact: compact) else { return nil }
        let steps = groups.stepsOfNode[node]
        return steps.contains(state.selected) ? state.selected : steps.first
    }

    /// The hosts' badges on the pane's bottom border, `web1 ✔4 ▶1 · web2 ✘1`, each count in
    /// its state's colour.
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

    /// The title's word on the fan-outs: what `e` does to the selection's group, or what `E`
    /// does to them all.
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
