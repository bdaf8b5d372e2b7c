/// A validated workflow: steps in file order, with their dependencies known to form a DAG.
public struct Workflow: Sendable, Hashable {
    public var name: String
    public var description: String?
    /// The most steps running at once; nil means the number of CPU cores.
    public var concurrency: Int?
    public var env: [String: String]
    /// Names of environment variables whose values are never shown or stored.
    public var secrets: [String]
    public var onFailure: FailurePolicy
    /// Whether the user who started a run may approve its gates; a gate's own `self_approval` overrides it.
    public var selfApproval: Bool
    /// Who may watch the run and who may act on it.
    public var access: AccessPolicy
    /// The run parameters it declares, in file order.
    public var params: [WorkflowParameter]
    /// The steps that `matrix:` or `for_each:` fanned out, in file order.
    public var groups: [StepGroup]
    /// The steps that run another workflow file (`uses:`), outer calls before the calls they hold.
    public private(set) var calls: [WorkflowCall]
    /// The longest the run may take before it is stopped and ends failed; nil for no limit.
    public var timeout: Duration?
    /// The hosts steps may run on over SSH (`hosts:`).
    public var inventory = Inventory()
    /// The commands run on the run's events (`notify:`), in file order.
    public var notifications: [NotificationCommand] = []
    /// The dynamic fan-outs whose instances this workflow holds, in the order they were added.
    public private(set) var expansions: [FanOutExpansion] = []
    /// Steps in file order, then the instances of dynamic fan-outs in the order they were made.
    public private(set) var steps: [Step]
    private var indexByID: [String: Int]
    private var callIndexByID: [String: Int]

    public init(
        name: String, description: String? = nil, concurrency: Int? = nil, env: [String: String] = [:],
        secrets: [String] = [], onFailure: FailurePolicy = .wait, selfApproval: Bool = true, access: AccessPolicy = AccessPolicy(),
        params: [WorkflowParameter] = [], groups: [StepGroup] = [], calls: [WorkflowCall] = [], steps: [Step]
    ) {
        self.params = params
        self.groups = groups
        self.selfApproval = selfApproval
        self.access = access
        self.name = name
        self.description = description
        self.concurrency = concurrency
        self.env = env
        self.secrets = secrets
        self.onFailure = onFailure
        self.steps = steps
        var index: [String: Int] = [:]
        for (position, step) in steps.enumerated() where index[step.id] == nil { index[step.id] = position }
        self.indexByID = index
        self.calls = calls
        var callIndex: [String: Int] = [:]
        for (position, call) in calls.enumerated() where callIndex[call.id] == nil { callIndex[call.id] = position }
        self.callIndexByID = callIndex
    }

    /// Adds the instances a dynamic fan-out made: after every other step, so that no step's
    /// position changes, each a copy of the fan-out step with its item. Every step that needs
    /// the fan-out step needs its instances too. False, changing nothing, when the fan-out step
    /// is unknown or an instance's id is taken.
    @discardableResult
    public mutating func expand(_ expansion: FanOutExpansion) -> Bool {
        guard let position = indexByID[expansion.group], steps[position].fanOutSource != nil,
              expansion.instances.count == expansion.items.count,
              Set(expansion.instances).count == expansion.instances.count,
              !expansion.instances.contains(where: { indexByID[$0] != nil }) else { return false }
        let template = steps[position]
        for index in steps.indices where steps[index].needs.contains(expansion.group) {
            steps[index].needs += expansion.instances
        }
        for (id, item) in zip(expansion.instances, expansion.items) {
            var instance = template
            instance.id = id
            instance.group = template.id
            instance.fanOutSource = nil
            // The fan-out step's `when:` was decided once, before its instances were made.
            instance.when = nil
            instance.env["BATON_ITEM"] = item
            indexByID[id] = steps.count
            steps.append(instance)
        }
        if let group = groups.firstIndex(where: { $0.id == expansion.group }) {
            groups[group].instances = expansion.instances
        }
        expansions.append(expansion)
        return true
    }

    /// This workflow with the instances of the given expansions, a run's `state.expansions`: the
    /// workflow the run runs. Those it already holds (the first `expansions.count`) are not
    /// added again.
    public func expanded(by expansions: [FanOutExpansion]) -> Workflow {
        guard expansions.count > self.expansions.count else { return self }
        var workflow = self
        for expansion in expansions.dropFirst(self.expansions.count) { workflow.expand(expansion) }
        return workflow
    }

    /// The step with the given id.
    public subscript(id: String) -> Step? {
        indexByID[id].map { steps[$0] }
    }

    /// The call with the given id.
    public func call(_ id: String) -> WorkflowCall? {
        callIndexByID[id].map { calls[$0] }
    }

    /// The file-order position of a step.
    public func position(of id: String) -> Int? { indexByID[id] }

    /// The step ids in file order.
    public var stepIDs: [String] { steps.map(\.id) }

    /// The concurrency in force: the declared limit, else the number of CPU cores.
    public var effectiveConcurrency: Int {
        max(1, concurrency ?? ProcessInfoCores.count)
    }
}
