/// A gate of a run that waits for a decision.
public struct TopGate: Sendable, Hashable {
    public var step: String
    /// Who may decide it now (its approvers and whom it escalated to); empty means anyone.
    public var approvers: [String]
    /// Whether the person at the screen may approve it (`ApprovalPolicy`).
    public var isMine: Bool

    public init(step: String, approvers: [String], isMine: Bool) {
        self.step = step
        self.approvers = approvers
        self.isMine = isMine
    }
}
