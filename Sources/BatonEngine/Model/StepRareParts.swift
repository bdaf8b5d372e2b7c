/// The box of a step's rarely set parts (`Step+RareParts`): immutable, so steps that share it
/// share a value; equal when what it holds is equal.
final class StepRareParts: Sendable, Hashable {
    struct Contents: Sendable, Hashable {
        var when: Condition?
        var retry = RetryPolicy.none
        var timeout: Duration?
        var approval: ApprovalGate?
        var simulate: Simulation?
        var fanOutSource: FanOutSource?

        /// Whether every part is at its default, when a step keeps no box.
        var isDefault: Bool { self == Contents() }
    }

    let contents: Contents

    init(_ contents: Contents) { self.contents = contents }

    static func == (lhs: StepRareParts, rhs: StepRareParts) -> Bool { lhs.contents == rhs.contents }

    func hash(into hasher: inout Hasher) { hasher.combine(contents) }
}
