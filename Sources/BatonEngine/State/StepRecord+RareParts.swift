/// The parts of a step's record most steps never set (gates, rollbacks, cancels), read and
/// written as plain properties: they live in one shared, immutable box (`RareParts`), so that
/// a record stays small. A run of 10,000 steps has a record of each in the engine and in every
/// console.
extension StepRecord: RarePartsOwner {
    struct RareContents: RarePartsContents {
        var rollbackExitCodes: [Int32] = []
        var pendingReason: String?
        var approval: ApprovalDecision?
        var waitingSince: Double?
        var escalatedTo: [String]?
        var rollbackStartedAt: Double?
        var rollbackFinishedAt: Double?
        var cancelRequestedBy: String?
    }

    /// Exit codes of finished rollbacks, in order. A rollback is not an attempt.
    public var rollbackExitCodes: [Int32] {
        get { rareContents.rollbackExitCodes }
        set { changeRare { $0.rollbackExitCodes = newValue } }
    }

    /// The reason of the step's latest move to `pending`: who or what asked for its next
    /// attempt ("retry requested by alice", "approved by bob"); nil before any such move.
    public var pendingReason: String? {
        get { rareContents.pendingReason }
        set { changeRare { $0.pendingReason = newValue } }
    }

    /// The decision on the step's approval gate, if made.
    public var approval: ApprovalDecision? {
        get { rareContents.approval }
        set { changeRare { $0.approval = newValue } }
    }

    /// When the gate's current wait for a decision began: when it opened, or when it escalated.
    public var waitingSince: Double? {
        get { rareContents.waitingSince }
        set { changeRare { $0.waitingSince = newValue } }
    }

    /// Whom the gate escalated to after its timeout; nil while it has not escalated.
    public var escalatedTo: [String]? {
        get { rareContents.escalatedTo }
        set { changeRare { $0.escalatedTo = newValue } }
    }

    /// When the latest rollback started.
    public var rollbackStartedAt: Double? {
        get { rareContents.rollbackStartedAt }
        set { changeRare { $0.rollbackStartedAt = newValue } }
    }

    /// When the latest rollback ended; nil while it runs.
    public var rollbackFinishedAt: Double? {
        get { rareContents.rollbackFinishedAt }
        set { changeRare { $0.rollbackFinishedAt = newValue } }
    }

    /// Who had an accepted cancel of the step under way: set by the `cancel` command, cleared
    /// by the step's next change of state. A resume ends such a running step cancelled, not
    /// interrupted, so a step an operator cancelled is never run again.
    public var cancelRequestedBy: String? {
        get { rareContents.cancelRequestedBy }
        set { changeRare { $0.cancelRequestedBy = newValue } }
    }
}
