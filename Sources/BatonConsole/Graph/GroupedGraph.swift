import BatonEngine

/// The graph with each collapsed fan-out group and each collapsed called workflow drawn as
/// one node (`deploy ×12 ✔9 ▶2 ✘1`) and every other step, the instances of expanded groups
/// included, as a node of its own: a layout of its own over a workflow of display nodes, and
/// the mapping between those nodes and the steps.
///
/// A collapsed group's node has the edges of all its steps to steps outside it; edges among
/// its steps are inside the node and not drawn. An expanded group's steps keep every edge they
/// have, to one another as to anything else. A called workflow folds everything in it,
/// fan-outs and calls included, until it is expanded; then what it holds folds by the same rule.
public struct GroupedGraph: Sendable {
    /// One node per step, except that a collapsed group's instances share one, in the order
    /// they first appear.
    public let workflow: Workflow
    public let layout: GraphLayout
    /// For each step, its node.
    public let nodeOfStep: [Int]
    /// For each node, its steps (one for a step, the instances for a collapsed group).
    public let stepsOfNode: [[Int]]
    /// For each node, the collapsed group it stands for; nil for a step.
    public let groupOfNode: [String?]
    /// The dynamic fan-out steps drawn inside their collapsed group's node: they stand for the
    /// group, and are not among the instances it counts.
    private let standIns: Set<Int>

    /// Nil when no group or call is collapsed: the workflow's own graph then shows every step.
    public init?(workflow: Workflow, expanded: Set<String> = []) {
        guard workflow.steps.contains(where: { workflow.graphGroup(of: $0, expanded: expanded) != nil }) else { return nil }
        var nodeOfStep: [Int] = []
        var stepsOfNode: [[Int]] = []
        var groupOfNode: [String?] = []
        var nodeOfGroup: [String: Int] = [:]
        // A dynamic fan-out step is in its own group: it is its collapsed node, not an instance.
        var standIns: Set<Int> = []
        nodeOfStep.reserveCapacity(workflow.steps.count)
        for (index, step) in workflow.steps.enumerated() {
            let collapsed = workflow.graphGroup(of: step, expanded: expanded)
            if collapsed != nil && collapsed == step.group && step.fanOutSource != nil { standIns.insert(index) }
            if let collapsed, let node = nodeOfGroup[collapsed] {
                nodeOfStep.append(node)
                stepsOfNode[node].append(index)
                continue
            }
            let node = stepsOfNode.count
            if let collapsed { nodeOfGroup[collapsed] = node }
            nodeOfStep.append(node)
            stepsOfNode.append([index])
            groupOfNode.append(collapsed)
        }
        // A group's id is sized for its widest badge, so the layout leaves room for it.
        var nodes: [Step] = stepsOfNode.indices.map { node in
            let count = stepsOfNode[node].lazy.filter { !standIns.contains($0) }.count
            return Step(id: groupOfNode[node].map { "\($0) ×\(count) ✔\(count) ▶\(count) ✘\(count)" } ?? workflow.steps[stepsOfNode[node][0]].id)
        }
        for node in nodes.indices {
            var seen: Set<Int> = []
            var needs: [String] = []
            for step in stepsOfNode[node] {
                for need in workflow.steps[step].needs {
                    guard let position = workflow.position(of: need) else { continue }
                    let needed = nodeOfStep[position]
                    if needed != node && seen.insert(needed).inserted { needs.append(nodes[needed].id) }
                }
            }
            nodes[node].needs = needs
        }
        self.workflow = Workflow(name: workflow.name, steps: nodes)
        layout = GraphLayout(workflow: self.workflow)
        self.nodeOfStep = nodeOfStep
        self.stepsOfNode = stepsOfNode
        self.groupOfNode = groupOfNode
        self.standIns = standIns
    }

    /// What each node shows: a step's id; a group's id, its size and its counts.
    public func labels(states: [StepState], unicode: Bool) -> [String] {
        stepsOfNode.indices.map { node in
            guard let group = groupOfNode[node] else { return workflow.steps[node].id }
            // Until its instances are made, a dynamic fan-out is its one step.
            if instances(of: node).isEmpty { return group }
            let members = Self.states(of: instances(of: node), in: states)
            let counts = Self.counts(members, unicode: unicode)
            return "\(group) \(unicode ? "×" : "x")\(members.count)" + (counts.isEmpty ? "" : " \(counts)")
        }
    }

    /// The state each node shows: a step's; for a group, what most needs an eye.
    public func states(_ states: [StepState]) -> [StepState] {
        stepsOfNode.indices.map { node in
            let counted = instances(of: node)
            return Self.attentionState(Self.states(of: counted.isEmpty ? stepsOfNode[node] : counted, in: states))
        }
    }

    /// The steps a node counts: a group's instances, or a plain step.
    private func instances(of node: Int) -> [Int] {
        standIns.isEmpty ? stepsOfNode[node] : stepsOfNode[node].filter { !standIns.contains($0) }
    }

    /// The states of the steps at `positions`, `pending` for those the run has not reached.
    static func states(of positions: [Int], in states: [StepState]) -> [StepState] {
        positions.map { $0 < states.count ? states[$0] : .pending }
    }

    /// A group's counts as its badge shows them, `✔9 ▶2 ✘1` (see `BadgeCounts`).
    public static func counts(_ members: [StepState], unicode: Bool) -> String {
        BadgeCounts.pieces(members, unicode: unicode).map(\.text).joined(separator: " ")
    }

    /// The state a group shows: of its instances' states, the one that most needs an eye, from
    /// running to all succeeded.
    public static func attentionState(_ members: [StepState]) -> StepState {
        var present: Set<StepState> = []
        for state in members { present.insert(state) }
        return attentionOrder.first { present.contains($0) } ?? .pending
    }

    private static let attentionOrder: [StepState] = [
        .running, .retrying, .suspended, .rollingBack, .waiting, .failed, .rollbackFailed, .interrupted,
        .held, .pending, .blocked, .cancelled, .rolledBack, .succeeded, .skipped,
    ]
}
