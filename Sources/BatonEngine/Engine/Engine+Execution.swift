import Foundation

extension Engine {
    /// Moves a step to `running` with its next attempt and launches it.
    ///
    /// The attempt's opening line goes into the log before anything the process prints.
    func startAttempt(_ index: Int) {
        let step = workflow.steps[index]
        let record = state.steps[index]
        let attempt = record.attempt + 1
        let inSeries = attempt - record.attemptBase
        let total = step.retry.attempts
        let (job, executor) = prepare(index, purpose: .run, attempt: attempt)
        var event = RunEvent.step(step.id, .running, attempt: attempt, reason: total > 1 ? "attempt \(inSeries) of \(total)" : nil)
        event.handle = job.handle
        emit(event)
        noteAttemptOpened(index, previous: record)
        launch(index, job: job, executor: executor)
    }

    /// Moves a succeeded step to `rolling_back` and runs its rollback command.
    func startRollback(_ index: Int) {
        let step = workflow.steps[index]
        let record = state.steps[index]
        let undoes = step.rollback != nil || step.simulate != nil
        let (job, executor) = prepare(index, purpose: .rollback, attempt: record.attempt)
        var event = RunEvent.step(step.id, .rollingBack, reason: "undoing: \(step.rollback ?? "nothing to undo")")
        if undoes { event.handle = job.handle }
        emit(event)
        noteRollbackOpened(index, previous: record)
        guard undoes else {
            emit(.step(step.id, .rolledBack, reason: "nothing to undo"))
            note(index, "\(AttemptMarker.rollbackLabel) ended: no rollback command, nothing to undo")
            return
        }
        launch(index, job: job, executor: executor)
    }

    /// The job of an attempt or rollback of step `index`, with the executor that runs it and
    /// the handle it named for it (to be journaled before it starts).
    func prepare(_ index: Int, purpose: ExecutionJob.Purpose, attempt: Int) -> (ExecutionJob, any StepExecutor) {
        let step = workflow.steps[index]
        var job = ExecutionJob(
            stepID: step.id, attempt: attempt, purpose: purpose,
            command: purpose == .run ? step.run : step.rollback,
            environment: environment(for: index, attempt: attempt),
            directory: step.dir,
            outputFile: "\(outputsDirectory)/\(step.id).\(attempt)\(purpose == .rollback ? ".rollback" : "").env",
            simulation: step.simulate)
        job.keepWhole = redactor.searchedTexts
        let kind = ExecutorKind.of(step, simulatesEverything: configuration.simulatesEverything)
        if kind == .ssh, let name = step.host {
            let host = workflow.inventory.host(name)
            job.remote = RemoteTarget(
                name: name, destination: host?.destination ?? name, port: host?.port, sshConfig: workflow.inventory.sshConfig)
        }
        let executor = configuration.executor(kind)
        job.handle = executor.newHandle(for: job)
        return (job, executor)
    }

    private func launch(_ index: Int, job: ExecutionJob, executor: any StepExecutor) {
        let attempt = job.attempt
        let purpose = job.purpose
        let step = workflow.steps[index]
        let control = ExecutionControl()
        let sink = outputSink()
        var active = ActiveExecution(attempt: attempt, purpose: purpose, control: control, launch: LaunchTicket())
        if purpose == .run, let timeout = step.timeout {
            let clock = configuration.clock
            active.timeoutTask = Task { [weak self] in
                do { try await clock.sleep(for: timeout) } catch { return }
                await self?.timeoutElapsed(index, attempt: attempt, after: timeout)
            }
        }
        executions[index] = active
        let ticket = active.launch
        let prepared = job
        // Called on the journal's writer thread once the start is durable. It goes through the
        // notes' queue, behind the line that opens the attempt in the log, so the process's
        // first output follows it; the execution runs detached from there, never waiting on
        // the actor.
        let notes = self.notes
        let begin: @Sendable () -> Void = { [weak self] in
            let engine = self
            notes.async {
                guard ticket.claim() else { return }
                Task.detached {
                    let result = await executor.execute(prepared, control: control, output: sink)
                    await engine?.executionEnded(index, attempt: attempt, purpose: purpose, result: result)
                }
            }
        }
        // Write-ahead: the process starts only once the event recording its start is on disk.
        if recordingFailure != nil || !afterDurable(begin) {
            // The start can never be recorded, so it never happens.
            abandonLaunch(index)
        }
    }

