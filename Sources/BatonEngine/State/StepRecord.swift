/// What the run knows about one step: its state, attempts, outputs and decisions.
public struct StepRecord: Sendable, Hashable {
    public var id: String
    public var state: StepState = .pending
    /// The number of the latest attempt, counted over the whole run; 0 before the first.
    public var attempt: Int = 0
    /// The attempt number at which the current series of tries began (an operator retry starts a new one).
    public var attemptBase: Int = 0
    /// Exit codes of finished attempts, in order.
    public var exitCodes: [Int32] = []
    public var outputs: [String: String] = [:]
    /// Why the step is in its state, in words, when that is worth saying.
    public var reason: String?
    /// When the step first started running, seconds since 1970.
    public var startedAt: Double?
    /// When the step last settled, seconds since 1970.
    public var finishedAt: Double?
    /// The decision on the step's approval gate, if made.
    public var approval: ApprovalDecision?
    /// When the gate's current wait for a decision began: when it opened, or when it escalated.
    public var waitingSince: Double?
    /// Whom the gate escalated to after its timeout; nil while it has not escalated.
    public var escalatedTo: [String]?
    /// When the latest rollback started and ended.
    public var rollbackStartedAt: Double?
    /// Who had an accepted cancel of the step under way: set by the `cancel` command, cleared
    /// by the step's next change of state. A resume ends such a running step cancelled, not
    /// interrupted, so a step an operator cancelled is never run again.
    public var cancelRequestedBy: String?

    public init(id: String) { self.id = id }

    /// The attempt within the current series of tries, from 1.
    public var attemptInSeries: Int { attempt - attemptBase }
}

/// An operator's decision on an approval gate.
public struct ApprovalDecision: Sendable, Hashable {
    public var approved: Bool
    public var user: String
    public var comment: String?
    public var time: Double

    public init(approved: Bool, user: String, comment: String?, time: Double) {
        self.approved = approved
        self.user = user
        self.comment = comment
        self.time = time
    }
}
