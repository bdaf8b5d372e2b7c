import Yams

/// A step as read from the file, with the positions that dependency checks point at.
///
/// A file of 10,000 steps holds 10,000 of these at once, and most steps have no fan-out, no
/// `on:` and no `uses:`; those parts live in one shared box, so a plain step stays small.
struct DecodedStep {
    var step: Step
    /// Each entry of `needs` with the position of its list item, duplicates removed.
    var needs: [(id: String, location: SourceLocation)]
    /// The `when:` value node, for positions inside the expression.
    var whenNode: Node?
    /// The steps the `when:` expression reads.
    var whenReferences: [ConditionReference]
    /// The run parameters the `when:` expression reads.
    var whenParams: [ConditionParamReference] = []
    /// The parts few steps have; nil while the step has none of them.
    private var rare: RareParts?

    init(step: Step, needs: [(id: String, location: SourceLocation)], whenNode: Node?, whenReferences: [ConditionReference]) {
        self.step = step
        self.needs = needs
        self.whenNode = whenNode
        self.whenReferences = whenReferences
    }

    var id: String { step.id }

    /// What `matrix:` or `for_each:` fans the step out over, and the group's policy.
    var fanOut: DecodedFanOut? {
        get { rare?.fanOut }
        set { changeRare { $0.fanOut = newValue } }
    }

    /// `on:`: the host or group named, with its value and key nodes; `WorkflowDecoder+Placement`
    /// puts the step on the host, or fans it out over the group.
    var placement: (name: String, node: Node, keyNode: Node)? {
        get { rare?.placement }
        set { changeRare { $0.placement = newValue } }
    }

    /// The workflow file `uses:` runs in the step's place, and its `with:`.
    var call: DecodedCall? {
        get { rare?.call }
        set { changeRare { $0.call = newValue } }
    }

    /// Changes the rare parts on a copy, so a copied step never sees another's change.
    private mutating func changeRare(_ change: (inout RareParts.Contents) -> Void) {
        var contents = rare?.contents ?? RareParts.Contents()
        change(&contents)
        rare = contents.isEmpty ? nil : RareParts(contents)
    }

    /// An immutable box of the parts few steps have.
    private final class RareParts {
        struct Contents {
            var fanOut: DecodedFanOut?
            var placement: (name: String, node: Node, keyNode: Node)?
            var call: DecodedCall?

            var isEmpty: Bool { fanOut == nil && placement == nil && call == nil }
        }

        let contents: Contents
        var fanOut: DecodedFanOut? { contents.fanOut }
        var placement: (name: String, node: Node, keyNode: Node)? { contents.placement }
        var call: DecodedCall? { contents.call }

        init(_ contents: Contents) { self.contents = contents }
    }
}
