/// The instances a dynamic fan-out made at run time, as its `fan_out_expanded` event records them.
///
/// Applied to the workflow as loaded (`Workflow.expand(_:)`), the expansions a run's state
/// holds give the workflow the run ran: the engine, a resume, a replay and every front end
/// build it the same way.
public struct FanOutExpansion: Sendable, Hashable {
    /// The fan-out step: the group's id.
    public var group: String
    /// The instances' ids, in item order.
    public var instances: [String]
    /// Each instance's item, as `$BATON_ITEM` gives it.
    public var items: [String]

    public init(group: String, instances: [String], items: [String]) {
        self.group = group
        self.instances = instances
        self.items = items
    }
}
