/// The parts of a step most steps leave at their defaults, read and written as plain
/// properties: they live in one shared, immutable box (`RareParts`), so that a plain step
/// stays small. A workflow of 10,000 steps is held whole by the engine and the console.
extension Step {
    struct RareContents: Sendable, Hashable {
        var when: Condition?
        var retry = RetryPolicy.none
        var timeout: Duration?
        var approval: ApprovalGate?
        var simulate: Simulation?
        var fanOutSource: FanOutSource?

        /// Whether every part is at its default, when a step keeps no box.
        var isDefault: Bool { self == RareContents() }
    }

    /// A condition over the needed steps; false makes the step `skipped`.
    public var when: Condition? {
        get { rare?.contents.when }
        set { changeRare { $0.when = newValue } }
    }

    public var retry: RetryPolicy {
        get { rare?.contents.retry ?? .none }
        set { changeRare { $0.retry = newValue } }
    }

    public var timeout: Duration? {
        get { rare?.contents.timeout }
        set { changeRare { $0.timeout = newValue } }
    }

    public var approval: ApprovalGate? {
        get { rare?.contents.approval }
        set { changeRare { $0.approval = newValue } }
    }

    public var simulate: Simulation? {
        get { rare?.contents.simulate }
        set { changeRare { $0.simulate = newValue } }
    }

    /// For a step whose `for_each:` reads another step's output: where its items come from.
    /// Such a step runs no command of its own. Once its needs are met, Baton makes its
    /// instances from the items (a `fan_out_expanded` event) and the step succeeds.
    public var fanOutSource: FanOutSource? {
        get { rare?.contents.fanOutSource }
        set { changeRare { $0.fanOutSource = newValue } }
    }

    /// Changes the rare parts in a new box, so a copy of the step never sees the change.
    private mutating func changeRare(_ change: (inout RareContents) -> Void) {
        var contents = rare?.contents ?? RareContents()
        change(&contents)
        rare = contents.isDefault ? nil : RareParts(contents)
    }
}
