/// Where a dynamic fan-out finds its items: a JSON array in another step's output, read when
/// that step has succeeded (`for_each: ${{ steps.list.outputs.hosts }}`).
public struct FanOutSource: Sendable, Hashable {
    /// The step whose output holds the items.
    public var step: String
    /// The output key.
    public var key: String

    public init(step: String, key: String) {
        self.step = step
        self.key = key
    }

    /// The reference as a workflow writes it, for messages.
    public var reference: String { "steps.\(step).outputs.\(key)" }
}