    /// Gives up an execution whose process never started: its start could not be recorded,
    /// or it was stopped before its start was durable. Returns false if it had started.
    @discardableResult
    func abandonLaunch(_ index: Int, reason: String = "never started: the run could not be recorded") -> Bool {
        guard let active = executions[index], active.launch.abandon() else { return false }
        active.timeoutTask?.cancel()
        executions[index] = nil
        // Said where the journal still takes events (a step's log failed, not the journal).
        let step = workflow.steps[index].id
        if active.purpose == .run {
            emit(.step(step, .interrupted, reason: reason))
            noteAttemptClosed(index, .finished(.notStarted))
        } else {
            emit(.step(step, .rollbackFailed, reason: "the rollback \(reason)"))
            noteRollbackClosed(index, .finished(.notStarted))
        }
        return true
    }

    /// The variables a step sees on top of Baton's own environment.
    ///
    /// A step inside a called workflow (`uses:`) sees its own workflow's side of the call: the
    /// called file's `env:` (the loader put it below the step's own), the outputs of the steps
    /// of its own file that it needs and of the calls those make, by the ids its file gives
    /// them, and its call's parameters. The steps around a call see only what the call declares
    /// under `outputs:`.
    func environment(for index: Int, attempt: Int) -> [String: String] {
        let step = workflow.steps[index]
        var environment = workflow.env
        for (key, value) in step.env { environment[key] = value }
        let scope = step.enclosingCalls.last.flatMap { workflow.call($0) }
        for need in plan.needs[index] {
            let upstream = state.steps[need]
            guard workflow.steps[need].enclosingCalls == step.enclosingCalls else { continue }
            for (key, value) in upstream.outputs {
                environment[Self.outputVariable(step: workflow.steps[need].localID, key: key)] = value
            }
        }
        if !workflow.calls.isEmpty {
            for (call, outputs) in workflow.callOutputs(forNeeds: plan.needs[index], outputs: publishedOutputs)
            where workflow.call(call)?.parent == step.enclosingCalls.last {
                let name = scope?.localID(of: call) ?? call
                for (key, value) in outputs { environment[Self.outputVariable(step: name, key: key)] = value }
            }
        }
        let parameters = workflow.parameterEnvironment(for: step, runParameters: configuration.parameters, outputs: publishedOutputs)
        for (name, value) in parameters { environment[name] = value }
        if step.isFinally { environment["BATON_RUN_OUTCOME"] = plan.outcomeSoFar(in: state).rawValue }
        // A gate's own command reads the values its approver gave as its dependents will.
        for (key, value) in state.steps[index].approval?.values ?? [:] {
            environment[Self.outputVariable(step: step.localID, key: key)] = value
        }
        environment["BATON_RUN_ID"] = runID
        environment["BATON_STEP"] = step.id
        environment["BATON_ATTEMPT"] = String(attempt)
        return environment
    }

    /// The outputs the step with full id `id` published; none for an unknown id.
    private func publishedOutputs(_ id: String) -> [String: String] {
        workflow.position(of: id).map { state.steps[$0].outputs } ?? [:]
    }

    /// The environment variable that carries an upstream output: `STEPS_<STEP>_OUTPUTS_<KEY>`.
    public nonisolated static func outputVariable(step: String, key: String) -> String {
        StepOutputFile.variableName(step: step, key: key)
    }

    func timeoutElapsed(_ index: Int, attempt: Int, after timeout: Duration) {
        guard var active = executions[index], active.attempt == attempt, active.purpose == .run, active.stopReason == nil else { return }
        active.stopReason = .timedOut(timeout)
        executions[index] = active
        note(index, "timed out after \(Self.describe(timeout)); stopping the process group")
        stop(index)
    }

    /// Sends SIGTERM to a step's group (waking it if suspended) and SIGKILL after the grace period.
    ///
    /// An execution whose start is not yet durable never starts: it ends at once, as its
    /// stop reason says, without its command ever running.
    func stop(_ index: Int) {
        guard var active = executions[index] else { return }
        if active.launch.abandon() {
            active.timeoutTask?.cancel()
            // It ends in a turn of its own, as a process that ended would: the caller may be
            // stopping several steps in one go.
            let (attempt, purpose) = (active.attempt, active.purpose)
            Task { [weak self] in
                let result = ExecutionResult(termination: .notStarted, failureReason: "stopped before it started")
                await self?.executionEnded(index, attempt: attempt, purpose: purpose, result: result)
            }
            return
        }
        let control = active.control
        control.send(.terminate)
        control.send(.resume)
        let grace = configuration.cancelGracePeriod
        let clock = configuration.clock
        active.killTask = Task {
            do { try await clock.sleep(for: grace) } catch { return }
            control.send(.kill)
        }
        executions[index] = active
    }

