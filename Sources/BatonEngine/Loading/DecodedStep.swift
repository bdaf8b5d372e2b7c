import Yams

/// A step as read from the file, with the positions that dependency checks point at.
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
    /// What `matrix:` or `for_each:` fans the step out over, and the group's policy.
    var fanOut: DecodedFanOut?
    /// `on:`: the host or group named, with its value and key nodes; `WorkflowDecoder+Placement`
    /// puts the step on the host, or fans it out over the group.
    var placement: (name: String, node: Node, keyNode: Node)?
    /// The workflow file `uses:` runs in the step's place, and its `with:`.
    var call: DecodedCall?

    var id: String { step.id }
}
