import BatonEngine
import BatonTestSupport
import Foundation

extension JournalCut {
    /// What resuming a cut did: whether `baton resume` took it up, and every rule it broke.
    struct Verdict: Sendable {
        var resumed = false
        /// The first resume ended interrupted, and the run was resumed once more.
        var resumedTwice = false
        var problems: [String] = []
    }

    /// Writes the cut into a fresh run directory under `root`, decides as `baton runs` and
    /// `baton resume` do whether it can be resumed, resumes it headless with an executor on
    /// which every job succeeds, and checks the run's end against what the cut recorded.
    func resume(under root: String) async throws -> Verdict {
        var verdict = Verdict()
        let directory = RunDirectory(path: "\(root)/\(recording.scenario)-\(eventCount)-\(tornBytes)")
        try directory.create(workflowText: recording.workflowText)
        try Data(bytes).write(to: URL(fileURLWithPath: directory.eventsPath))
        let before = try JournalReader.fold(events)

        // `baton runs` calls a run resumable when nobody writes it and the check passes;
        // `baton resume` then takes it up with the same check.
        let check = directory.resumeCheck(environment: [:])
        guard case .success(let run) = check else {
            if before.isResumable {
                verdict.problems.append("a resumable run was refused: \(check)")
            }
            var probe = EngineConfiguration(runID: "probe", user: "resumer", environment: [:])
            probe.executor = ScriptedExecutor()
            // The engine takes a finished run up too, to be reopened by an operator's command.
            if !before.isReopenable, (try? Engine(workflow: recording.workflow, resuming: events, configuration: probe)) != nil {
                verdict.problems.append("refused, but the engine would take it up")
            }
            if before.isReopenable, case .failure(let refusal) = directory.resumeCheck(environment: [:], reopening: true) {
                verdict.problems.append("a finished run cannot be reopened: \(refusal)")
            }
            return verdict
        }
        if directory.isBeingWritten { verdict.problems.append("nobody writes the run, yet it counts as written") }
        if !before.isResumable { verdict.problems.append("a run that cannot be resumed passed the check") }

        // As `baton resume`: cut the torn tail, read again, resume.
        try directory.repairTornTail()
        let history = try directory.readJournal().events
        if history != events { verdict.problems.append("the repaired journal is not the cut's whole events") }
        guard let outcome = try await Self.resumeOnce(run.workflow, in: directory, after: before, executor: recording.resumeExecutor(), verdict: &verdict) else { return verdict }
        verdict.resumed = true
        // A run the resume left interrupted is resumable again, and a second resume keeps the rules too.
        if outcome == .interrupted {
            let again = directory.resumeCheck(environment: [:])
            guard case .success(let second) = again else {
                verdict.problems.append("the resume ended interrupted, but a second resume is refused: \(again)")
                return verdict
            }
            verdict.resumedTwice = try await Self.resumeOnce(
                second.workflow, in: directory, after: second.state, executor: recording.resumeExecutor(), verdict: &verdict) != nil
        }
        return verdict
    }

    /// Resumes the run in `directory`, whose journal folds to `before`, headless on an
    /// executor where every job succeeds; adds what it broke to `verdict` and returns how
    /// the run ended, or nil if the engine refused it.
    private static func resumeOnce(
        _ workflow: Workflow, in directory: RunDirectory, after before: RunState, executor: ScriptedExecutor, verdict: inout Verdict
    ) async throws -> RunOutcome? {
        let history = try directory.readJournal().events
        var configuration = EngineConfiguration(
            runID: before.runID, user: "resumer", executor: executor, simulator: executor, runDirectory: directory,
            syncJournal: false, cancelGracePeriod: .milliseconds(100), environment: [:])
        configuration.directory = FixedUserDirectory([:])
        let engine: Engine
        do {
            engine = try Engine(workflow: workflow, resuming: history, configuration: configuration)
        } catch {
            verdict.problems.append("listed as resumable, but the engine refuses: \(error)")
            return nil
        }
        await engine.start()
        let outcome = try await EngineTestSupport.endHeadless(engine)
        let after = await engine.state
        let journal = try directory.readJournal().events
        verdict.problems += problems(
            workflow: workflow, before: before, after: after, outcome: outcome, journal: journal,
            history: history, jobs: executor.jobs, internalErrors: await engine.internalErrors)
        return outcome
    }

