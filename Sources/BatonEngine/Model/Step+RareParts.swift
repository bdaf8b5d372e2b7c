/// The parts of a step most steps leave at their defaults, read and written as plain
/// properties: they live in one shared, immutable box (`RareParts`), so that a plain step
/// stays small. A workflow of 10,000 steps is held whole by the engine and the console.
extension Step: RarePartsOwner {
    struct RareContents: RarePartsContents {
        var when: Condition?
        var retry = RetryPolicy.none
        var timeout: Duration?
        var approval: ApprovalGate?
        var simulate: Simulation?
        var fanOutSource: FanOutSource?
    }

    /// A condition over the needed steps; false makes the step `skipped`.
    public var when: Condition? {
        get { rareContents.when }
        set { changeRare { $0.when = newValue } }
    }

    public var retry: RetryPolicy {
        get { rareContents.retry }
        set { changeRare { $0.retry = newValue } }
    }

    public var timeout: Duration? {
        get { rareContents.timeout }
        set { changeRare { $0.timeout = newValue } }
    }

    public var approval: ApprovalGate? {
        get { rareContents.approval }
        set { changeRare { $0.approval = newValue } }
    }

    public var simulate: Simulation? {
        get { rareContents.simulate }
        set { changeRare { $0.simulate = newValue } }
    }

    /// For a step whose `for_each:` reads another step's output: where its items come from.
    /// Such a step runs no command of its own. Once its needs are met, Baton makes its
    /// instances from the items (a `fan_out_expanded` event) and the step succeeds.
    public var fanOutSource: FanOutSource? {
        get { rareContents.fanOutSource }
        set { changeRare { $0.fanOutSource = newValue } }
    }
}
