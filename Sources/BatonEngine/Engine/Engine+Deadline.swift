/// The run's deadline: the workflow's `timeout:`, counted from the run's start on the engine's
/// clock, across resumes.
extension Engine {
    /// Arms the deadline timer, if the workflow has one; a deadline already past fires at once.
    func armDeadline() {
        deadlineTimer?.cancel()
        guard let timeout = workflow.timeout, !state.isFinished, let startedAt = state.startedAt else { return }
        let clock = configuration.clock
        let left = max(0, timeout.inSeconds - (clock.now - startedAt))
        deadlineTimer = Task { [weak self] in
            do { try await clock.sleep(for: .microseconds(Int64((left * 1e6).rounded()))) } catch { return }
            await self?.deadlinePassed()
        }
    }

    /// Stops the run at its deadline: it halts to end failed, its running steps are stopped
    /// and its open gates cancelled; its finally steps still run.
    func deadlinePassed() {
        deadlineTimer = nil
        guard !state.isFinished, let timeout = workflow.timeout else { return }
        let reason = "deadline: the run took longer than its timeout of \(DurationFormatter.format(timeout))"
        if state.haltReason == nil {
            halt(reason, outcome: .failed)
        } else if state.haltOutcome == .interrupted {
            return
        }
        for (index, record) in state.steps.enumerated() where !workflow.steps[index].isFinally {
            if record.hasActiveRun(executions[index]) {
                if var active = executions[index], active.stopReason == nil {
                    active.stopReason = .cancelled(by: "the run's deadline")
                    executions[index] = active
                    stop(index)
                }
            } else if record.state == .waiting {
                emit(.step(record.id, .cancelled, reason: reason))
            }
        }
        schedule()
    }
}
