/// The state of a run, built by folding its events in order.
///
/// The live engine, a resumed run and a replay all build their state with `apply`, so the
/// state a journal gives is exactly the state the engine had when it wrote it.
public struct RunState: Sendable, Hashable {
    public var runID: String = ""
    public var workflowName: String = ""
    /// The operating-system user who started the run.
    public var user: String = ""
    public var concurrency: Int = 1
    /// The run's parameters as `run_started` recorded them (a given secret's masked).
    public var params: [String: String] = [:]
    public var startedAt: Double?
    public var finishedAt: Double?
    public var isPaused = false
    /// Whether the run plays every step with the simulated executor (`--simulate`).
    public var simulated = false
    /// Why the run no longer starts new steps, if it has halted.
    public var haltReason: String?
    /// How a halted run ends once nothing runs; nil before a halt, and in journals of format 1,
    /// which did not record it (the engine then ends the run as failed).
    public var haltOutcome: RunOutcome?
    /// Whether the halted run still owes the rollback of every succeeded step
    /// (`on_failure: rollback`, or the whole run rolled back) and has not planned it yet.
    public var owesCompensation = false
    /// The journal format the run was recorded in (see `RunEvent.formatVersion`).
    public var format = 1
    /// Steps chosen for rollback that have not been rolled back yet, dependents first.
    public var pendingRollback: [String] = []
    public var outcome: RunOutcome?
    /// What the run waits on while nothing runs and nothing can start until a person acts: set
    /// by `run_waiting`, cleared by the next event that changes anything.
    public private(set) var operatorWait: OperatorWait?
    /// Steps in workflow file order.
    public private(set) var steps: [StepRecord] = []
    private var indexByID: [String: Int] = [:]
    /// The sequence number of the last event applied.
    public private(set) var lastSeq = 0
    /// The time of the last event applied, seconds since 1970: where a run whose process
    /// died was last heard of.
    public private(set) var lastEventAt: Double?
    /// The instances dynamic fan-outs made, in order (see `Workflow.expanded(by:)`).
    public private(set) var expansions: [FanOutExpansion] = []
    /// Every operator command applied, accepted or refused.
    public private(set) var commands: [RunEvent] = []
    /// The audit trail: every command and every act Baton took on a person's behalf, in order.
    public private(set) var audit: [AuditEntry] = []

    public init() {}

    /// A fresh state for the given step ids, as `run_started` would make it.
    public init(stepIDs: [String]) {
        setSteps(stepIDs)
    }

    private mutating func setSteps(_ ids: [String]) {
        steps = ids.map { StepRecord(id: $0) }
        indexByID = [:]
        for (index, id) in ids.enumerated() { indexByID[id] = index }
    }

    /// The record of a step, by id.
    public subscript(id: String) -> StepRecord? {
        indexByID[id].map { steps[$0] }
    }

    /// The record of a step, by file-order position.
    public func record(at index: Int) -> StepRecord { steps[index] }

    /// The file-order position of a step.
    public func index(of id: String) -> Int? { indexByID[id] }

    public var isFinished: Bool { outcome != nil }

    /// Whether `baton resume` can go on with the run: it was interrupted, it ended waiting for
    /// an operator, or its process died before it finished.
    public var isResumable: Bool { startedAt != nil && (outcome.map(\.isUnfinished) ?? true) }

    /// Whether the run finished and an operator may reopen it to retry, skip or roll back steps.
    public var isReopenable: Bool { startedAt != nil && outcome.map { !$0.isUnfinished } ?? false }

    /// The run's own state: the one value every front end shows and the exit status follows.
    ///
    /// A run without an outcome is stopping once it halted (until the engine records its
    /// end), paused while an operator paused it (running steps go on, nothing new starts),
    /// waiting for an operator while its last `run_waiting` stands, and running otherwise.
    public var status: RunStatus {
        guard startedAt != nil else { return .notStarted }
        if let outcome { return RunStatus(outcome) }
        if haltReason != nil { return .stopping }
        if isPaused { return .paused }
        if operatorWait != nil { return .waitingForOperator }
        return .running
    }

    /// How many steps are in each state.
    public var countsByState: [StepState: Int] {
        var counts: [StepState: Int] = [:]
        for step in steps { counts[step.state, default: 0] += 1 }
        return counts
    }

