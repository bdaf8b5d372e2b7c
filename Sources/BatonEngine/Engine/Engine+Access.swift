import Foundation

/// Access rules (a workflow's `access:`): who may watch the run and who may act on it. The
/// engine decides, whatever front end a command comes from, and audits every refusal.
extension Engine {
    /// What `user` may do with the run: operator, viewer, or nil when they may not watch it.
    ///
    /// The user who started the run and the one whose Baton runs it now are operators. Without
    /// `access.operators`, so are the members of the run directory's group (with the socket's
    /// mode, that is everyone who can connect; a run not recorded has no socket, and anyone
    /// its own front ends name is an operator); without `access.viewers`, everyone who can
    /// connect may watch. A gate's approvers may always watch the run they decide on.
    public func role(of user: String) -> RunRole? {
        if isOperator(user) { return .operator }
        guard let viewers = workflow.access.viewers else { return .viewer }
        let groups = configuration.directory.groups(of: user)
        if ApprovalGate.names(user, groups: groups, in: viewers) { return .viewer }
        let approvers = workflow.steps.compactMap(\.approval).flatMap(\.approvers)
        return !approvers.isEmpty && ApprovalGate.names(user, groups: groups, in: approvers) ? .viewer : nil
    }

    /// Whether `user` may act on the run and decide gates that name no approvers
    /// (`AccessPolicy.isOperator`, with this run's starter, this Baton's user and its directory).
    func isOperator(_ user: String) -> Bool {
        workflow.access.isOperator(
            user, starter: state.user, runner: configuration.user, runDirectoryGroup: runDirectoryGroup,
            recorded: configuration.runDirectory != nil, directory: configuration.directory)
    }

    /// The entries `isOperator` checks besides the starter: `access.operators`, or the run
    /// directory's group.
    var operatorEntries: [String] {
        workflow.access.operatorEntries(runDirectoryGroup: runDirectoryGroup)
    }

    /// Who the operators are, in words, for a refusal.
    var operatorsDescription: String {
        let starter = state.user.isEmpty ? configuration.user : state.user
        return ([starter] + operatorEntries.filter { $0 != starter }).joined(separator: ", ")
    }

    /// Why `user` may not give `command`, or nil when their role allows it. Gates are decided
    /// by their approvers (`gateRefusal`); a gate that names none, by operators.
    func accessRefusal(_ command: OperatorCommand, user: String) -> CommandResult? {
        switch command.action {
        case .approve, .reject:
            guard let index = command.step.flatMap({ state.index(of: $0) }), approversInForce(index).isEmpty else { return nil }
        default:
            break
        }
        guard !isOperator(user) else { return nil }
        let what = command.action == .approve || command.action == .reject
            ? "decide '\(command.step ?? "")', a gate that names no approvers,"
            : command.summary
        return .refused("\(user) may not \(what): only the run's operators may (\(operatorsDescription))")
    }

    /// The group that owns the run's directory, if the run is recorded.
    private var runDirectoryGroup: String? {
        configuration.runDirectory.flatMap { AccessPolicy.group(ofDirectory: $0.path) }
    }
}
