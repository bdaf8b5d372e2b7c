import BatonEngine

/// `baton runs --audit RUN --json`: the run and its audit trail, oldest entry first.
struct AuditTrailJSON: Encodable {
    var runID: String
    var workflow: String
    var entries: [AuditEntryJSON]

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case workflow
        case entries
    }

    init(runID: String, workflow: String, entries: [AuditEntry]) {
        self.runID = runID
        self.workflow = workflow
        self.entries = entries.map(AuditEntryJSON.init)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runID, forKey: .runID)
        try container.encode(workflow, forKey: .workflow)
        try container.encode(entries, forKey: .entries)
    }
}
