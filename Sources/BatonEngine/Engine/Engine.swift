import Foundation
import Logging

/// Runs a workflow: asks the `Plan` for work, starts executions, and records every change.
///
/// The engine is event-sourced. Every change is a `RunEvent`, applied to `state` with the
/// same fold that replays a journal, appended to the journal, and published on `updates`
/// once it is on disk. The engine never polls: it acts when an execution ends, a timer
/// fires, or an operator command arrives.
public actor Engine {
    /// The workflow as loaded, before any dynamic fan-out made its instances.
    public nonisolated let loadedWorkflow: Workflow
    /// The workflow as the run runs it: the loaded one with the instances its dynamic fan-outs
    /// made so far (`state.expansions`).
    public internal(set) var workflow: Workflow
    public nonisolated let runID: String
    /// Journal events (after they are durable) and step output chunks, in order of each kind.
    public nonisolated let updates: AsyncStream<EngineUpdate>
    /// The same updates for any number of other subscribers (`RunHost`'s watchers), each
    /// output chunk with where it sits in its step's log.
    public nonisolated let fanOut = UpdateFanOut()

    /// The run's state: the fold of every event emitted so far.
    public private(set) var state: RunState
    /// Events that did not fit the state: bugs. Tests assert this stays empty.
    public private(set) var internalErrors: [String] = []

    var plan: Plan
    let configuration: EngineConfiguration
    /// Masks the values of the workflow's secrets in everything the engine records or publishes.
    public nonisolated let redactor: SecretRedactor
    /// The workflow as front ends show it: `loadedWorkflow` with every secret masked (see
    /// `SecretRedactor.redact(_:)`), the same steps and graph; front ends add the instances of
    /// dynamic fan-outs from the run's state (`Workflow.expanded(by:)`). Only `workflow` is ever run.
    public nonisolated let displayWorkflow: Workflow
    /// The most steps running at once.
    public nonisolated let capacity: Int
    /// Runs the workflow's `notify:` commands on the live events once they are durable; nil
    /// when the workflow has none, or when `--simulate` rehearses the run.
    package nonisolated let notifier: RunNotifier?
    let outputsDirectory: String
    let logger = Logger(label: "baton.engine")
    private let continuation: AsyncStream<EngineUpdate>.Continuation
    private let journal: JournalWriter?
    let logs: StepLogStore?
    /// Bounds the output published on `updates` that front ends have not got through yet.
    nonisolated let outputBacklog = OutputBacklog()
    /// Writes Baton's own lines into the logs, and starts what waits for them, in the order
    /// their events became durable: off the journal's writer thread, whose next sync need not
    /// wait for a log file to be created.
    nonisolated let notes = DispatchQueue(label: "baton.notes")

    var executions: [Int: ActiveExecution] = [:]
    /// While above 0, emitted events and queued starts wait in the batch below (see `batchingJournal`).
    private var batchDepth = 0
    private var batchedEvents: [RunEvent] = []
    private var batchedActions: [@Sendable () -> Void] = []
    /// Why the run can no longer be recorded (a journal or log write that failed); nil while
    /// every event has reached the disk. Once set, nothing new starts and nothing more is
    /// published as recorded; the run ends `interrupted` when what runs has ended.
    public private(set) var recordingFailure: JournalError?
    /// Failures reported by the journal's and the logs' writer threads, taken up by the actor.
    private let recordingFailures: AsyncStream<JournalError>
    private let recordingFailureContinuation: AsyncStream<JournalError>.Continuation
    /// Takes the failures up on the actor; the run's close waits for it to drain.
    private var failureConsumer: Task<Void, Never>?
    var retryTimers: [Int: Task<Void, Never>] = [:]
    var readyRetries: [Int] = []
    /// Timers of open gates that have an `approval.timeout`.
    var gateTimers: [Int: Task<Void, Never>] = [:]
    /// The timer of the workflow's `timeout:`, the run's deadline.
    var deadlineTimer: Task<Void, Never>?
    /// Executors finding what interrupted attempts left on other machines (`recoverAttempt`);
    /// `close(by:)` waits for them, so that a resume does not exit before they are done.
    var recoveries: [Task<Void, Never>] = []
    private var started = false
    /// True when the engine takes up a recorded run instead of starting a new one.
    private let resuming: Bool
    /// The time of the last recorded event of a resumed run.
    private let resumedAfter: Double?
    /// When set, `emit` stamps events with this time instead of the clock's.
    private var timeOverride: Double?
    private var settleWaiters: [CheckedContinuation<Settlement, Never>] = []
    /// Set once `close(by:)` began: commands are refused, and the journal closes when the run finishes.
    var closing = false
    /// The comment of the command `perform` is carrying out: every entry it records (the
    /// command, accepted or refused) keeps it, whichever command it is.
    var commentOfCommandInProgress: String?
    /// Set once the journal began to close; it takes no more events.
    private(set) var journalIsClosing = false
    /// Stops what a cancelled or interrupted run left running; the journal closes after it.
    private var sweep: Task<Void, Never>?
    private var closed = false
    private var finishWaiters: [CheckedContinuation<RunOutcome, Never>] = []
    /// The stored definition's digests, recorded in `run_started`; nil when nothing is stored.
    private var definition: DefinitionFingerprint?

    /// An execution in flight.
    struct ActiveExecution {
        var attempt: Int
        var purpose: ExecutionJob.Purpose
        var control: ExecutionControl
        var stopReason: StopReason?
        var timeoutTask: Task<Void, Never>?
        var killTask: Task<Void, Never>?
        /// Decides between the process starting (once its event is durable) and never starting.
        var launch: LaunchTicket
    }

    /// Why the engine asked an execution to stop.
    enum StopReason {
        case cancelled(by: String)
        /// Stopped because the run was interrupted (Ctrl-C, a signal, the operator quitting).
        case interrupted(by: String)
        case timedOut(Duration)
    }

    /// Prepares a run. Creates the run directory and opens the journal when one is configured.
    ///
    /// A new run stores `workflowText` and the files it calls, `calledFiles`, in its directory.
    /// With `history`, the engine takes up the run those events recorded (`baton resume`): the
    /// run directory must exist, and its journal is appended to. `start()` then records the
    /// resumption instead of a new start.
    ///
    /// `journalLock` is the lock `baton resume` took on the journal before it read it; the
    /// engine's journal writer takes it over.
    public init(
        workflow: Workflow, workflowText: String? = nil, calledFiles: CalledFiles = CalledFiles(),
        resuming history: [RunEvent]? = nil, journalLock: JournalLock? = nil, configuration: EngineConfiguration
    ) throws(JournalError) {
        try self.init(
            workflow: workflow, workflowText: workflowText, calledFiles: calledFiles, definition: nil, resuming: history,
            journalLock: journalLock, configuration: configuration)
    }

    /// The same, with the fingerprint of `workflowText` the loader already took
    /// (`WorkflowDefinition.fingerprint`), so a new run does not compose its file again, and
    /// the workflow's plan when one is made already (`plan`, the console's too).
    package init(
        workflow: Workflow, workflowText: String?, calledFiles: CalledFiles, definition precomputed: DefinitionFingerprint?,
        resuming history: [RunEvent]?, journalLock: JournalLock?, configuration: EngineConfiguration, plan: Plan? = nil
    ) throws(JournalError) {
        self.loadedWorkflow = workflow
        self.workflow = workflow
        self.runID = configuration.runID
        self.configuration = configuration
        self.plan = plan?.showing(workflow) ?? Plan(workflow: workflow)
        let declaredSecrets = SecretRedactor(workflow: workflow, environment: configuration.environment)
        // A secret parameter's value is masked wherever a secret variable's is.
        self.redactor = SecretRedactor(values: declaredSecrets.values + configuration.parameters.secretValues)
        self.displayWorkflow = redactor.redact(workflow)
        self.capacity = max(1, configuration.concurrency ?? workflow.effectiveConcurrency)
        let eventsPath = configuration.runDirectory?.eventsPath ?? "journal"
        if let history {
            do {
                self.state = try JournalReader.fold(history)
            } catch {
                throw JournalError(path: eventsPath, message: "cannot resume: \(error.description)")
            }
            // A finished run may be taken up too: an operator reopens it by a retry, a skip or a rollback.
            if let refusal = state.resumeRefusal(for: workflow, reopening: true) {
                throw JournalError(path: eventsPath, message: "cannot resume: \(refusal)")
            }
            if !state.expansions.isEmpty {
                self.workflow = workflow.expanded(by: state.expansions)
                self.plan = Plan(workflow: self.workflow)
            }
            self.resuming = true
            self.resumedAfter = history.last?.time
        } else {
            self.state = RunState()
            self.resuming = false
            self.resumedAfter = nil
        }
        let (stream, continuation) = AsyncStream<EngineUpdate>.makeStream(bufferingPolicy: .unbounded)
        self.updates = stream
        self.continuation = continuation
        let (failures, failureContinuation) = AsyncStream<JournalError>.makeStream(bufferingPolicy: .bufferingOldest(4))
        self.recordingFailures = failures
        self.recordingFailureContinuation = failureContinuation
        if workflow.notifications.isEmpty || configuration.simulatesEverything {
            self.notifier = nil
        } else {
            let display = self.displayWorkflow
            let run = NotificationRun(
                runID: configuration.runID, workflowName: display.name,
                stepNames: Dictionary(display.steps.map { ($0.id, $0.displayName) }, uniquingKeysWith: { first, _ in first }),
                runDirectory: configuration.runDirectory?.path, redactor: redactor)
            self.notifier = RunNotifier(
                commands: workflow.notifications, run: run, environment: workflow.env, clock: configuration.clock,
                logPath: configuration.runDirectory?.notificationsLogPath
            ) { [fanOut = self.fanOut] problem in
                continuation.yield(.notificationFailed(problem))
                fanOut.publish([.notificationFailed(problem)])
            }
        }
        if let directory = configuration.runDirectory {
            if history == nil {
                // Stored as written, so that a resume runs it as it ran; `SecretsInDefinition`
                // refuses a file that holds a secret before it gets here, this is the last guard.
                let text = workflowText ?? "# definition not recorded\n"
                let redactor = self.redactor
                guard !redactor.reveals(text), !calledFiles.files.contains(where: { redactor.reveals($0.text) }) else {
                    throw JournalError(path: directory.workflowPath, message: "refusing to store a workflow file that holds a secret's value")
                }
                try directory.create(workflowText: text, calledFiles: calledFiles)
                self.definition = precomputed ?? DefinitionFingerprint(text: text, calledFiles: calledFiles.files)
            }
            self.outputsDirectory = directory.outputsPath
            // A finished or interrupted run removed its outputs folder; steps write there again.
            // A run whose process died left the files of the steps it was running, which hold
            // outputs as the steps wrote them, secrets unmasked: nothing reads them any more.
            if history != nil { try? FileManager.default.removeItem(atPath: directory.outputsPath) }
            try? FileManager.default.createDirectory(atPath: directory.outputsPath, withIntermediateDirectories: true)
            self.logs = try StepLogStore(directory: directory.logsPath) { message in
                // A log that cannot be written is a run that cannot be recorded.
                failureContinuation.yield(JournalError(path: "", message: message))
            }
            self.journal = try JournalWriter(
                path: directory.eventsPath, lock: journalLock, syncToDisk: configuration.syncJournal,
                onFailure: { failureContinuation.yield($0) }
            ) { [fanOut = self.fanOut, notifier = self.notifier] published in
                for event in published { continuation.yield(.event(event)) }
                fanOut.publish(published.map { .event($0) })
                notifier?.observe(published)
            }
        } else {
            let temporary = NSTemporaryDirectory() + "baton-\(configuration.runID)-\(UInt32.random(in: 0...UInt32.max))"
            try? FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            self.outputsDirectory = temporary
            self.logs = nil
            self.journal = nil
        }
    }

    /// Starts the run: records `run_started` and launches the first steps.
    ///
    /// A resumed run records `run_reopened` instead. A step that was running when Baton
    /// stopped becomes `interrupted` (its process is gone), a rollback that was running counts
    /// as failed so it can be tried again, and interrupted steps marked `idempotent` (and
    /// simulated ones, which have no side effects) run again. Steps that succeeded are never
    /// run again, and decided gates stay decided.
    public func start() {
        guard !started else { return }
        started = true
        let failures = recordingFailures
        failureConsumer = Task { [weak self] in
            for await failure in failures { await self?.recordingFailed(failure) }
        }
        if resuming {
            // A finished run stays as it ended until an operator's command reopens it.
            if let outcome = state.outcome, !outcome.isUnfinished { return }
            reopen()
            armDeadline()
            schedule()
            return
        }
        var event = RunEvent(kind: .runStarted)
        event.runID = runID
        event.workflow = workflow.name
        event.user = configuration.user
        event.steps = workflow.stepIDs
        event.concurrency = capacity
        event.format = RunEvent.formatVersion
        if configuration.simulatesEverything { event.simulated = true }
        event.definitionDigest = definition?.digest
        event.definitionParts = definition?.parts
        let parameters = configuration.parameters.journaled
        if !parameters.isEmpty { event.params = parameters }
        emit(event)
        // Recorded now; its part digests (one per step field) are not read again.
        definition = nil
        armDeadline()
        schedule()
    }

    private func reopen() {
        // Whatever the dead Baton left running would race with what runs now.
        let leftovers = configuration.executors.reduce(0) { $0 + $1.stopLeftovers(ofRun: runID) }
        let unfinished = commandWithoutEffects()
        // What was in flight when the process died ends where the journal last heard of it,
        // so a step's time does not count the hours Baton was down.
        timeOverride = resumedAfter
        var rollbacksToRedo: [Int] = []
        for (index, record) in state.steps.enumerated() {
            let id = workflow.steps[index].id
            switch record.state {
            case .running, .suspended, .retrying:
                if record.state != .retrying { recoverAttempt(index, handle: record.handle, purpose: .run) }
                if let user = record.cancelRequestedBy {
                    // An operator's cancel was under way: the step ends cancelled, never to run again.
                    emit(.step(id, .cancelled, reason: "cancelled by \(user)"))
                } else {
                    emit(.step(id, .interrupted, reason: "Baton stopped while it ran (attempt \(max(1, record.attemptInSeries)))"))
                }
            case .rollingBack:
                recoverAttempt(index, handle: record.handle, purpose: .rollback)
                emit(.step(id, .rollbackFailed, reason: "Baton stopped while it rolled back"))
                if workflow.steps[index].idempotent || configuration.simulatesEverything {
                    // The rollback was planned and may run again as a whole: finish the plan.
                    rollbacksToRedo.append(index)
                }
            default:
                break
            }
        }
        timeOverride = nil
        var event = RunEvent(kind: .runReopened)
        event.user = configuration.user
        if leftovers > 0 { event.reason = "stopped \(leftovers) process group\(leftovers == 1 ? "" : "s") left by the previous Baton" }
        emit(event)
        if let unfinished { finishUnrecordedCommand(unfinished) }
        carryOutRecordedDecisions()
        if state.haltOutcome == .cancelled {
            // The dead Baton recorded the cancel but may have died before it cancelled every
            // step: finish it as `cancelRun` does, so nothing in a cancelled run waits or reruns.
            for (index, record) in state.steps.enumerated() where [.pending, .held, .waiting, .interrupted].contains(record.state) {
                // As in `cancelRun`, a step whose `when:` calls a state function is left to it.
                if record.state == .pending && plan.callsStateFunction[index] { continue }
                emit(.step(record.id, .cancelled, reason: state.haltReason))
            }
        }
        for index in rollbacksToRedo {
            note(index, "rolling back again on resume: the step is idempotent")
            startRollback(index)
        }
        // Open gates keep the deadlines they had.
        for index in state.steps.indices where state.steps[index].state == .waiting { armGateTimer(index) }
        for (index, record) in state.steps.enumerated() where record.state == .interrupted {
            let step = workflow.steps[index]
            if step.idempotent {
                emit(.step(step.id, .pending, reason: "runs again on resume: it is idempotent"))
            } else if configuration.simulatesEverything || (step.run == nil && step.simulate != nil) {
                emit(.step(step.id, .pending, reason: "runs again on resume: a simulated step has no side effects"))
            } else if configuration.rerunsInterruptedSteps {
                emit(.step(workflow.steps[index].id, .pending, reason: "runs again on resume (--rerun-interrupted)"))
            }
        }
    }

    /// Waits until the run ends or needs an operator, and says which.
    public func waitUntilSettled() async -> Settlement {
        if started, let current = currentSettlement() { return current }
        return await withCheckedContinuation { settleWaiters.append($0) }
    }

    /// Where the run stands now, without waiting: nil while work goes on (or before it starts).
    public func settlementNow() -> Settlement? {
        started ? currentSettlement() : nil
    }

    /// Where the run stands if it has nothing in flight, or nil while work goes on.
    ///
    /// Every command and completion ends with `schedule()`, so between actor turns an idle,
    /// unhalted run really is waiting for an operator.
    private func currentSettlement() -> Settlement? {
        if let outcome = state.outcome { return .finished(outcome) }
        guard executions.isEmpty, retryTimers.isEmpty, readyRetries.isEmpty, state.haltReason == nil,
              recordingFailure == nil else { return nil }
        return .needsOperator(operatorWaitDetails().reasons)
    }

    /// Waits until the run has finished and its journal is closed.
    public func waitUntilFinished() async -> RunOutcome {
        if closed, let outcome = state.outcome { return outcome }
        return await withCheckedContinuation { finishWaiters.append($0) }
    }

    /// Ends a run that waits for an operator who will not come, with the outcome the caller
    /// chooses; false while anything runs. Front ends leave such a run with `close(by:)`;
    /// tests end runs this way.
    @discardableResult
    package func finish(outcome: RunOutcome, reason: String) -> Bool {
        guard started, !state.isFinished, executions.isEmpty else { return false }
        for timer in retryTimers.values { timer.cancel() }
        retryTimers.removeAll()
        for index in state.steps.indices where state.steps[index].state == .retrying {
            emit(.step(workflow.steps[index].id, .cancelled, reason: reason))
        }
        finishRun(outcome, reason: reason)
        return true
    }

    // MARK: - Events

    /// Stamps, redacts, folds, journals and publishes events, in that order.
    func emit(_ events: RunEvent...) {
        var applied: [RunEvent] = []
        applied.reserveCapacity(events.count)
        for var event in events {
            event.seq = state.lastSeq + 1
            event.time = timeOverride ?? RunEvent.time(at: configuration.clock.now)
            if !redactor.isEmpty {
                event.reason = redactor.redact(event.reason)
                event.comment = redactor.redact(event.comment)
                event.outputs = event.outputs.map { redactor.redact($0) }
                event.workflow = redactor.redact(event.workflow)
                event.reasons = event.reasons?.map { redactor.redact($0) }
                event.items = event.items?.map { redactor.redact($0) }
            }
            do {
                try state.apply(event)
                applied.append(event)
            } catch {
                internalErrors.append(error.description)
                logger.error("dropped an event that does not fit the run: \(error.description)")
            }
        }
        guard !applied.isEmpty else { return }
        if let journal {
            if batchDepth > 0 {
                batchedEvents.append(contentsOf: applied)
            } else {
                journal.append(applied)
            }
        } else {
            for event in applied { continuation.yield(.event(event)) }
            fanOut.publish(applied.map { .event($0) })
            notifier?.observe(applied)
        }
    }

    /// Runs `action` once every event emitted so far is durable (at once without a journal).
    ///
    /// Returns false, never running `action`, when the journal has already failed. An action
    /// batched now and dropped later because the journal fails belongs to an execution that
    /// `recordingFailed` abandons.
    @discardableResult
    func afterDurable(_ action: @escaping @Sendable () -> Void) -> Bool {
        guard let journal else {
            action()
            return true
        }
        if batchDepth > 0 {
            guard journal.failure == nil else { return false }
            batchedActions.append(action)
            return true
        }
        return journal.afterDurable(action)
    }

    /// Runs `body` with the events and starts it emits handed to the journal together at its
    /// end, so that they share one write and one sync: a completion and the starts it
    /// releases, or the starts of one pass of the scheduler.
    func batchingJournal<T>(_ body: () -> T) -> T {
        batchDepth += 1
        let result = body()
        batchDepth -= 1
        if batchDepth == 0 { flushJournalBatch() }
        return result
    }

    /// Hands the batch to the journal now.
    private func flushJournalBatch() {
        guard let journal, !batchedEvents.isEmpty || !batchedActions.isEmpty else { return }
        journal.append(batchedEvents, then: batchedActions)
        batchedEvents.removeAll(keepingCapacity: true)
        batchedActions.removeAll(keepingCapacity: true)
    }

    /// Takes up a failure to write the journal or a log: nothing new starts, executions whose
    /// start was never recorded never start, and the run ends once what runs has ended.
    func recordingFailed(_ failure: JournalError) {
        guard recordingFailure == nil, !closed else { return }
        recordingFailure = failure
        // Front ends say it to the operator; stderr may be under the console's screen.
        logger.info("the run can no longer be recorded: \(failure.description)")
        continuation.yield(.recordingFailed(failure.description))
        fanOut.publish([.recordingFailed(failure.description)])
        for index in Array(executions.keys).sorted() { abandonLaunch(index) }
        for timer in retryTimers.values { timer.cancel() }
        retryTimers.removeAll()
        readyRetries.removeAll()
        for timer in gateTimers.values { timer.cancel() }
        gateTimers.removeAll()
        checkSettled()
    }

    /// Writes a line of Baton's own into a step's log and the output stream.
    ///
    /// Notes are few and short, so they are published even while a step's output is held
    /// back from lagging front ends (see `OutputBacklog`).
    ///
    /// A note follows the events emitted before it: it is written and published once they are
    /// durable, so "attempt 2 of 3" never shows before the `running` it explains.
    func note(_ index: Int, _ text: String) {
        let line = OutputChunk(line: OutputLine(stepID: workflow.steps[index].id, stream: .baton, text: redactor.redact(text)))
        let logs = self.logs
        let continuation = self.continuation
        let notes = self.notes
        let fanOut = self.fanOut
        afterDurable {
            notes.async {
                var chunk = line
                chunk.logOffset = logs?.write(chunk)
                continuation.yield(.output(chunk))
                fanOut.publish([.output(chunk)])
            }
        }
    }

    /// The sink executors stream output into: masks secrets, logs to disk, publishes.
    ///
    /// It works a chunk at a time, not a line at a time: one search for the secrets, one
    /// write to the log and one stream element per read from the pipe. Chunks are passed on
    /// unsanitised (the log keeps what the step printed); front ends escape them for display.
    /// What front ends have not yet taken is bounded: past `OutputBacklog`'s limit a chunk is
    /// logged but not published, and front ends get a notice instead (and, when the stream
    /// ends, its last chunk, so they show the output's real end).
    nonisolated func outputSink() -> @Sendable (OutputChunk) -> Void {
        let redactor = self.redactor
        let logs = self.logs
        let continuation = self.continuation
        let backlog = self.outputBacklog
        let fanOut = self.fanOut
        return { chunk in
            guard !chunk.bytes.isEmpty else {
                // The stream ended: front ends that were left behind get its last chunk.
                for published in backlog.streamEnded(chunk, logPath: logs?.path(for: chunk.stepID)) {
                    continuation.yield(.output(published))
                }
                return
            }
            var chunk = chunk
            // Chunks hold whole lines, and the splitter never cuts inside a secret, so a
            // search of the chunk finds every secret a search of each line would.
            if !redactor.isEmpty { chunk.bytes = redactor.redact(bytes: chunk.bytes) }
            chunk.logOffset = logs?.write(chunk)
            // Watchers have buffers of their own, bounded per watcher: they get every chunk.
            fanOut.publish([.output(chunk)])
            for published in backlog.admit(chunk, logPath: logs?.path(for: chunk.stepID)) {
                continuation.yield(.output(published))
            }
        }
    }

    // MARK: - Scheduling

    /// Carries out the plan's decisions until there are none, then checks whether the run has settled.
    func schedule() {
        batchingJournal { scheduleNow() }
    }

    private func scheduleNow() {
        guard started, !state.isFinished else { return }
        guard recordingFailure == nil else {
            checkSettled()
            return
        }
        while true {
            var acted = false
            if state.haltReason == nil && !state.isPaused {
                while executions.count < capacity, !readyRetries.isEmpty {
                    let index = readyRetries.removeFirst()
                    guard state.steps[index].state == .retrying else { continue }
                    acted = true
                    if failLateRetry(index) { continue }
                    startAttempt(index)
                }
            }
            let decisions = plan.findWork(in: state, capacity: capacity - executions.count)
            for decision in decisions {
                // Starting steps makes no other step ready; blocking, skipping, opening a gate
                // or a rollback can, so only those call for another pass.
                if case .start = decision {} else { acted = true }
                switch decision {
                case .block(let index, let reason):
                    emit(.step(workflow.steps[index].id, .blocked, reason: reason))
                case .skip(let index, let reason):
                    emit(.step(workflow.steps[index].id, .skipped, reason: reason))
                case .fail(let index, let reason):
                    failForGood(index, reason: reason)
                    if !workflow.steps[index].continueOnError { applyFailurePolicy(failed: workflow.steps[index].id) }
                case .openGate(let index):
                    let who = ApprovalGate.describe(workflow.steps[index].approval?.approvers ?? [])
                    emit(.step(workflow.steps[index].id, .waiting, reason: "waiting for approval by \(who)"))
                    armGateTimer(index)
                case .start(let index) where workflow.steps[index].fanOutSource != nil:
                    // Its instances may be ready at once.
                    expandFanOut(index)
                    acted = true
                case .start(let index):
                    startAttempt(index)
                case .startRollback(let index):
                    startRollback(index)
                }
            }
            if !acted { break }
        }
        if state.owesCompensation && executions.isEmpty {
            planCompensation()
            if !state.pendingRollback.isEmpty {
                schedule()
                return
            }
        }
        checkSettled()
    }

    /// Plans the rollback of every succeeded step, dependents first.
    ///
    /// The plan is recorded even when it is empty: it settles the compensation the halt owed.
    func planCompensation() {
        let order = plan.topologicalOrder.reversed().filter { state.steps[$0].state == .succeeded }
        var event = RunEvent(kind: .rollbackPlanned)
        event.steps = order.map { workflow.steps[$0].id }
        if order.isEmpty { event.reason = "nothing succeeded: nothing to roll back" }
        emit(event)
    }

    private func checkSettled() {
        guard executions.isEmpty, retryTimers.isEmpty, readyRetries.isEmpty, !state.isFinished else { return }
        if let failure = recordingFailure {
            finishRun(.interrupted, reason: "the run could not be recorded: \(failure.message)")
            return
        }
        if let reason = state.haltReason {
            var outcome = state.haltOutcome ?? .failed
            if outcome == .rolledBack && state.steps.contains(where: { $0.state == .rollbackFailed }) { outcome = .rollbackFailed }
            finishRun(outcome, reason: reason)
            return
        }
        if isComplete {
            finishRun(.succeeded, reason: nil)
            return
        }
        if let ending = rollbackEnding() {
            finishRun(ending, reason: ending == .rolledBack ? "rolled back by an operator" : "a rollback failed")
            return
        }
        let (steps, reasons) = operatorWaitDetails()
        if state.operatorWait?.steps != steps || state.operatorWait?.reasons != reasons {
            var event = RunEvent(kind: .runWaiting)
            event.steps = steps
            event.reasons = reasons
            emit(event)
        }
        settle(.needsOperator(reasons))
    }

    /// How a run whose steps an operator rolled back ends, once nothing else is left to do:
    /// every step succeeded, was skipped or rolled back (or failed with `continue_on_error`),
    /// and at least one was rolled back or failed to. A failed rollback ends it as
    /// `rollback_failed` though the plan still holds what it held back (an operator's `u`
    /// reopens it); a rollback still planned otherwise keeps it going.
    private func rollbackEnding() -> RunOutcome? {
        var rolledBack = false
        var failed = false
        for (index, record) in state.steps.enumerated() {
            switch record.state {
            case .rolledBack: rolledBack = true
            case .rollbackFailed: failed = true
            case .succeeded, .skipped: break
            case .failed where workflow.steps[index].continueOnError: break
            default: return nil
            }
        }
        if failed { return .rollbackFailed }
        return rolledBack && state.pendingRollback.isEmpty ? .rolledBack : nil
    }

    /// True when every step has succeeded, been skipped, or failed with `continue_on_error`.
    public var isComplete: Bool {
        state.steps.indices.allSatisfy { plan.satisfies(state.steps[$0], at: $0) }
    }

    /// Ends the session of a run when its operator leaves, and returns how the run stands.
    ///
    /// A run with work in flight, or one that is halting, is interrupted: its running steps
    /// are stopped, and `baton resume` takes it up. A run that has nothing in flight waits for
    /// an operator; it ends so (`waiting_for_operator`) and stays resumable. A finished run
    /// stays as it ended. Either way the journal is then closed.
    public func close(by user: String) async -> RunOutcome {
        if !started { start() }
        for recovery in recoveries { await recovery.value }
        recoveries.removeAll()
        if !state.isFinished {
            if !executions.isEmpty || !retryTimers.isEmpty || !readyRetries.isEmpty || state.haltReason != nil {
                cancelRun(by: user, outcome: .interrupted)
            } else {
                let reasons = state.operatorWait?.reasons ?? operatorWaitDetails().reasons
                finishRun(.waitingForOperator, reason: "\(user) left it waiting: " + reasons.joined(separator: "; "))
            }
        }
        closing = true
        if state.isFinished { closeJournal() }
        return await waitUntilFinished()
    }

    /// Says, step by step, what the run is waiting on, and which steps that involves.
    func operatorWaitDetails() -> (steps: [String], reasons: [String]) {
        var steps: [String] = []
        var reasons: [String] = []
        if state.isPaused { reasons.append("the run is paused") }
        for (index, record) in state.steps.enumerated() {
            let id = workflow.steps[index].id
            let reason: String
            switch record.state {
            case .waiting: reason = "'\(id)' is \(record.reason ?? "waiting for approval")"
            case .held: reason = "'\(id)' is held by an operator"
            case .failed where !workflow.steps[index].continueOnError:
                reason = "'\(id)' failed\(record.reason.map { ": \($0)" } ?? "")"
            case .cancelled: reason = "'\(id)' was cancelled"
            case .interrupted: reason = "'\(id)' was interrupted; retry it to run it again"
            case .rollbackFailed: reason = "rollback of '\(id)' failed"
            case .rolledBack: reason = "'\(id)' was rolled back"
            default: continue
            }
            steps.append(id)
            reasons.append(reason)
        }
        // A group whose failures hold back its other instances: what an operator acts on is
        // the failed instances, named above; this says why the rest do not start.
        if !workflow.groups.isEmpty {
            let tallies = plan.groupTallies(in: state.steps)
            var said: Set<String> = []
            for (index, record) in state.steps.enumerated() where record.state == .pending {
                guard let group = workflow.steps[index].group, !said.contains(group), let hold = plan.groupHold(index, tallies: tallies) else { continue }
                said.insert(group)
                reasons.append("the instances of '\(group)' not yet started are held back: \(hold)")
            }
        }
        return (steps, reasons)
    }

    private func settle(_ value: Settlement) {
        let waiters = settleWaiters
        settleWaiters.removeAll()
        for waiter in waiters { waiter.resume(returning: value) }
    }

    func finishRun(_ outcome: RunOutcome, reason: String?) {
        guard !state.isFinished else { return }
        for timer in gateTimers.values { timer.cancel() }
        gateTimers.removeAll()
        deadlineTimer?.cancel()
        var event = RunEvent(kind: .runFinished)
        event.outcome = outcome
        event.reason = reason
        emit(event)
        flushJournalBatch()
        settle(.finished(outcome))
        // A run stopped by an operator or a signal leaves nothing running: the steps it
        // stopped are gone, and this also stops what finished steps left in the background
        // and what left a step's process group (`setsid`), found by `BATON_RUN_ID`.
        if outcome == .interrupted || outcome == .cancelled {
            let executors = configuration.executors
            let runID = self.runID
            let grace = configuration.cancelGracePeriod
            let earlier = sweep
            sweep = Task.detached {
                await earlier?.value
                for executor in executors { await executor.stopBackground(ofRun: runID, grace: grace) }
            }
        }
        if configuration.closesWhenFinished || closing { closeJournal() }
    }

    /// Closes the journal and the logs once everything recorded is written, and ends `updates`.
    private func closeJournal() {
        guard !journalIsClosing else { return }
        journalIsClosing = true
        closing = true
        // The journal closes from another task: everything the run recorded goes first.
        flushJournalBatch()
        let journal = self.journal
        let logs = self.logs
        let continuation = self.continuation
        let failures = recordingFailureContinuation
        let consumer = failureConsumer
        let sweep = self.sweep
        let notes = self.notes
        let fanOut = self.fanOut
        let notifier = self.notifier
        Task.detached { [weak self] in
            await sweep?.value
            await journal?.close()
            // `run_finished` is told before the process can exit, and a failure to tell it
            // reaches front ends that still listen; each command's timeout bounds the wait,
            // which is this task's, never the actor's.
            await notifier?.waitUntilIdle()
            // The journal runs no more actions: let the notes they queued reach the logs first.
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in notes.async { done.resume() } }
            logs?.closeAll()
            // The last writes, `run_finished` or a note among them, may be what failed: take
            // every failure up while front ends still listen, so no run ends as if recorded.
            failures.finish()
            await consumer?.value
            continuation.finish()
            fanOut.finishAll()
            await self?.didClose()
        }
    }

    private func didClose() {
        closed = true
        let outcome = state.outcome ?? .failed
        let waiters = finishWaiters
        finishWaiters.removeAll()
        for waiter in waiters { waiter.resume(returning: outcome) }
        try? FileManager.default.removeItem(atPath: outputsDirectory)
    }
}
