import BatonEngine
import Foundation

/// The commands with which another terminal acts on a live run (`baton approve`, `baton retry`,
/// …), spelt out for one run, so that a headless run with nobody at its terminal can say how to
/// take it on. Only what the rule book (`Plan.verdict`) allows now is listed.
struct RemoteActions: Sendable {
    /// How another terminal names the run: its id when `baton` finds it by id in the default
    /// state directory, or else its directory.
    let run: String
    private let plan: Plan

    /// The actions listed for a step that waits on someone, in the order they are listed.
    private static let stepActions: [OperatorAction] = [.retry, .rollback, .skip, .release]
    /// The actions listed for the whole run, after those of its steps.
    private static let runActions: [OperatorAction] = [.resumeRun, .rollbackRun, .cancelRun]

    /// Actions on run `runID`, recorded in `directory`, of `workflow` (the workflow as front
    /// ends show it, secrets masked: what is listed is printed).
    init(workflow: Workflow, runID: String, directory: RunDirectory) {
        plan = Plan(workflow: workflow)
        let byID = StateDirectory.resolve(override: nil).runDirectory(runID).path == directory.path
        run = byID ? runID : Self.shellWord(directory.path)
    }

    /// The command line that carries out `action` on `step` (nil: on the run), or nil when no
    /// `baton` verb does.
    func commandLine(_ action: OperatorAction, step: String?) -> String? {
        let verb: String
        switch action {
        case .approve: verb = "approve"
        case .reject: verb = "reject"
        case .retry: verb = "retry"
        case .skip: verb = "skip"
        case .cancel, .cancelRun: verb = "cancel"
        case .hold: verb = "hold"
        case .release: verb = "release"
        case .rollback, .rollbackRun: verb = "rollback"
        case .pause: verb = "pause"
        case .resumeRun: verb = "continue"
        case .suspend, .resumeStep: return nil
        }
        let comment = action == .approve || action == .reject ? " -m \"…\"" : ""
        guard action.isStepAction, let step else { return "baton \(verb) \(run)" }
        // A step id may begin with '-': after '--' it cannot be taken for an option.
        if step.hasPrefix("-") { return "baton \(verb)\(comment) \(run) -- \(step)" }
        return "baton \(verb) \(run) \(step)\(comment)"
    }

    /// What an open gate tells its approvers: the commands that decide it, who may, and when
    /// its timeout decides it instead; nil when the step is not a gate that waits.
    func gateNotice(_ step: String, in state: RunState) -> String? {
        guard let record = state[step], record.state == .waiting, let gate = plan.following(state).workflow[step]?.approval,
              let approve = commandLine(.approve, step: step), let reject = commandLine(.reject, step: step) else { return nil }
        // As the engine counts them: once escalated, those it escalated to may decide too.
        let approvers = record.escalatedTo.map { escalated in
            gate.approvers.isEmpty ? [] : gate.approvers + escalated.filter { !gate.approvers.contains($0) }
        } ?? gate.approvers
        var text = "gate '\(step)' waits for an approver (\(ApprovalGate.describe(approvers))): \(approve) approves it, \(reject) rejects it"
        if let deadline = gate.deadline(of: record) {
            let escalates = gate.onTimeout == .escalate && record.escalatedTo == nil && !gate.escalateTo.isEmpty
            text += escalates
                ? "; undecided, it escalates to \(ApprovalGate.describe(gate.escalateTo)) at \(ProgressPrinter.clock(deadline))"
                : "; undecided, it is rejected at \(ProgressPrinter.clock(deadline))"
        }
        return ProgressPrinter.printable(text)
    }

    /// The commands that act on `state` now, one line each with what it does, for the steps
    /// that wait on someone (open gates too when `includingGates`) and then for the run.
    func lines(for state: RunState, includingGates: Bool) -> [String] {
        var entries: [(command: String, effect: String)] = []
        let plan = plan.following(state)
        for (index, record) in state.steps.enumerated() {
            let actions: [OperatorAction]
            if record.state == .waiting {
                guard includingGates else { continue }
                actions = [.approve, .reject]
            } else {
                guard OperatorPrompt.situation(of: record, continuesOnError: plan.workflow.steps[index].continueOnError) != nil else { continue }
                actions = Self.stepActions
            }
            for action in actions {
                guard case .allowed(let effect) = plan.verdict(on: action, step: index, in: state),
                      let command = commandLine(action, step: record.id) else { continue }
                entries.append((command, effect))
            }
        }
        for action in Self.runActions {
            guard case .allowed(let effect) = plan.verdict(on: action, step: 0, in: state),
                  let command = commandLine(action, step: nil) else { continue }
            entries.append((command, effect))
        }
        let width = entries.map(\.command.count).max() ?? 0
        return entries.map { entry in
            "  " + entry.command + String(repeating: " ", count: width - entry.command.count) + "   " + ProgressPrinter.printable(entry.effect)
        }
    }

    /// `text` as one shell word: as it is when it holds only characters no shell treats
    /// specially, or else in single quotes.
    static func shellWord(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "/._-+:@%=,".unicodeScalars.contains(scalar))
        }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
