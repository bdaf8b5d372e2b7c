import BatonEngine

/// A run's steps counted, in `baton runs --json`: all of them, those done (succeeded or
/// skipped, the table's STEPS column), and how many are in each state.
struct StepCountsJSON: Encodable {
    var total: Int
    var done: Int
    /// By `StepState` name; states no step is in are left out.
    var byState: [String: Int]

    enum CodingKeys: String, CodingKey {
        case total
        case done
        case byState = "by_state"
    }

    /// The steps of `state`, of which `done` are done (`ListedRun.stepsDone`).
    init(_ state: RunState, done: Int) {
        let counts = state.countsByState
        total = state.steps.count
        self.done = done
        byState = Dictionary(uniqueKeysWithValues: counts.filter { $0.value > 0 }.map { ($0.key.rawValue, $0.value) })
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(total, forKey: .total)
        try container.encode(done, forKey: .done)
        try container.encode(byState, forKey: .byState)
    }
}
