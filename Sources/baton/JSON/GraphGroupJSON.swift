import BatonEngine

/// One fan-out in `baton graph --json`: a step that `matrix:`, `for_each:` or `on:` made
/// instances of.
struct GraphGroupJSON: Encodable {
    /// The step's id as written, which other steps' `needs` name.
    var id: String
    /// The instances' ids, in expansion order; empty for a dynamic fan-out, whose instances
    /// are made at run time.
    var instances: [String]
    /// For a dynamic fan-out, where its items come from: `steps.ID.outputs.KEY`.
    var fanOutSource: String?
    /// The most instances running at once (`max_parallel`).
    var maxParallel: Int?

    enum CodingKeys: String, CodingKey {
        case id
        case instances
        case fanOutSource = "fan_out_source"
        case maxParallel = "max_parallel"
    }

    init(_ group: StepGroup, fanOutSource: FanOutSource?) {
        id = group.id
        instances = group.instances
        self.fanOutSource = fanOutSource?.reference
        maxParallel = group.maxParallel
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(instances, forKey: .instances)
        try container.encode(fanOutSource, forKey: .fanOutSource)
        try container.encode(maxParallel, forKey: .maxParallel)
    }
}
