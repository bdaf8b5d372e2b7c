import BatonEngine

extension AppState {
    /// The collapsed fan-out group the selection stands for: the selected step's group when
    /// that group is collapsed, so that the graph shows its node and the table its header row
    /// as selected; nil when a step is selected on its own.
    public var selectedGroup: String? {
        guard let group = selectedStep?.group, !expandedGroups.contains(group) else { return nil }
        // A dynamic fan-out without instances yet is selected as the step it is.
        if selectedStep?.fanOutSource != nil && instanceCount(of: group) == 0 { return nil }
        return group
    }

    /// How many instances a group has.
    public func instanceCount(of group: String) -> Int {
        workflow.groups.first { $0.id == group }?.instances.count ?? workflow.steps.lazy.filter { $0.group == group && $0.fanOutSource == nil }.count
    }
}
