import BatonEngine

/// The graph with each fan-out group and each called workflow drawn as one node
/// (`deploy ×12 ✔9 ▶2 ✘1`), for a workflow that has fan-outs or calls: a layout of its own
/// over a workflow of display nodes, and the mapping between those nodes and the steps.
public struct GroupedGraph: Sendable {
    /// One node per plain step and per group, in the order they first appear.
    public let workflow: Workflow
    public let layout: GraphLayout
    /// For each step, its node.
    public let nodeOfStep: [Int]
    /// For each node, its steps (one for a plain step, the instances for a group).
    public let stepsOfNode: [[Int]]
    /// For each node, the group it stands for; nil for a plain step.
    public let groupOfNode: [String?]

    /// Nil when the workflow has no fan-out and calls no workflow. A called workflow (`uses:`)
    /// is one node, fan-outs inside it included.
    public init?(workflow: Workflow) {
        guard !workflow.groups.isEmpty || !workflow.calls.isEmpty else { return nil }
        var nodeOfStep: [Int] = []
        var stepsOfNode: [[Int]] = []
        var groupOfNode: [String?] = []
        var nodeOfGroup: [String: Int] = [:]
        for (index, step) in workflow.steps.enumerated() {
            let group = workflow.graphGroup(of: step)
            if let group, let node = nodeOfGroup[group] {
                nodeOfStep.append(node)
                stepsOfNode[node].append(index)
                continue
            }
            let node = stepsOfNode.count
            if let group { nodeOfGroup[group] = node }
            nodeOfStep.append(node)
            stepsOfNode.append([index])
            groupOfNode.append(group)
        }
        var nodes: [Step] = []
        for (node, steps) in stepsOfNode.enumerated() {
            let first = workflow.steps[steps[0]]
            // A group's id is sized for its widest badge, so the layout leaves room for it.
            let count = steps.count
            var display = Step(id: groupOfNode[node].map { "\($0) ×\(count) ✔\(count) ▶\(count) ✘\(count)" } ?? first.id)
            var needs: [String] = []
            for step in steps {
                for need in workflow.steps[step].needs {
                    guard let position = workflow.position(of: need) else { continue }
                    let needed = nodeOfStep[position]
                    if needed != node && !needs.contains(String(needed)) { needs.append(String(needed)) }
                }
            }
            display.needs = needs
            nodes.append(display)
        }
        // Needs name nodes by position until every node has its id.
        for index in nodes.indices {
            nodes[index].needs = nodes[index].needs.compactMap { Int($0).map { nodes[$0].id } }
        }
        self.workflow = Workflow(name: workflow.name, steps: nodes)
        layout = GraphLayout(workflow: self.workflow)
        self.nodeOfStep = nodeOfStep
        self.stepsOfNode = stepsOfNode
        self.groupOfNode = groupOfNode
    }

    /// What each node shows: a plain step's id; a group's id, its size and its counts.
    public func labels(states: [StepState], unicode: Bool) -> [String] {
        stepsOfNode.indices.map { node in
            guard let group = groupOfNode[node] else { return workflow.steps[node].id }
            let members = stepsOfNode[node].map { $0 < states.count ? states[$0] : .pending }
            let done = members.filter { $0 == .succeeded }.count
            let active = members.filter { [.running, .retrying, .suspended].contains($0) }.count
            let failed = members.filter { $0 == .failed }.count
            var label = "\(group) \(unicode ? "×" : "x")\(members.count)"
            if done > 0 { label += " \(unicode ? "✔" : "+")\(done)" }
            if active > 0 { label += " \(unicode ? "▶" : ">")\(active)" }
            if failed > 0 { label += " \(unicode ? "✘" : "X")\(failed)" }
            return label
        }
    }

    /// The state each node shows: a plain step's; for a group, what most needs an eye, from
    /// running to all succeeded.
    public func states(_ states: [StepState]) -> [StepState] {
        stepsOfNode.map { steps in
            let members = steps.map { $0 < states.count ? states[$0] : .pending }
            return Self.attentionOrder.first { members.contains($0) } ?? .pending
        }
    }

    private static let attentionOrder: [StepState] = [
        .running, .retrying, .suspended, .rollingBack, .waiting, .failed, .rollbackFailed, .interrupted,
        .held, .pending, .blocked, .cancelled, .rolledBack, .succeeded, .skipped,
    ]
}
