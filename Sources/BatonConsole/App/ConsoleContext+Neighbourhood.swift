import BatonEngine
import BatonTerminal

extension ConsoleContext {
    /// The neighbourhood of the selection the graph pane draws: when the graph shown (the
    /// grouped one when groups are collapsed) is wider than the pane and the operator left the
    /// mode automatic; nil otherwise, or when not even one layer fits.
    public func neighbourhood(_ state: AppState) -> GraphNeighbourhood? {
        guard state.graphMode == .automatic, !state.showsTimeline else { return nil }
        let inner = ConsoleLayout(state).inner(.graph)
        let graph = shownGraph(state)
        guard graph.size.width > inner.width, let centre = shownNode(ofStep: state.selected, state: state) else { return nil }
        let groups = shownGroups(state)
        let key = GraphNeighbourhoodCache.Key(
            expanded: groups == nil ? [] : grouping(state).expanded, centre: centre, width: inner.width, height: inner.height)
        return neighbourhoods.neighbourhood(for: key) {
            GraphNeighbourhood(graph: graph, workflow: groups?.workflow ?? state.workflow, centre: centre, width: inner.width, height: inner.height)
        }
    }

    /// The shown graph's node of a step: its own, or its collapsed group's.
    func shownNode(ofStep step: Int, state: AppState) -> Int? {
        if let groups = shownGroups(state) { return groups.nodeOfStep.indices.contains(step) ? groups.nodeOfStep[step] : nil }
        return step >= 0 && step < graph.stepCount ? step : nil
    }

    /// The step a shown graph's node selects: the step itself, or a collapsed group's first
    /// instance (the selection itself when it is in that group), as the arrow keys do.
    func step(ofShownNode node: Int, state: AppState) -> Int? {
        guard let groups = shownGroups(state) else { return node }
        guard groups.stepsOfNode.indices.contains(node) else { return nil }
        let steps = groups.stepsOfNode[node]
        return steps.contains(state.selected) ? state.selected : steps.first
    }

    /// The step `layers` layers from the selection's (back when negative), level with it in
    /// the shown graph: what PageUp and PageDown select in a neighbourhood. Nil at that end.
    func step(layersAway layers: Int, state: AppState) -> Int? {
        let graph = shownGraph(state)
        guard let node = shownNode(ofStep: state.selected, state: state), let column = graph.column(of: node) else { return nil }
        let target = max(0, min(graph.columnCount - 1, column + layers))
        guard target != column, let reached = graph.nearestStep(toRow: graph.nodeRect(node).y, inColumn: target) else { return nil }
        return step(ofShownNode: reached, state: state)
    }
}