    func executionEnded(_ index: Int, attempt: Int, purpose: ExecutionJob.Purpose, result: ExecutionResult) {
        batchingJournal { recordEnd(index, attempt: attempt, purpose: purpose, result: result) }
    }

    private func recordEnd(_ index: Int, attempt: Int, purpose: ExecutionJob.Purpose, result: ExecutionResult) {
        guard let active = executions[index], active.attempt == attempt, active.purpose == purpose else { return }
        executions[index] = nil
        active.timeoutTask?.cancel()
        active.killTask?.cancel()
        let step = workflow.steps[index]
        if let problem = result.failureReason { note(index, problem) }
        if let problem = result.outputProblem { note(index, "\(problem); the step's outputs were not taken") }
        if purpose == .rollback {
            if result.succeeded {
                emit(.step(step.id, .rolledBack, exitCode: result.exitCode, reason: "rolled back"))
            } else {
                emit(.step(step.id, .rollbackFailed, exitCode: result.exitCode, reason: "rollback \(Self.describe(result))"))
            }
            noteRollbackClosed(index, .finished(result.termination))
            schedule()
            return
        }
        switch active.stopReason {
        case .cancelled(let user):
            emit(.step(step.id, .cancelled, exitCode: result.exitCode, reason: "cancelled by \(user)"))
            noteAttemptClosed(index, .stopped("cancelled by \(user)", result.termination))
        case .interrupted(let user):
            emit(.step(step.id, .interrupted, exitCode: result.exitCode, reason: "interrupted by \(user) while it ran"))
            noteAttemptClosed(index, .stopped("interrupted by \(user)", result.termination))
        case .timedOut(let timeout):
            attemptFailed(index, result: result, reason: "timed out after \(Self.describe(timeout))",
                          ending: .stopped("timed out", result.termination))
        case nil:
            if result.succeeded {
                // A gate's approval values are among its outputs; what its command wrote wins.
                let approved = state.steps[index].approval?.values ?? [:]
                let outputs = approved.isEmpty ? result.outputs : approved.merging(result.outputs) { $1 }
                emit(.step(step.id, .succeeded, exitCode: 0, outputs: outputs))
                noteAttemptClosed(index, .finished(result.termination))
            } else {
                attemptFailed(index, result: result, reason: Self.describe(result), ending: .finished(result.termination))
            }
        }
        schedule()
    }

    /// Records a failed attempt: a retry after its backoff while the series allows one, else
    /// the step's failure. The attempt's closing line follows the event.
    private func attemptFailed(_ index: Int, result: ExecutionResult, reason: String, ending: AttemptMarker.Ending) {
        let step = workflow.steps[index]
        let record = state.steps[index]
        let inSeries = record.attemptInSeries
        var reason = reason
        if inSeries < step.retry.attempts && state.haltReason == nil && recordingFailure == nil {
            let delay = step.retry.delay(afterAttempt: inSeries)
            if let refusal = retryRefusal(index, exitCode: result.exitCode, delay: delay) {
                reason += "; \(refusal)"
            } else {
                scheduleRetry(index, after: delay, result: result, reason: reason, ending: ending)
                return
            }
        }
        failForGood(index, exitCode: result.exitCode, reason: reason)
        noteAttemptClosed(index, ending)
        if !step.continueOnError { applyFailurePolicy(failed: step.id) }
    }

    /// Records a failed attempt's retry, to start once `delay` has passed.
    private func scheduleRetry(_ index: Int, after delay: Duration, result: ExecutionResult, reason: String, ending: AttemptMarker.Ending) {
        let step = workflow.steps[index]
        let inSeries = state.steps[index].attemptInSeries
        let text = "attempt \(inSeries) of \(step.retry.attempts) \(reason); next in \(Self.describe(delay))"
        emit(.step(step.id, .retrying, exitCode: result.exitCode, reason: text))
        noteAttemptClosed(index, ending, then: "next attempt in \(Self.describe(delay))")
        let clock = configuration.clock
        retryTimers[index] = Task { [weak self] in
            do { try await clock.sleep(for: delay) } catch { return }
            await self?.backoffElapsed(index)
        }
    }

