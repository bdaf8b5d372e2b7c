import BatonEngine
import Foundation

/// Builds a run's journal event by event, for tests that need a journal and not a run.
///
/// Like Temporal's `TestHistoryBuilder`: each call appends one event with the next sequence
/// number and a time a quarter second after the previous one, so the events fold as a
/// journal the engine wrote would. A `running` step without an attempt gets the step's next
/// one (the same one after `suspended`). Calls return a new builder, so they chain:
///
///     let events = JournalBuilder().runStarted(steps: ["a"]).step("a", .running).events
public struct JournalBuilder: Sendable {
    /// The events so far.
    public private(set) var events: [RunEvent] = []
    public var runID: String
    public var workflowName: String
    public var user: String
    /// The time of the first event, seconds since 1970.
    public var startTime: Double
    private var attempts: [String: Int] = [:]
    private var lastStates: [String: StepState] = [:]

    public init(runID: String = "built-run", workflow: String = "built", user: String = "tester", startTime: Double = 1_800_000_000) {
        self.runID = runID
        self.workflowName = workflow
        self.user = user
        self.startTime = startTime
    }

    /// Appends `event` with the next sequence number and time.
    public func appending(_ event: RunEvent) -> JournalBuilder {
        var copy = self
        var event = event
        event.seq = events.count + 1
        event.time = ((startTime + Double(events.count) * 0.25) * 1000).rounded() / 1000
        if event.kind == .step, let id = event.step, let state = event.state {
            if state == .running, event.attempt == nil, copy.lastStates[id] != .suspended {
                event.attempt = (copy.attempts[id] ?? 0) + 1
            }
            if let attempt = event.attempt { copy.attempts[id] = attempt }
            copy.lastStates[id] = state
        }
        copy.events.append(event)
        return copy
    }

    /// `run_started` for `steps`; `format` nil writes a format-1 journal (no `format` field).
    public func runStarted(
        steps: [String], concurrency: Int = 1, format: Int? = RunEvent.formatVersion, simulated: Bool = false
    ) -> JournalBuilder {
        var event = RunEvent(kind: .runStarted)
        event.runID = runID
        event.workflow = workflowName
        event.user = user
        event.steps = steps
        event.concurrency = concurrency
        event.format = format
        if simulated { event.simulated = true }
        return appending(event)
    }

    /// A step's change of state.
    public func step(
        _ id: String, _ state: StepState, attempt: Int? = nil, exitCode: Int32? = nil,
        outputs: [String: String]? = nil, reason: String? = nil
    ) -> JournalBuilder {
        appending(.step(id, state, attempt: attempt, exitCode: exitCode, outputs: outputs, reason: reason))
    }

    /// A step's whole successful attempt: `running`, then `succeeded` with exit code 0.
    public func succeeded(_ id: String, outputs: [String: String] = [:]) -> JournalBuilder {
        step(id, .running).step(id, .succeeded, exitCode: 0, outputs: outputs)
    }

    /// An operator command, accepted unless `refusal` is given.
    public func command(
        _ name: String, step: String? = nil, by user: String? = nil, comment: String? = nil, refusal: String? = nil
    ) -> JournalBuilder {
        appending(.command(name, step: step, user: user ?? self.user, comment: comment, accepted: refusal == nil, reason: refusal))
    }

    /// `run_halted`; `outcome` nil writes a halt as format 1 did, without outcome or compensation.
    public func halted(_ reason: String = "halted", outcome: RunOutcome?, compensate: Bool = false) -> JournalBuilder {
        var event = RunEvent(kind: .runHalted)
        event.reason = reason
        event.outcome = outcome
        if compensate { event.compensate = true }
        return appending(event)
    }

    /// `rollback_planned` for `steps`, dependents first; `chosen` is the step an operator picked.
    public func rollbackPlanned(_ steps: [String], chosen: String? = nil) -> JournalBuilder {
        var event = RunEvent(kind: .rollbackPlanned)
        event.steps = steps
        event.step = chosen
        return appending(event)
    }

    public func paused() -> JournalBuilder { appending(RunEvent(kind: .runPaused)) }

    public func resumed() -> JournalBuilder { appending(RunEvent(kind: .runResumed)) }

    /// `approval_timed_out` of a gate: escalated to `approvers`, or rejected without them.
    public func approvalTimedOut(_ step: String, escalatedTo approvers: [String]? = nil) -> JournalBuilder {
        var event = RunEvent(kind: .approvalTimedOut)
        event.step = step
        event.approvers = approvers
        return appending(event)
    }

    /// `run_reopened`: a resume took the run up.
    public func reopened(by user: String? = nil) -> JournalBuilder {
        var event = RunEvent(kind: .runReopened)
        event.user = user ?? self.user
        return appending(event)
    }

    /// `run_finished` with `outcome`.
    public func finished(_ outcome: RunOutcome, reason: String? = nil) -> JournalBuilder {
        var event = RunEvent(kind: .runFinished)
        event.outcome = outcome
        event.reason = reason
        return appending(event)
    }

    /// The fold of the events, as `JournalReader.fold` makes it.
    public func state() throws -> RunState {
        try JournalReader.fold(events)
    }

    /// The journal's bytes: one line per event, as the engine writes them.
    public var journalBytes: [UInt8] {
        events.flatMap { $0.jsonLine() + [0x0A] }
    }

    /// Writes a run directory: `workflow.yaml` with `workflowText` and `events.jsonl` with
    /// the events, followed by `tail` (a torn line, say).
    public func write(to directory: RunDirectory, workflowText: String, tail: [UInt8] = []) throws {
        try directory.create(workflowText: workflowText)
        try Data(journalBytes + tail).write(to: URL(fileURLWithPath: directory.eventsPath))
    }
}
