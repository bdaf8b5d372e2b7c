/// A human approval that a step waits for before it runs.
public struct ApprovalGate: Sendable, Hashable, Codable {
    /// The question shown to the operator.
    public var prompt: String?
    /// The users allowed to approve; empty means anyone.
    public var approvers: [String]

    public init(prompt: String? = nil, approvers: [String] = []) {
        self.prompt = prompt
        self.approvers = approvers
    }

    /// Whether `user` may decide this gate.
    public func allows(_ user: String) -> Bool {
        approvers.isEmpty || approvers.contains(user)
    }
}
