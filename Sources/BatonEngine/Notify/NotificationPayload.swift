import Foundation

/// The JSON document a `notify:` command reads on its stdin: one event of a run, with what a
/// person needs to act on it. docs/workflow-format.md lists its fields.
struct NotificationPayload: Encodable, Sendable {
    /// The step an event is about.
    struct StepReference: Encodable, Sendable {
        var id: String
        var name: String
    }

    var event: NotificationEvent
    var runID: String
    var workflow: String
    var step: StepReference?
    /// The step's state after the event (`waiting`, `failed`, `rollback_failed`).
    var state: String?
    /// How the run ended, for `run_finished`.
    var outcome: RunOutcome?
    var exitCode: Int32?
    /// When the event was recorded, ISO 8601 in UTC.
    var time: String
    var reason: String?
    var comment: String?
    /// One line for a person: what happened and the command to see it.
    var text: String
    /// The command that shows the run: `baton attach RUN`, or for a run that ended
    /// `baton resume RUN` or `baton replay RUN`.
    var hint: String
    var runDirectory: String?

    enum CodingKeys: String, CodingKey {
        case event, workflow, step, state, outcome, time, reason, comment, text, hint
        case runID = "run_id"
        case exitCode = "exit_code"
        case runDirectory = "run_directory"
    }

    /// The longest reason or comment passed on, in characters: the document always fits a
    /// pipe's buffer, so writing it never waits for the command to read.
    static let textLimit = 2_000

    /// What `notify:` says of `event`, or nil when it is not one of the `NotificationEvent`s.
    init?(event: RunEvent, run: NotificationRun) {
        let kind: NotificationEvent
        switch (event.kind, event.state) {
        case (.step, .waiting?): kind = .gateOpened
        // An escalation opens the gate again, to other approvers.
        case (.approvalTimedOut, _) where event.approvers != nil: kind = .gateOpened
        case (.step, .failed?): kind = .stepFailed
        case (.step, .rollbackFailed?): kind = .rollbackFailed
        case (.runFinished, _): kind = .runFinished
        default: return nil
        }
        self.event = kind
        runID = run.runID
        workflow = run.workflowName
        if kind != .runFinished, let id = event.step {
            step = StepReference(id: id, name: run.stepNames[id] ?? id)
            state = event.state?.rawValue ?? StepState.waiting.rawValue
            exitCode = event.exitCode
        }
        outcome = event.outcome
        time = Date(timeIntervalSince1970: event.time).ISO8601Format()
        var why = event.reason
        if event.kind == .approvalTimedOut, let approvers = event.approvers {
            why = "\(why ?? "no decision"): escalated to \(ApprovalGate.describe(approvers))"
        }
        reason = why.map { Self.bounded(run.redactor.redact($0)) }
        comment = event.comment.map { Self.bounded(run.redactor.redact($0)) }
        runDirectory = run.runDirectory
        switch kind {
        case .runFinished where event.outcome?.isUnfinished == true: hint = "baton resume \(run.runID)"
        case .runFinished: hint = "baton replay \(run.runID)"
        default: hint = "baton attach \(run.runID)"
        }
        let name = step.map { "'\($0.name)'" } ?? ""
        let because = reason.map { ": \($0)" } ?? ""
        let summary: String
        switch kind {
        case .gateOpened where event.kind == .approvalTimedOut: summary = "\(name) still waits for approval\(because)"
        case .gateOpened: summary = "\(name) is \(reason ?? "waiting for approval")"
        case .stepFailed: summary = "\(name) failed\(because)"
        case .rollbackFailed: summary = "the rollback of \(name) failed\(because)"
        case .runFinished: summary = "run \(run.runID) \(event.outcome?.words ?? "finished")\(because)"
        }
        text = "\(run.workflowName): \(summary) — \(hint)"
    }

    /// The document as one line of JSON.
    func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    private static func bounded(_ text: String) -> String {
        text.count <= textLimit ? text : String(text.prefix(textLimit)) + "…"
    }
}
