import BatonEngine

/// One step in `baton graph --json`.
struct GraphNodeJSON: Encodable {
    var id: String
    /// The step's `name:`, or its id when it has none.
    var name: String
    /// The ids of the steps it needs.
    var needs: [String]
    /// Its layer, counted from 1 as the text listing counts them: a step is one layer past
    /// the deepest step it needs.
    var layer: Int
    var gate: Bool
    var hasCondition: Bool
    var hasRollback: Bool
    var isFinally: Bool
    /// The fan-out group it is an instance of (or, for a dynamic fan-out step, stands for).
    var group: String?
    /// The inventory host it runs on over SSH.
    var host: String?
    /// For a dynamic fan-out step, where its items come from: `steps.ID.outputs.KEY`.
    var fanOutSource: String?
    /// The calls whose called workflows hold it, outermost first.
    var enclosingCalls: [String]
    /// Its state in the run of `--run`.
    var state: String?

    enum CodingKeys: String, CodingKey {
        case id
        case name
        case needs
        case layer
        case gate
        case hasCondition = "has_condition"
        case hasRollback = "has_rollback"
        case isFinally = "finally"
        case group
        case host
        case fanOutSource = "fan_out_source"
        case enclosingCalls = "enclosing_calls"
        case state
    }

    init(_ step: Step, needs: [String], layer: Int, state: StepState?) {
        id = step.id
        name = step.displayName
        self.needs = needs
        self.layer = layer
        gate = step.approval != nil
        hasCondition = step.when != nil
        hasRollback = step.rollback != nil
        isFinally = step.isFinally
        group = step.group
        host = step.host
        fanOutSource = step.fanOutSource?.reference
        enclosingCalls = step.enclosingCalls
        self.state = state?.rawValue
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(needs, forKey: .needs)
        try container.encode(layer, forKey: .layer)
        try container.encode(gate, forKey: .gate)
        try container.encode(hasCondition, forKey: .hasCondition)
        try container.encode(hasRollback, forKey: .hasRollback)
        try container.encode(isFinally, forKey: .isFinally)
        try container.encode(group, forKey: .group)
        try container.encode(host, forKey: .host)
        try container.encode(fanOutSource, forKey: .fanOutSource)
        try container.encode(enclosingCalls, forKey: .enclosingCalls)
        try container.encode(state, forKey: .state)
    }
}
