import BatonEngine

/// One entry of a run's audit trail in `baton runs --audit RUN --json`: `AuditEntry` with its
/// time in ISO 8601 UTC.
struct AuditEntryJSON: Encodable {
    var seq: Int
    var time: String
    var user: String
    var action: String
    var step: String?
    var comment: String?
    var outcome: String
    var detail: String?

    enum CodingKeys: String, CodingKey {
        case seq
        case time
        case user
        case action
        case step
        case comment
        case outcome
        case detail
    }

    init(_ entry: AuditEntry) {
        seq = entry.seq
        time = JSONOutput.timestamp(entry.time)
        user = entry.user
        action = entry.action
        step = entry.step
        comment = entry.comment
        outcome = entry.outcome.rawValue
        detail = entry.detail
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(seq, forKey: .seq)
        try container.encode(time, forKey: .time)
        try container.encode(user, forKey: .user)
        try container.encode(action, forKey: .action)
        try container.encode(step, forKey: .step)
        try container.encode(comment, forKey: .comment)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(detail, forKey: .detail)
    }
}
