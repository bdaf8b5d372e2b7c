/// Who may decide a gate: the rule the engine's `approve` and `reject` apply, and what front
/// ends ask to tell which gates wait on the person at the screen.
///
/// It reads only the workflow, the run's state and a user directory, so the engine, `baton top`
/// and tests apply the same rule without an engine.
public struct ApprovalPolicy: Sendable {
    public let workflow: Workflow
    public let directory: any UserDirectory

    public init(workflow: Workflow, directory: any UserDirectory) {
        self.workflow = workflow
        self.directory = directory
    }

    /// Who may decide the gate of step `index` now: its approvers, and whom it escalated to.
    /// Empty means anyone.
    public func approversInForce(_ index: Int, in state: RunState) -> [String] {
        let approvers = workflow.steps[index].approval?.approvers ?? []
        guard state.steps.indices.contains(index), let escalated = state.steps[index].escalatedTo else { return approvers }
        // A gate open to anyone stays open to anyone.
        return approvers.isEmpty ? [] : approvers + escalated.filter { !approvers.contains($0) }
    }

    /// Why `user` may not `verb` ("approve" or "reject") the gate of step `index` in `state`, or
    /// nil when they may. Whether the gate is open at all is the rule book's question
    /// (`Plan.verdict`); this is who: the user must be named by the approvers in force, and with
    /// `self_approval: false` the user who started the run may reject but not approve.
    public func refusal(_ index: Int, verb: String, user: String, in state: RunState) -> String? {
        let step = workflow.steps[index]
        guard let gate = step.approval else { return nil }
        let entries = approversInForce(index, in: state)
        let groups = ApprovalGate.mentionsGroups(entries) ? directory.groups(of: user) : []
        guard ApprovalGate.names(user, groups: groups, in: entries) else {
            return "cannot \(verb) '\(step.id)': \(user) is not among its approvers (\(entries.joined(separator: ", ")))"
        }
        if verb == "approve", !(gate.selfApproval ?? workflow.selfApproval), user == state.user {
            return "cannot approve '\(step.id)': \(user) started this run, and self_approval is false, so someone else must approve it"
        }
        return nil
    }

    /// A gate that waits for a decision, as one user sees it.
    public struct OpenGate: Sendable, Hashable {
        public var step: String
        /// Who may decide it now (`approversInForce`); empty means anyone.
        public var approvers: [String]
        /// Whether the user asked about may approve it now.
        public var userMayApprove: Bool
    }

    /// The gates of `state` that wait for a decision, in file order, each with whether `user`
    /// may approve it now: the rule book allows the approval, `refusal` has nothing against it,
    /// and for a gate that names no approvers, `user` is an operator of the run
    /// (`isOperator`, from `AccessPolicy.isOperator`), as the engine's access rule demands.
    /// None when the state's steps are not the workflow's (a journal of another file).
    public func openGates(in state: RunState, for user: String, isOperator: Bool) -> [OpenGate] {
        if state.expansions.count > workflow.expansions.count {
            return ApprovalPolicy(workflow: workflow.expanded(by: state.expansions), directory: directory)
                .openGates(in: state, for: user, isOperator: isOperator)
        }
        guard state.steps.map(\.id) == workflow.steps.map(\.id) else { return [] }
        let plan = Plan(workflow: workflow)
        var gates: [OpenGate] = []
        for (index, record) in state.steps.enumerated() where record.state == .waiting && workflow.steps[index].approval != nil {
            guard case .allowed = plan.verdict(on: .approve, step: index, in: state) else { continue }
            let approvers = approversInForce(index, in: state)
            let allowed = refusal(index, verb: "approve", user: user, in: state) == nil && (isOperator || !approvers.isEmpty)
            gates.append(OpenGate(step: record.id, approvers: approvers, userMayApprove: allowed))
        }
        return gates
    }
}
