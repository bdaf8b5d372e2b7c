import BatonEngine

extension AppState {
    /// The collapsed fan-out group the selection stands for: the selected step's group when
    /// that group is collapsed, so that the graph shows its node and the table its header row
    /// as selected; nil when a step is selected on its own.
    public var selectedGroup: String? {
        guard let group = selectedStep?.group, !expandedGroups.contains(group) else { return nil }
        return group
    }

    /// How many instances a group has.
    public func instanceCount(of group: String) -> Int {
        workflow.groups.first { $0.id == group }?.instances.count ?? workflow.steps.lazy.filter { $0.group == group }.count
    }
}