    /// The rules a resumed cut must keep, as sentences for what it broke.
    static func problems(
        workflow: Workflow, before: RunState, after: RunState, outcome: RunOutcome, journal: [RunEvent],
        history: [RunEvent], jobs: [ScriptedExecutor.Job], internalErrors: [String]
    ) -> [String] {
        // The steps the cut's run had: its dynamic fan-outs' instances too.
        let workflow = workflow.expanded(by: before.expansions)
        var problems = internalErrors.map { "internal error: \($0)" }
        if (try? JournalReader.fold(journal)) != after { problems.append("the journal's fold differs from the engine's state") }
        // One history: the old events unchanged, then the resume's, with one run_reopened.
        if Array(journal.prefix(history.count)) != history || journal.dropFirst(history.count).filter({ $0.kind == .runReopened }).count != 1 {
            problems.append("the journal is not the old history followed by the resume's events")
        }
        if after.outcome != outcome { problems.append("finished \(outcome.rawValue) but the state says \(after.outcome?.rawValue ?? "unfinished")") }
        let plan = Plan(workflow: workflow)
        for (index, step) in workflow.steps.enumerated() {
            let was = before.record(at: index).state
            let now = after.record(at: index).state
            let runs = jobs.filter { $0.stepID == step.id && $0.purpose == .run }
            let rollbacks = jobs.filter { $0.stepID == step.id && $0.purpose == .rollback }
            if [.running, .suspended, .retrying, .rollingBack].contains(now) {
                problems.append("'\(step.id)' is still \(now.rawValue) after the run finished")
            }
            if was == .succeeded && !runs.isEmpty { problems.append("'\(step.id)' had succeeded and was started again: \(runs)") }
            if [.running, .suspended, .retrying, .interrupted].contains(was) && !step.idempotent && !runs.isEmpty {
                problems.append("'\(step.id)' is not idempotent, was \(was.rawValue), and was started again: \(runs)")
            }
            if was == .rollingBack && !step.idempotent && !rollbacks.isEmpty {
                problems.append("'\(step.id)' is not idempotent, was rolling back, and its rollback ran again")
            }
            // A rollback that was due is finished, unless a dependent's failed rollback holds it back.
            let due = before.pendingRollback.contains(step.id) || (before.owesCompensation && was == .succeeded)
            let heldBack = plan.descendants(of: index).contains { after.record(at: $0).state == .rollbackFailed }
            if due && (was == .succeeded || (was == .rollingBack && step.idempotent)) && now != .rolledBack && !heldBack {
                problems.append("'\(step.id)' was due to be rolled back and ended \(now.rawValue)")
            }
            if outcome == .succeeded && now != .succeeded && now != .skipped {
                problems.append("the run succeeded but '\(step.id)' is \(now.rawValue)")
            }
            if outcome == .cancelled && [.pending, .held, .waiting, .interrupted].contains(now) {
                problems.append("the run was cancelled but '\(step.id)' is still \(now.rawValue)")
            }
        }
        // A halt that was not an interrupt decides how the run ends.
        if before.outcome == nil, before.haltReason != nil, before.haltOutcome != .interrupted {
            let expected = before.haltOutcome ?? .failed
            if outcome != expected { problems.append("the run had halted to end \(expected.rawValue) but ended \(outcome.rawValue)") }
        }
        // An operator's accepted command is carried out, even if Baton stopped before it
        // recorded what the command did (the command is then the cut's last event).
        if let last = history.last, last.kind == .command, last.accepted == true, before.outcome == nil {
            switch last.command {
            case "cancel_run" where outcome != .cancelled:
                problems.append("the run was cancelled by \(last.user ?? "?") but ended \(outcome.rawValue)")
            case "rollback_run" where outcome != .failed:
                problems.append("the run was rolled back by \(last.user ?? "?") but ended \(outcome.rawValue)")
            default: break
            }
            if ["cancel_run", "rollback_run"].contains(last.command ?? ""), jobs.contains(where: { $0.purpose == .run }) {
                problems.append("the run was stopped by \(last.command ?? "?"), yet the resume started \(jobs.filter { $0.purpose == .run })")
            }
            if last.command == "rollback_run" {
                for index in workflow.steps.indices where before.record(at: index).state == .succeeded {
                    if after.record(at: index).state != .rolledBack {
                        problems.append("the run was rolled back, but '\(workflow.steps[index].id)' ended \(after.record(at: index).state.rawValue)")
                    }
                }
            }
        }
        if let last = history.last, last.kind == .command, last.accepted == true, last.command == "rollback",
           let id = last.step, let index = before.index(of: id), before.record(at: index).state == .succeeded {
            let heldBack = plan.descendants(of: index).contains { after.record(at: $0).state == .rollbackFailed }
            if after.record(at: index).state != .rolledBack && !heldBack {
                problems.append("\(last.user ?? "?") rolled '\(id)' back, but it ended \(after.record(at: index).state.rawValue)")
            }
        }
        if let last = history.last, last.kind == .command, last.accepted == true, last.command == "pause" {
            if !after.isPaused || jobs.contains(where: { $0.purpose == .run }) {
                problems.append("\(last.user ?? "?") paused the run, yet the resume started \(jobs) and left it \(after.isPaused ? "paused" : "going")")
            }
        }
        // A step an operator cancelled while it ran is not run again, though Baton stopped
        // before the step ended.
        for (index, step) in workflow.steps.enumerated() where [.running, .suspended].contains(before.record(at: index).state) {
            let lastChange = history.last { $0.kind == .step && $0.step == step.id }?.seq ?? 0
            let cancelled = history.contains {
                $0.kind == .command && $0.command == "cancel" && $0.step == step.id && $0.accepted == true && $0.seq > lastChange
            }
            if cancelled && (jobs.contains { $0.stepID == step.id && $0.purpose == .run } || after.record(at: index).state != .cancelled) {
                problems.append("'\(step.id)' was cancelled while it ran, yet it ended \(after.record(at: index).state.rawValue) after \(jobs)")
            }
        }
        // A decided gate stays decided: an approved one goes on, a rejected one fails.
        for (index, step) in workflow.steps.enumerated() where before.record(at: index).state == .waiting {
            guard let decision = before.record(at: index).approval else { continue }
            let now = after.record(at: index).state
            if now == .waiting || (decision.approved && now == .failed) || (!decision.approved && now != .failed) {
                problems.append("the gate '\(step.id)' was \(decision.approved ? "approved" : "rejected") but ended \(now.rawValue)")
            }
        }
        // A run with nothing against it goes on to success.
        let stopping = history.last.map { $0.kind == .command && $0.accepted == true && ["cancel", "rollback", "reject"].contains($0.command ?? "") } ?? false
        let unhindered = (before.haltReason == nil || before.haltOutcome == .interrupted || before.outcome == .interrupted)
            && !stopping && !before.steps.contains { $0.cancelRequestedBy != nil }
        let clear = workflow.steps.indices.allSatisfy { index in
            let record = before.record(at: index)
            let step = workflow.steps[index]
            if step.approval != nil && record.approval?.approved != true && record.state != .succeeded { return false }
            switch record.state {
            case .succeeded, .skipped, .pending: return true
            case .running, .suspended, .retrying, .interrupted: return step.idempotent
            default: return false
            }
        }
        if unhindered && clear && before.pendingRollback.isEmpty && !before.isPaused && outcome != .succeeded {
            problems.append("nothing stood in the way, yet the run ended \(outcome.rawValue)")
        }
        return problems
    }
}
