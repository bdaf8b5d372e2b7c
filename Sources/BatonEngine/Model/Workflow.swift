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
    /// Steps in file order.
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
