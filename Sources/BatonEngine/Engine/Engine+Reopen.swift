/// Resume's repair of a journal that ends between an operator's decision and its effects.
///
/// An accepted command is recorded before what it does, so Baton can stop between the two:
/// the command is then the journal's last event, or a gate's decision is folded while the
/// gate still waits. The audit trail says the operator was answered; resume carries it out.
extension Engine {
    /// The accepted command that is the journal's last event, whose effects were therefore
    /// never recorded; nil if the journal ends otherwise.
    func commandWithoutEffects() -> RunEvent? {
        guard let last = state.commands.last, last.seq == state.lastSeq, last.accepted == true else { return nil }
        return last
    }

    /// Carries out a command whose effects were not recorded, as the command would have: a
    /// cancel or a rollback of the whole run, a pause, a step's cancel or rollback. Commands
    /// whose loss lets less happen (retry, skip, release, resume) are left for the operator.
    func finishUnrecordedCommand(_ command: RunEvent) {
        let user = command.user ?? "?"
        let index = command.step.flatMap { state.index(of: $0) }
        switch command.command {
        case "pause":
            if !state.isPaused { emit(RunEvent(kind: .runPaused)) }
        case "cancel":
            // A running step's cancel is finished with the steps Baton was running.
            guard let index, let id = command.step, StepTransitions.allows(state.steps[index].state, .cancelled),
                  state.steps[index].cancelRequestedBy != nil else { break }
            emit(.step(id, .cancelled, reason: "cancelled by \(user)"))
        case "rollback":
            guard let index, let id = command.step else { break }
            if state.steps[index].state == .rollbackFailed {
                // Its rollback is retried: write-ahead, it had not started again.
                startRollback(index)
            } else if state.steps[index].state == .succeeded && !state.pendingRollback.contains(id) {
                var event = RunEvent(kind: .rollbackPlanned)
                event.step = id
                event.steps = rollbackPreview(id)
                emit(event)
            }
        case "cancel_run":
            // The steps are cancelled with the other steps of a run halted to be cancelled.
            rehalt("run cancelled by \(user)", outcome: .cancelled)
        case "rollback_run":
            rehalt("run rolled back by \(user)", outcome: .failed, compensate: true)
            for record in state.steps where [.pending, .held, .waiting, .interrupted].contains(record.state) {
                emit(.step(record.id, .cancelled, reason: "run rolled back by \(user)"))
            }
        default:
            break
        }
    }

    /// Finishes what the dead Baton recorded but did not carry through: first the logs of
    /// the attempts its death cut short get their closing lines (`closeMarkersCutShort`),
    /// then gate decisions that were recorded while their gates still wait are carried out:
    /// an approved gate goes on, a rejected one fails under the workflow's `on_failure`.
    func carryOutRecordedDecisions() {
        // Here because resume calls this right after it recorded those attempts' ends.
        closeMarkersCutShort()
        for (index, record) in state.steps.enumerated() where record.state == .waiting {
            guard let decision = record.approval else { continue }
            let step = workflow.steps[index]
            let comment = decision.comment.map { $0.isEmpty ? "" : ": \($0)" } ?? ""
            if decision.approved {
                emit(.step(step.id, step.isPureGate ? .succeeded : .pending, reason: "approved by \(decision.user)\(comment)"))
            } else {
                emit(.step(step.id, .failed, reason: "rejected by \(decision.user)\(comment)"))
                applyFailurePolicy(failed: step.id)
            }
        }
    }
}
