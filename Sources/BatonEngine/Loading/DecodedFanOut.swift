import Yams

/// A step's `matrix:`, `for_each:` or `on:` naming a group, as read from the file, with the
/// group's policy; the instances are made from it later (`WorkflowDecoder+Expansion`), once
/// every step is read.
struct DecodedFanOut {
    /// What the step fans out over.
    enum Source {
        /// `matrix:`: each key's values, in file order, and the `include` and `exclude` rules.
        case matrix(axes: [(key: String, values: [(text: String, node: Node)])], include: [[(key: String, value: String)]], exclude: [[(key: String, value: String)]])
        /// `for_each:`: the items.
        case items([(text: String, node: Node)])
        /// `for_each: ${{ steps.<step>.outputs.<key> }}`: items read at run time from a JSON
        /// array in another step's output.
        case output(FanOutSource, node: Node)
        /// `on: GROUP`: the group's hosts, in its order, with the `on:` value.
        case hosts([InventoryHost], node: Node)
    }

    var source: Source?
    /// The `matrix:`, `for_each:` or `on:` key, for problems about the whole expansion.
    var node: Node?
    var maxParallel: Int?
    var failFast: Bool?
    var batch: StepGroup.BatchSize?
    var maxFailures: Int?
    /// The policy keys that were given, with their key nodes, to refuse them without a fan-out.
    var policyKeys: [(key: String, node: Node)] = []
}
