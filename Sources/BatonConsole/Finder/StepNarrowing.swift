import BatonEngine

/// What a step finder query keeps of the steps: the steps table shows only these, and the
/// finder lists them, best first.
///
/// Words and hosts depend on the workflow alone, so they are matched once, when the query
/// changes (`StepFinderIndex.narrowing(for:)`); `state:` tokens are checked against each
/// step's state as it is now, so a step that leaves the state leaves the table too.
public struct StepNarrowing: Sendable {
    /// The query as typed.
    public let query: String
    /// Its tokens.
    public let parsed: StepQuery
    /// The steps the words and hosts match, by file position, the best match first (a
    /// higher score, then file order); their states are not checked.
    public let ranked: [Int]
    /// By file position: whether the words and hosts match the step.
    private let matched: [Bool]

    init(query: String, parsed: StepQuery, ranked: [Int], matched: [Bool]) {
        self.query = query
        self.parsed = parsed
        self.ranked = ranked
        self.matched = matched
    }

    /// Whether the query keeps step `index` while it is in `state`. Steps made after the
    /// query was matched (a dynamic fan-out's instances) are not kept until it is matched again.
    public func keeps(_ index: Int, in state: StepState) -> Bool {
        guard index >= 0, index < matched.count, matched[index] else { return false }
        for allowed in parsed.states where !allowed.contains(state) { return false }
        return true
    }
}