    /// Records that the step failed for good, saying so when its dependents go on regardless.
    func failForGood(_ index: Int, exitCode: Int32? = nil, reason: String) {
        let step = workflow.steps[index]
        let text = step.continueOnError ? "\(reason) (continue_on_error: dependents go on)" : reason
        emit(.step(step.id, .failed, exitCode: exitCode, reason: text))
    }

    /// Carries out the workflow's `on_failure` after a step failed for good.
    func applyFailurePolicy(failed id: String) {
        // A run already halting (a cancel, a rollback of the run, an earlier failure) keeps
        // the ending it was given; only an operator's command changes that.
        guard state.haltReason == nil else { return }
        switch workflow.onFailure {
        case .wait:
            break
        case .stop:
            halt("'\(id)' failed; on_failure: stop starts nothing new", outcome: .failed)
        case .rollback:
            halt("'\(id)' failed; on_failure: rollback compensates the steps that succeeded", outcome: .failed, compensate: true)
        }
    }

    /// Stops the run from starting anything new; retries waiting out a backoff are cancelled.
    ///
    /// The halt is an event that records how the run is to end and whether it owes a
    /// compensation, so a run whose process dies while halting ends the same way on resume.
    /// A halted run keeps its halt; `rehalt` is for an operator's command that changes it.
    func halt(_ reason: String, outcome: RunOutcome, compensate: Bool = false) {
        guard state.haltReason == nil else { return }
        var event = RunEvent(kind: .runHalted)
        event.reason = reason
        event.outcome = outcome
        if compensate { event.compensate = true }
        emit(event)
        // An interrupted run is meant to be resumed: a step waiting out its backoff is
        // interrupted, not cancelled, so that resuming runs it again.
        let stopped: StepState = outcome == .interrupted ? .interrupted : .cancelled
        let why = outcome == .interrupted ? "\(reason) before the next attempt" : "run halted before the next attempt"
        for (index, timer) in retryTimers {
            timer.cancel()
            emit(.step(workflow.steps[index].id, stopped, reason: why))
        }
        retryTimers.removeAll()
        for index in readyRetries where state.steps[index].state == .retrying {
            emit(.step(workflow.steps[index].id, stopped, reason: why))
        }
        readyRetries.removeAll()
    }

    /// Changes how a halted run ends, or whether it owes a compensation, for an operator's
    /// command (a cancel of a run that was halting, a rollback of the whole run); halts the
    /// run if it was not halted. Records only what changes.
    func rehalt(_ reason: String, outcome: RunOutcome, compensate: Bool = false) {
        guard state.haltReason != nil else {
            halt(reason, outcome: outcome, compensate: compensate)
            return
        }
        guard state.haltOutcome != outcome || state.owesCompensation != compensate else { return }
        var event = RunEvent(kind: .runHalted)
        event.reason = reason
        event.outcome = outcome
        event.compensate = compensate
        emit(event)
    }

    func backoffElapsed(_ index: Int) {
        guard retryTimers.removeValue(forKey: index) != nil, state.steps[index].state == .retrying else { return }
        readyRetries.append(index)
        schedule()
    }

    /// A short description of how an execution ended: "exit 1", "killed by signal 9".
    static func describe(_ result: ExecutionResult) -> String {
        switch result.termination {
        case .exited(0):
            // An attempt that exited 0 failed for its output file.
            return result.outputProblem.map { "exited with code 0, but its output file \($0.message)" } ?? "exited with code 0"
        case .exited(let code): return "exited with code \(code)" + (result.failureReason.map { "; \($0)" } ?? "")
        case .signalled(let signal): return "killed by signal \(signal)"
        case .notStarted: return "could not start: \(result.failureReason ?? "unknown error")"
        }
    }

    /// A duration as a person writes it: 1.5s, 2m, 250ms.
    static func describe(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let millis = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if millis < 1000 { return "\(millis)ms" }
        if millis % 3_600_000 == 0 { return "\(millis / 3_600_000)h" }
        if millis % 60_000 == 0 { return "\(millis / 60_000)m" }
        if millis % 1000 == 0 { return "\(millis / 1000)s" }
        return String(format: "%.1fs", Double(millis) / 1000)
    }
}
