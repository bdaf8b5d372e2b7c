import BatonEngine

/// Describes one journal event in a few words, for the replay's status line.
public enum ReplayEventText {
    /// The description, with reasons and comments (which may quote a step's output) escaped.
    public static func describe(_ event: RunEvent) -> String {
        VisibleText.escape(words(event))
    }

    private static func words(_ event: RunEvent) -> String {
        switch event.kind {
        case .runStarted: return "the run started (\(event.steps?.count ?? 0) steps, concurrency \(event.concurrency ?? 1))"
        case .step:
            let id = event.step ?? "?"
            let state = event.state?.rawValue ?? "?"
            let reason = event.reason.map { ": \($0)" } ?? ""
            return "'\(id)' \(state)\(reason)"
        case .command:
            let verdict = event.accepted == true ? "accepted" : "refused\(event.reason.map { ": \($0)" } ?? "")"
            let target = event.step.map { " '\($0)'" } ?? ""
            let comment = event.comment.map { " (\"\($0)\")" } ?? ""
            return "\(event.user ?? "?") asked to \(event.command ?? "?")\(target)\(comment): \(verdict)"
        case .runPaused: return "\(event.user ?? "an operator") paused the run"
        case .runResumed: return "\(event.user ?? "an operator") resumed the run"
        case .runHalted: return "the run halted: \(event.reason ?? "")"
        case .rollbackPlanned: return "rollback planned: \((event.steps ?? []).joined(separator: " → "))"
        case .runFinished: return "the run finished: \(event.outcome?.words ?? "?")"
        case .runReopened:
            if let previous = event.outcome, !previous.isUnfinished {
                return "\(event.user ?? "?") reopened the \(previous.words) run to \(event.comment ?? "act on it")"
            }
            return "\(event.user ?? "?") resumed the run"
        case .runWaiting:
            return "the run waits for an operator: \((event.reasons ?? []).joined(separator: "; "))"
        case .fanOutExpanded:
            let count = event.steps?.count ?? 0
            return "'\(event.step ?? "?")' fanned out to \(count) instance\(count == 1 ? "" : "s")"
        case .approvalTimedOut:
            let id = event.step ?? "?"
            let why = event.reason ?? "no decision in time"
            if let approvers = event.approvers { return "'\(id)' escalated to \(ApprovalGate.describe(approvers)): \(why)" }
            return "'\(id)' timed out: \(why)"
        }
    }
}
