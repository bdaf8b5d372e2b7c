/// One line of a run's audit trail: who did what, when, to which step, and whether it took effect.
///
/// The trail is folded from the journal with the rest of the run's state, so the console,
/// `baton runs --audit` and a replay all show the same entries. Operator commands appear
/// whether they were accepted or refused; Baton's own decisions on a person's behalf (a
/// gate that timed out, a gate rejected because nobody could be asked) appear as the user
/// `baton`.
public struct AuditEntry: Sendable, Hashable, Codable {
    /// What kind of act the entry records.
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// An operator command that took effect.
        case accepted
        /// An operator command that was refused; `detail` says why.
        case refused
        /// Something that happened to the run, not a command: its start, a resume, a timeout.
        case recorded
    }

    /// The journal position of the event this entry comes from.
    public var seq: Int
    /// Seconds since 1970.
    public var time: Double
    /// The operating-system user, or `baton` for what Baton decided by itself.
    public var user: String
    /// The act, as a short verb: `approve`, `cancel`, `start run`, `gate timed out`…
    public var action: String
    public var step: String?
    public var comment: String?
    public var outcome: Outcome
    /// Why a command was refused, or what a recorded act did.
    public var detail: String?

    public init(
        seq: Int, time: Double, user: String, action: String, step: String? = nil, comment: String? = nil,
        outcome: Outcome, detail: String? = nil
    ) {
        self.seq = seq
        self.time = time
        self.user = user
        self.action = action
        self.step = step
        self.comment = comment
        self.outcome = outcome
        self.detail = detail
    }

    /// The user name Baton records for what it decides by itself.
    public static let batonUser = "baton"

    /// The entry an event makes in the trail, or nil for events that are not acts.
    public init?(_ event: RunEvent) {
        switch event.kind {
        case .command:
            self.init(seq: event.seq, time: event.time, user: event.user ?? "?", action: event.command ?? "?",
                      step: event.step, comment: event.comment, outcome: event.accepted == true ? .accepted : .refused,
                      detail: event.reason)
        case .runStarted:
            self.init(seq: event.seq, time: event.time, user: event.user ?? "?", action: "start run",
                      outcome: .recorded, detail: event.workflow.map { "workflow '\($0)'" })
        case .runReopened:
            if let previous = event.outcome, !previous.isUnfinished {
                self.init(seq: event.seq, time: event.time, user: event.user ?? "?", action: "reopen run",
                          comment: event.comment, outcome: .recorded, detail: "the run had \(previous.words)")
            } else {
                self.init(seq: event.seq, time: event.time, user: event.user ?? "?", action: "resume run",
                          outcome: .recorded, detail: event.reason)
            }
        case .approvalTimedOut:
            let escalated = event.approvers.map { "escalated to " + ApprovalGate.describe($0) }
            self.init(seq: event.seq, time: event.time, user: Self.batonUser,
                      action: event.approvers == nil ? "gate timed out" : "gate escalated", step: event.step,
                      outcome: .recorded, detail: [event.reason, escalated].compactMap { $0 }.joined(separator: "; "))
        case .runFinished:
            self.init(seq: event.seq, time: event.time, user: Self.batonUser, action: "run finished",
                      outcome: .recorded, detail: [event.outcome?.rawValue, event.reason].compactMap { $0 }.joined(separator: ": "))
        case .step, .runPaused, .runResumed, .runHalted, .rollbackPlanned, .runWaiting, .fanOutExpanded:
            return nil
        }
    }
}
