/// Recovery on resume: what an attempt on another machine left when Baton stopped.
extension Engine {
    /// Asks the executor of step `index` to find and stop what the attempt (or rollback) whose
    /// start recorded `handle` left running, and notes in the step's log what it found. It does
    /// not hold the resume up: a remote host may be slow to answer, or down.
    func recoverAttempt(_ index: Int, handle: String?, purpose: ExecutionJob.Purpose) {
        guard let handle else { return }
        let (job, executor) = prepare(index, purpose: purpose, attempt: state.steps[index].attempt)
        guard executor.capabilities.contains(.recovery) else { return }
        recoveries.append(Task { [weak self] in
            guard let message = await executor.recover(handle: handle, of: job) else { return }
            await self?.note(index, message)
        })
    }
}
