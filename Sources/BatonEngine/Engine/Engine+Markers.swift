/// The opening and closing lines of attempts and rollbacks in a step's log (see `AttemptMarker`).
///
/// Each is a `note`, written after the event it describes is durable; it reads the state
/// that event left, so the times and numbers it gives are the journal's.
extension Engine {
    /// Notes the opening of the attempt whose `running` event was just emitted. `previous` is
    /// the record before that event: what it was waiting in says what started the attempt.
    func noteAttemptOpened(_ index: Int, previous: StepRecord) {
        let step = workflow.steps[index]
        let record = state.steps[index]
        let cause: String
        if previous.state == .retrying {
            let delay = step.retry.delay(afterAttempt: max(1, record.attemptInSeries - 1))
            cause = "automatic retry after \(Self.describe(delay)) backoff"
        } else if let asked = previous.pendingReason {
            cause = asked
        } else {
            cause = state.user.isEmpty ? "the run's start" : "run started by \(state.user)"
        }
        let label = AttemptMarker.attemptLabel(attempt: record.attempt, inSeries: record.attemptInSeries, allowed: step.retry.attempts)
        note(index, AttemptMarker.opening(label, at: record.runningSince ?? state.lastEventAt ?? 0, cause: cause))
    }

    /// Notes the closing of the step's latest attempt, whose end was just emitted.
    func noteAttemptClosed(_ index: Int, _ ending: AttemptMarker.Ending, then next: String? = nil) {
        let record = state.steps[index]
        let label = AttemptMarker.shortLabel(attempt: record.attempt, inSeries: record.attemptInSeries)
        note(index, AttemptMarker.closing(label, ending, after: record.attemptSeconds, then: next))
    }

    /// Notes the opening of the rollback whose `rolling_back` event was just emitted.
    /// `previous` is the record before that event.
    func noteRollbackOpened(_ index: Int, previous: StepRecord) {
        let record = state.steps[index]
        let time = record.rollbackStartedAt ?? state.lastEventAt ?? 0
        note(index, AttemptMarker.opening(AttemptMarker.rollbackLabel, at: time, cause: rollbackCause(index, previous: previous)))
    }

    /// Notes the closing of the step's rollback, whose end was just emitted.
    func noteRollbackClosed(_ index: Int, _ ending: AttemptMarker.Ending) {
        let seconds = state.steps[index].rollbackTime(at: state.lastEventAt ?? 0) ?? 0
        note(index, AttemptMarker.closing(AttemptMarker.rollbackLabel, ending, after: seconds))
    }

    /// Who or what asked for a rollback: the latest of an operator's rollback of the step
    /// (or of a step it depends on), a rollback of the whole run, or a resume that runs a
    /// rollback cut short again; else the compensation a halt owed.
    private func rollbackCause(_ index: Int, previous: StepRecord) -> String {
        let covering = state.commands.last { command in
            guard command.accepted == true else { return false }
            if command.command == "rollback_run" { return true }
            guard command.command == "rollback", let chosen = command.step.flatMap({ state.index(of: $0) }) else { return false }
            return chosen == index || plan.descendants(of: chosen).contains(index)
        }
        // A command from before the step last succeeded asked for an earlier rollback.
        let current = covering.flatMap { $0.time >= (previous.finishedAt ?? 0) ? $0 : nil }
        if previous.state == .rollbackFailed, let resume = state.audit.last(where: { $0.action == "resume run" }),
           resume.seq > (current?.seq ?? 0) {
            return "again on resume by \(resume.user)"
        }
        guard let current else { return "compensation: \(state.haltReason ?? "the run halted")" }
        let user = current.user ?? "?"
        if current.command == "rollback_run" { return "run rolled back by \(user)" }
        if previous.state == .rollbackFailed { return "rollback retried by \(user)" }
        if current.step == workflow.steps[index].id { return "rollback requested by \(user)" }
        return "rollback of '\(current.step ?? "?")' requested by \(user)"
    }

    /// Closes, in the logs, the attempts and rollbacks that the previous Baton's death cut
    /// short: resume has just recorded them interrupted, cancelled or `rollback_failed`, and
    /// their log's last marker is still their opening. A log whose last marker is a closing
    /// needs nothing, so a step stopped by a live interrupt is never closed twice.
    ///
    /// The log is the judge because only the log knows whether the dead Baton wrote the closing.
    func closeMarkersCutShort() {
        guard let logs else { return }
        for (index, record) in state.steps.enumerated() {
            let rollback = record.state == .rollbackFailed
            guard rollback || (record.attempt > 0 && (record.state == .interrupted || record.state == .cancelled)) else { continue }
            let lines = StepLogStore.readLines(path: logs.path(for: record.id), stepID: record.id, maximumBytes: 64 * 1024)
            guard let last = lines.last(where: { $0.stream == .baton && AttemptMarker.isMarker($0.text) }),
                  AttemptMarker.isOpening(last.text) else { continue }
            // It ran at least until the journal's last word on it, and until its last output.
            let heard = lines.last?.time.timeIntervalSince1970 ?? 0
            if rollback {
                let start = record.rollbackStartedAt ?? heard
                let seconds = max(record.rollbackTime(at: state.lastEventAt ?? 0) ?? 0, heard - start)
                note(index, AttemptMarker.cutShort(AttemptMarker.rollbackLabel, "interrupted", atLeast: seconds))
            } else {
                let start = (record.finishedAt ?? heard) - record.attemptSeconds
                let label = AttemptMarker.shortLabel(attempt: record.attempt, inSeries: record.attemptInSeries)
                let what = record.state == .cancelled ? (record.reason ?? "cancelled") : "interrupted"
                note(index, AttemptMarker.cutShort(label, what, atLeast: max(record.attemptSeconds, heard - start)))
            }
        }
    }
}