    /// Applies one event. Throws, and changes nothing, when the event does not fit the state.
    public mutating func apply(_ event: RunEvent) throws(RunFoldError) {
        guard event.seq == lastSeq + 1 else {
            throw RunFoldError(seq: event.seq, message: "expected event \(lastSeq + 1), found \(event.seq)")
        }
        if event.kind != .runStarted && startedAt == nil {
            throw RunFoldError(seq: event.seq, message: "\(event.kind.rawValue) before run_started")
        }
        switch event.kind {
        case .runWaiting:
            operatorWait = OperatorWait(since: event.time, steps: event.steps ?? [], reasons: event.reasons ?? [])
        case .runStarted:
            guard startedAt == nil else { throw RunFoldError(seq: event.seq, message: "run_started twice") }
            let version = event.format ?? 1
            guard version <= RunEvent.formatVersion else {
                throw RunFoldError(
                    seq: event.seq,
                    message: "the journal is in format \(version), written by a newer Baton; this Baton reads formats up to \(RunEvent.formatVersion)")
            }
            format = version
            runID = event.runID ?? ""
            workflowName = event.workflow ?? ""
            user = event.user ?? ""
            concurrency = event.concurrency ?? 1
            params = event.params ?? [:]
            startedAt = event.time
            simulated = event.simulated ?? false
            setSteps(event.steps ?? [])
        case .step:
            try applyStep(event)
        case .command:
            commands.append(event)
            if event.accepted == true, let step = event.step, let index = indexByID[step],
               event.command == "approve" || event.command == "reject" {
                steps[index].approval = ApprovalDecision(
                    approved: event.command == "approve", user: event.user ?? "", comment: event.comment, time: event.time,
                    values: event.outputs ?? [:])
            }
            if event.accepted == true, event.command == "cancel", let step = event.step, let index = indexByID[step] {
                steps[index].cancelRequestedBy = event.user ?? "?"
            }
        case .runPaused:
            isPaused = true
        case .runResumed:
            isPaused = false
        case .runHalted:
            if haltReason == nil { haltReason = event.reason ?? "halted" }
            if let outcome = event.outcome { haltOutcome = outcome }
            if let compensate = event.compensate { owesCompensation = compensate }
        case .rollbackPlanned:
            // The compensation a halt owed is planned once a rollback of the whole run is.
            if event.step == nil { owesCompensation = false }
            for id in event.steps ?? [] {
                guard indexByID[id] != nil else { throw RunFoldError(seq: event.seq, message: "rollback of unknown step '\(id)'") }
                if !pendingRollback.contains(id) { pendingRollback.append(id) }
            }
        case .runReopened:
            // An interrupted run's halt was the interrupt itself, also when its process died
            // before it recorded the end; a run whose process died keeps any other halt it had
            // (on_failure stop or rollback, a cancel), so it ends as that halt meant. A finished
            // run is reopened for an operator's retry, skip or rollback: its halt is over.
            if outcome != nil || haltOutcome == .interrupted {
                haltReason = nil
                haltOutcome = nil
                owesCompensation = false
            }
            outcome = nil
            finishedAt = nil
        case .runFinished:
            guard outcome == nil else { throw RunFoldError(seq: event.seq, message: "run_finished twice") }
            outcome = event.outcome ?? .failed
            finishedAt = event.time
        case .fanOutExpanded:
            try applyExpansion(event)
        case .approvalTimedOut:
            guard let id = event.step, let index = indexByID[id] else {
                throw RunFoldError(seq: event.seq, message: "approval timeout for unknown step '\(event.step ?? "")'")
            }
            guard steps[index].state == .waiting else {
                throw RunFoldError(seq: event.seq, message: "approval timeout of '\(id)', which is \(steps[index].state.rawValue)")
            }
            if let approvers = event.approvers {
                // The escalation opens a second window for the wider set of approvers.
                steps[index].escalatedTo = approvers
                steps[index].waitingSince = event.time
            } else {
                steps[index].approval = ApprovalDecision(
                    approved: false, user: AuditEntry.batonUser, comment: event.reason, time: event.time)
            }
        }
        // The wait is over once anything changes; a refused command changes nothing.
        if event.kind != .runWaiting && !(event.kind == .command && event.accepted != true) { operatorWait = nil }
        if let entry = AuditEntry(event) { audit.append(entry) }
        lastSeq = event.seq
        lastEventAt = event.time
    }

