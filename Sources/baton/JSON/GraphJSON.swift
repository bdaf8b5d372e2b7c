import BatonEngine

/// `baton graph FILE --json`: the workflow's steps as nodes and its dependencies as edges, in
/// file order, with the fan-out groups; with `--run`, each step's state in that run.
struct GraphJSON: Encodable {
    var workflow: String
    /// The run whose states the nodes carry (`--run`); nil without one.
    var runID: String?
    var nodes: [GraphNodeJSON]
    var edges: [GraphEdgeJSON]
    var groups: [GraphGroupJSON]

    enum CodingKeys: String, CodingKey {
        case workflow
        case runID = "run_id"
        case nodes
        case edges
        case groups
    }

    /// The graph of `workflow` (secrets masked), with each step's state from `states` (by id).
    /// Needs and edges are the scheduler's (`Plan.needs`): needs that name no step are left
    /// out, repeats are listed once.
    init(_ workflow: Workflow, runID: String? = nil, states: [String: StepState] = [:]) {
        self.workflow = workflow.name
        self.runID = runID
        let plan = Plan(workflow: workflow)
        var layerOf = Array(repeating: 0, count: workflow.steps.count)
        for (number, layer) in GraphLayers.assign(workflow).enumerated() {
            for index in layer { layerOf[index] = number + 1 }
        }
        var nodes: [GraphNodeJSON] = []
        var edges: [GraphEdgeJSON] = []
        for (index, step) in workflow.steps.enumerated() {
            var needs: [String] = []
            for need in plan.needs[index] where !needs.contains(workflow.steps[need].id) {
                needs.append(workflow.steps[need].id)
                edges.append(GraphEdgeJSON(from: workflow.steps[need].id, to: step.id))
            }
            nodes.append(GraphNodeJSON(step, needs: needs, layer: layerOf[index], state: states[step.id]))
        }
        self.nodes = nodes
        self.edges = edges
        groups = workflow.groups.map { GraphGroupJSON($0, fanOutSource: workflow[$0.id]?.fanOutSource) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(workflow, forKey: .workflow)
        try container.encode(runID, forKey: .runID)
        try container.encode(nodes, forKey: .nodes)
        try container.encode(edges, forKey: .edges)
        try container.encode(groups, forKey: .groups)
    }
}
