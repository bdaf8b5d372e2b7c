/// A human approval that a step waits for before it runs, and the policy for deciding it.
public struct ApprovalGate: Sendable, Hashable, Codable {
    /// What happens when nobody decides the gate within `timeout`.
    public enum TimeoutAction: String, Sendable, Hashable, Codable {
        /// The gate is rejected, as if an operator had rejected it.
        case reject
        /// The gate stays open, `escalateTo` may decide it too, and a second `timeout`
        /// begins; if that one runs out as well, the gate is rejected.
        case escalate
    }

    /// The question shown to the operator.
    public var prompt: String?
    /// Who may decide the gate: user names, and groups written `group:NAME`. Empty means anyone.
    public var approvers: [String]
    /// Whether the user who started the run may approve; nil follows the workflow's `self_approval`.
    public var selfApproval: Bool?
    /// How long the gate waits for a decision; nil waits for ever.
    public var timeout: Duration?
    public var onTimeout: TimeoutAction
    /// Who else may decide the gate once it has escalated, written as `approvers` is.
    public var escalateTo: [String]
    /// The values the approver gives with the decision (`approval.inputs:`), typed like run
    /// parameters; they become the gate's outputs.
    public var inputs: [WorkflowParameter] = []

    public init(
        prompt: String? = nil, approvers: [String] = [], selfApproval: Bool? = nil, timeout: Duration? = nil,
        onTimeout: TimeoutAction = .reject, escalateTo: [String] = []
    ) {
        self.prompt = prompt
        self.approvers = approvers
        self.selfApproval = selfApproval
        self.timeout = timeout
        self.onTimeout = onTimeout
        self.escalateTo = escalateTo
    }

    /// The prefix that marks an approver entry as a group.
    public static let groupPrefix = "group:"

    /// Whether `user`, a member of `groups`, is named by one of `entries`; empty entries name anyone.
    public static func names(_ user: String, groups: Set<String>, in entries: [String]) -> Bool {
        if entries.isEmpty { return true }
        return entries.contains { entry in
            if entry.hasPrefix(groupPrefix) { return groups.contains(String(entry.dropFirst(groupPrefix.count))) }
            return entry == user
        }
    }

    /// Whether the entries name anybody in a group, so that a directory lookup is needed.
    static func mentionsGroups(_ entries: [String]) -> Bool {
        entries.contains { $0.hasPrefix(groupPrefix) }
    }

    /// Who may decide the gate, in words: "alice or group:release", or "any operator".
    public static func describe(_ entries: [String]) -> String {
        entries.isEmpty ? "any operator" : entries.joined(separator: " or ")
    }
}