    /// A dynamic fan-out made its instances: they join the run as pending steps, after every
    /// other step, and the fan-out step succeeds.
    private mutating func applyExpansion(_ event: RunEvent) throws(RunFoldError) {
        guard let id = event.step, let index = indexByID[id] else {
            throw RunFoldError(seq: event.seq, message: "fan-out of unknown step '\(event.step ?? "")'")
        }
        let instances = event.steps ?? []
        let items = event.items ?? []
        guard steps[index].state == .pending else {
            throw RunFoldError(seq: event.seq, message: "fan-out of '\(id)', which is \(steps[index].state.rawValue)")
        }
        guard instances.count == items.count else {
            throw RunFoldError(seq: event.seq, message: "fan-out of '\(id)' has \(instances.count) instances but \(items.count) items")
        }
        var seen: Set<String> = []
        for instance in instances where indexByID[instance] != nil || !seen.insert(instance).inserted {
            throw RunFoldError(seq: event.seq, message: "fan-out of '\(id)' makes '\(instance)', which is already a step")
        }
        steps[index].state = .succeeded
        steps[index].reason = instances.isEmpty ? "fanned out to no instance: the list is empty" : "fanned out to \(instances.count) instance\(instances.count == 1 ? "" : "s")"
        steps[index].startedAt = event.time
        steps[index].finishedAt = event.time
        for instance in instances {
            indexByID[instance] = steps.count
            steps.append(StepRecord(id: instance))
        }
        expansions.append(FanOutExpansion(group: id, instances: instances, items: items))
    }

    private mutating func applyStep(_ event: RunEvent) throws(RunFoldError) {
        guard let id = event.step, let index = indexByID[id] else {
            throw RunFoldError(seq: event.seq, message: "event for unknown step '\(event.step ?? "")'")
        }
        guard let target = event.state else {
            throw RunFoldError(seq: event.seq, message: "step event for '\(id)' without a state")
        }
        var record = steps[index]
        guard StepTransitions.allows(record.state, target) else {
            throw RunFoldError(seq: event.seq, message: "illegal transition of '\(id)': \(record.state.rawValue) → \(target.rawValue)")
        }
        let previous = record.state
        record.state = target
        record.cancelRequestedBy = nil
        record.reason = event.reason
        if let attempt = event.attempt { record.attempt = attempt }
        if let code = event.exitCode {
            // A rollback's exit code is not an attempt's.
            if previous == .rollingBack { record.rollbackExitCodes.append(code) } else { record.exitCodes.append(code) }
        }
        if let outputs = event.outputs { record.outputs = outputs }
        if target == .running || target == .rollingBack, previous != .suspended { record.handle = event.handle }
        record.clockChange(from: previous, to: target, at: event.time)
        switch target {
        case .running where previous != .suspended:
            if record.startedAt == nil { record.startedAt = event.time }
            record.finishedAt = nil
        case .pending:
            // Kept so the next attempt can say who or what asked for it.
            record.pendingReason = event.reason
            // A retry or a re-run begins a new series of attempts; a rejected gate asks again.
            if previous != .held && previous != .waiting {
                record.attemptBase = record.attempt
                record.finishedAt = nil
                record.startedAt = nil
                if record.approval?.approved == false { record.approval = nil }
            }
        case .waiting:
            record.waitingSince = event.time
            record.escalatedTo = nil
        case .rollingBack:
            record.rollbackStartedAt = event.time
            record.rollbackFinishedAt = nil
        case .rolledBack:
            // The step's own time ended when it succeeded; the rollback's is kept apart.
            record.rollbackFinishedAt = event.time
            pendingRollback.removeAll { $0 == id }
        case .rollbackFailed:
            record.rollbackFinishedAt = event.time
        case .interrupted:
            // Its time stops where Baton stopped, though it is not settled.
            record.finishedAt = event.time
        default:
            if target.isSettled { record.finishedAt = event.time }
        }
        steps[index] = record
    }
}

/// An event that does not fit the state it is applied to: a bug, or a damaged journal.
public struct RunFoldError: Error, Sendable, CustomStringConvertible {
    public var seq: Int
    public var message: String

    public var description: String { "event \(seq): \(message)" }
}
