import Foundation

/// Approval policy: who may decide a gate, segregation of duties, and gates that time out.
extension Engine {
    /// Why `user` may not decide the gate of step `index` now, or nil when they may.
    ///
    /// The rules, in order: the step must be a gate that waits; then `ApprovalPolicy`: the user
    /// must be named by its approvers (or by whom it escalated to), and with
    /// `self_approval: false`, the user who started the run may reject but not approve.
    func gateRefusal(_ index: Int, verb: String, user: String) -> CommandResult? {
        if let refusal = openGateRefusal(index, verb: verb) { return refusal }
        return approvalPolicy.refusal(index, verb: verb, user: user, in: state).map { .refused($0) }
    }

    /// Why the gate of step `index` cannot be decided by anyone now (the run has finished, the
    /// step has no gate, or it does not wait), or nil when it waits for a decision.
    func openGateRefusal(_ index: Int, verb: String) -> CommandResult? {
        if case .refused(let reason, _) = plan.verdict(on: verb == "approve" ? .approve : .reject, step: index, in: state) {
            return .refused(reason)
        }
        return nil
    }

    /// The approval rule for this run's workflow and user directory.
    var approvalPolicy: ApprovalPolicy { ApprovalPolicy(workflow: workflow, directory: configuration.directory) }

    /// Who may decide the gate of step `index` now: its approvers, and whom it escalated to.
    /// Empty means anyone.
    func approversInForce(_ index: Int) -> [String] {
        approvalPolicy.approversInForce(index, in: state)
    }

    /// Starts the timer of the gate of step `index`, if it has a timeout, for its current wait.
    ///
    /// The deadline counts from the recorded start of the wait, so a resumed run keeps the
    /// deadline its gate had, and a gate whose time ran out while Baton was down times out at once.
    func armGateTimer(_ index: Int) {
        gateTimers.removeValue(forKey: index)?.cancel()
        let record = state.steps[index]
        guard let deadline = workflow.steps[index].approval?.deadline(of: record), let since = record.waitingSince else { return }
        let clock = configuration.clock
        // Rounded to the microsecond: the floating-point error of times since 1970 (well under
        // a microsecond) must not add a millisecond to the wait.
        let delay = Duration.microseconds(Int64((max(0, deadline - clock.now) * 1e6).rounded()))
        gateTimers[index] = Task { [weak self] in
            do { try await clock.sleep(for: delay) } catch { return }
            await self?.gateTimedOut(index, waitingSince: since)
        }
    }

    /// Rejects or escalates a gate whose time ran out, unless it was decided meanwhile.
    private func gateTimedOut(_ index: Int, waitingSince since: Double) {
        gateTimers.removeValue(forKey: index)
        let record = state.steps[index]
        guard !state.isFinished, record.state == .waiting, record.waitingSince == since,
              let gate = workflow.steps[index].approval, let timeout = gate.timeout else { return }
        let id = workflow.steps[index].id
        let waited = DurationFormatter.format(timeout)
        var event = RunEvent(kind: .approvalTimedOut)
        event.step = id
        if gate.onTimeout == .escalate && record.escalatedTo == nil && !gate.escalateTo.isEmpty {
            event.reason = "no decision within \(waited)"
            event.approvers = gate.escalateTo
            emit(event)
            let who = ApprovalGate.describe(approversInForce(index))
            note(index, "no decision within \(waited): escalated; \(who) may decide it for another \(waited)")
            armGateTimer(index)
            // The escalation ended the recorded wait: the run records that it waits again.
            schedule()
            return
        }
        let total = record.escalatedTo == nil ? waited : "\(waited) and \(waited) more after escalating"
        event.reason = "no decision within \(total)"
        emit(event)
        emit(.step(id, .failed, reason: "rejected by timeout: no decision within \(total)"))
        note(index, "no decision within \(total): the gate is rejected")
        applyFailurePolicy(failed: id)
        schedule()
    }
}
