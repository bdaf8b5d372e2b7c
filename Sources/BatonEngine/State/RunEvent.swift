import Foundation

/// One entry of a run's journal: a fact that changed the run's state.
///
/// The journal is a flat list of these, one JSON object per line. A run's state is a pure
/// fold over them (`RunState.apply`), which is how the live engine, resume, replay and the
/// audit trail agree.
public struct RunEvent: Sendable, Hashable, Codable {
    /// What kind of fact an event records.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The run began: `format`, `runID`, `workflow`, `user`, `steps` and `concurrency` are
        /// set, and `definitionDigest` and `definitionParts` when the definition was stored with the run.
        case runStarted = "run_started"
        /// A step moved to `state`; `attempt`, `exitCode`, `outputs` and `reason` may be set.
        case step
        /// An operator command, accepted or refused: `command`, `user`, `accepted`, and
        /// `step`, `comment`, `reason` where they apply. A gate nobody can be asked about is
        /// rejected by Baton itself: a `reject` by the user `baton`, the reason as `comment`.
        case command
        case runPaused = "run_paused"
        case runResumed = "run_resumed"
        /// The run stops starting new steps (on_failure stop or rollback, a cancel, an
        /// interrupt); `reason` says why, `outcome` how the run will end once nothing runs, and
        /// `compensate` whether every succeeded step is then to be rolled back. A later
        /// `run_halted` of a halted run changes the outcome or the compensation it owes.
        case runHalted = "run_halted"
        /// Steps to roll back, in `steps`, dependents first; `step` is the step the operator chose, if any.
        case rollbackPlanned = "rollback_planned"
        /// The run ended with `outcome`.
        case runFinished = "run_finished"
        /// Nobody decided the gate `step` in time. With `approvers`, it escalated to them and
        /// stays open; without, it is rejected (a `step` event to `failed` follows).
        case approvalTimedOut = "approval_timed_out"
        /// `user` took the run up again: `baton resume` of a run that was interrupted, whose
        /// process died or that ended waiting for an operator; or an operator's retry, skip or
        /// rollback of a finished run, which `outcome` (how it had ended) and `comment` (why) record.
        case runReopened = "run_reopened"
        /// Nothing runs and nothing can start until a person acts: `steps` are the steps
        /// involved and `reasons` say, a clause each, what the run waits on.
        case runWaiting = "run_waiting"
        /// The fan-out step `step`, whose `for_each:` reads another step's output, made its
        /// instances: their ids in `steps`, each one's item in `items`. The step succeeds.
        case fanOutExpanded = "fan_out_expanded"
    }

    /// Position in the journal, from 1, without gaps.
    public var seq: Int
    /// Seconds since 1970, to the millisecond.
    public var time: Double
    public var kind: Kind
    public var step: String?
    public var state: StepState?
    public var attempt: Int?
    public var exitCode: Int32?
    public var outputs: [String: String]?
    public var reason: String?
    public var command: String?
    public var user: String?
    public var comment: String?
    public var accepted: Bool?
    public var runID: String?
    public var workflow: String?
    public var steps: [String]?
    public var concurrency: Int?
    public var outcome: RunOutcome?
    /// On `approval_timed_out`: whom the gate escalated to.
    public var approvers: [String]?
    /// On `run_started`: every step is played by the simulated executor (`--simulate`).
    public var simulated: Bool?
    /// On `run_started`: the version of the journal's format (`formatVersion`). Journals
    /// written before versions were recorded have none and are version 1.
    public var format: Int?
    /// On `run_halted`: whether the run owes the rollback of every succeeded step.
    public var compensate: Bool?
    /// On `run_waiting`: what the run waits on, a clause per reason.
    public var reasons: [String]?
    /// On `fan_out_expanded`: each instance's item, in the order of `steps`.
    public var items: [String]?
    /// On a step event to `running` or `rolling_back`: where the attempt runs, as its executor
    /// names it (the SSH executor: `web1:/tmp/baton.<random>`), recorded before it starts so
    /// that a resume can have the executor find what it left.
    public var handle: String?

    /// On `run_started`: the SHA-256 of the stored `workflow.yaml`; `baton resume` refuses a
    /// run whose stored definition no longer has it (see `DefinitionFingerprint`).
    public var definitionDigest: String?
    /// On `run_started`: short digests of each top-level setting and each step's fields, to
    /// name what an edit of the stored definition changed.
    public var definitionParts: DefinitionParts?
    /// On `run_started`: the run's parameters (`RunParameters.journaled`: a given secret's
    /// value masked, a secret left at its default left out).
    public var params: [String: String]?

    /// The journal format this Baton writes. Version 2 added `format` and the definition's
    /// digests on `run_started`, and `outcome` and `compensate` on `run_halted`. Version 3
    /// added `run_waiting`, the outcomes `rolled_back`, `rollback_failed` and
    /// `waiting_for_operator`, and `run_reopened` after a finished run. Version 4 added
    /// `params` on `run_started`, a pending step that fails without running (a `when:` that
    /// cannot be evaluated), and a retrying step that fails when `retry.max_duration` has passed.
    /// Version 5 added `fan_out_expanded`, and `handle` on a step's start. Baton reads every
    /// version up to this one.
    public static let formatVersion = 5

    public init(seq: Int = 0, time: Double = RunEvent.now(), kind: Kind) {
        self.seq = seq
        self.time = time
        self.kind = kind
    }

    /// The current time, rounded to the millisecond as the journal stores it.
    public static func now() -> Double {
        time(at: Date().timeIntervalSince1970)
    }

    /// A time in seconds since 1970, rounded to the millisecond as the journal stores it.
    public static func time(at seconds: Double) -> Double {
        (seconds * 1000).rounded() / 1000
    }

    /// The event's time as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: time) }

    enum CodingKeys: String, CodingKey {
        case seq, time, kind, step, state, attempt, outputs, reason, command, user, comment, accepted, approvers
        case exitCode = "exit_code"
        case runID = "run_id"
        case workflow, steps, concurrency, outcome, simulated, format, compensate, reasons, items, handle
        case definitionDigest = "definition_digest"
        case definitionParts = "definition_parts"
        case params
    }
}

extension RunEvent {
    /// A step state change.
    public static func step(
        _ step: String, _ state: StepState, attempt: Int? = nil, exitCode: Int32? = nil,
        outputs: [String: String]? = nil, reason: String? = nil
    ) -> RunEvent {
        var event = RunEvent(kind: .step)
        event.step = step
        event.state = state
        event.attempt = attempt
        event.exitCode = exitCode
        event.outputs = outputs
        event.reason = reason
        return event
    }

    /// The instances a dynamic fan-out made.
    public static func fanOutExpanded(_ expansion: FanOutExpansion) -> RunEvent {
        var event = RunEvent(kind: .fanOutExpanded)
        event.step = expansion.group
        event.steps = expansion.instances
        event.items = expansion.items
        return event
    }

    /// The record of an operator command.
    public static func command(
        _ name: String, step: String? = nil, user: String, comment: String? = nil, accepted: Bool, reason: String? = nil
    ) -> RunEvent {
        var event = RunEvent(kind: .command)
        event.command = name
        event.step = step
        event.user = user
        event.comment = comment
        event.accepted = accepted
        event.reason = reason
        return event
    }
}
