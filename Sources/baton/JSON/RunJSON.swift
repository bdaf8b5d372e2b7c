import BatonEngine

/// One run in `baton runs --json`: the fields of the table, with times in UTC and nothing
/// shortened (docs/json-output.md).
struct RunJSON: Encodable {
    var runID: String
    var directory: String
    var workflow: String?
    var state: String
    var waitingFor: [String]
    var live: Bool
    var resumable: Bool
    var reopenable: Bool
    var startedAt: String?
    var endedAt: String?
    var durationSeconds: Double?
    var startedBy: String?
    var steps: StepCountsJSON?
    var error: String?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case directory
        case workflow
        case state
        case waitingFor = "waiting_for"
        case live
        case resumable
        case reopenable
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case durationSeconds = "duration_seconds"
        case startedBy = "started_by"
        case steps
        case error
    }

    init(_ run: ListedRun) {
        runID = run.runID
        directory = run.directory.path
        workflow = run.state?.workflowName
        state = run.stateName
        waitingFor = run.waitingFor
        live = run.live
        resumable = run.resumable
        reopenable = run.reopenable
        startedAt = run.state?.startedAt.map(JSONOutput.timestamp)
        endedAt = run.state?.finishedAt.map(JSONOutput.timestamp)
        // To the millisecond, as the journal's times are.
        durationSeconds = run.state?.startedAt == nil ? nil : (run.duration * 1000).rounded() / 1000
        startedBy = run.state.flatMap { $0.user.isEmpty ? nil : $0.user }
        steps = run.state.map { StepCountsJSON($0, done: run.stepsDone) }
        error = run.problem
    }

    /// Every key, null included, so that a run's object always has the same shape.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runID, forKey: .runID)
        try container.encode(directory, forKey: .directory)
        try container.encode(workflow, forKey: .workflow)
        try container.encode(state, forKey: .state)
        try container.encode(waitingFor, forKey: .waitingFor)
        try container.encode(live, forKey: .live)
        try container.encode(resumable, forKey: .resumable)
        try container.encode(reopenable, forKey: .reopenable)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(endedAt, forKey: .endedAt)
        try container.encode(durationSeconds, forKey: .durationSeconds)
        try container.encode(startedBy, forKey: .startedBy)
        try container.encode(steps, forKey: .steps)
        try container.encode(error, forKey: .error)
    }
}
