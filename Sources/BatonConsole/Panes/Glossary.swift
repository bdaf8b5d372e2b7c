import BatonEngine

/// Short glossary entries that name the orchestration idea a step's state or definition shows.
public enum Glossary {
    /// One entry: the term and a sentence that explains it.
    public struct Entry: Sendable, Hashable {
        public var term: String
        public var meaning: String

        public init(_ term: String, _ meaning: String) {
            self.term = term
            self.meaning = meaning
        }
    }

    /// The idea a step in this state shows.
    public static func entry(for state: StepState) -> Entry {
        switch state {
        case .pending: return Entry("pending — waiting for dependencies", "The step starts once every step it needs has succeeded and a slot is free.")
        case .held: return Entry("held — operator hold", "An operator keeps the step from starting until it is released.")
        case .waiting: return Entry("approval gate — human in the loop", "The run stops here until a person approves or rejects; the decision is recorded with who and why.")
        case .running: return Entry("running", "The step's command is running in its own process group.")
        case .suspended: return Entry("suspended — paused mid-flight", "Its processes are stopped (SIGSTOP) and keep their place until resumed.")
        case .retrying: return Entry("retrying — self-healing", "The attempt failed; the engine waits out a backoff and tries again without a person.")
        case .succeeded: return Entry("succeeded", "Done; the steps that need it may start, and its outputs reach them.")
        case .failed: return Entry("failed — the failure policy decides", "Its dependents are blocked; on_failure says whether the run waits, stops or rolls back.")
        case .skipped: return Entry("skipped — condition or operator", "A false `when:` (or an operator) skipped it: work that is not needed is not done.")
        case .blocked: return Entry("blocked — dependency failed", "A step it needs failed or was rejected, so it cannot start; retrying that step unblocks it.")
        case .cancelled: return Entry("cancelled", "Stopped by an operator or by the run halting: SIGTERM, then SIGKILL after a grace period.")
        case .interrupted: return Entry("interrupted — resumable", "Baton stopped while it ran; `baton resume` runs it again or lets an operator decide.")
        case .rollingBack: return Entry("rolling back — compensation", "Its rollback command undoes what it did, after the steps that depend on it were undone.")
        case .rolledBack: return Entry("rolled back — compensated", "What the step did has been undone, in reverse dependency order (a saga).")
        case .rollbackFailed: return Entry("rollback failed", "The undo did not succeed; a person must look, then retry the rollback.")
        }
    }

    /// The ideas a step's definition shows, whatever its state; `group` is the fan-out it is
    /// an instance of.
    public static func concepts(of step: Step, dependents: Int, group: StepGroup? = nil) -> [Entry] {
        var entries: [Entry] = []
        if let group {
            entries.append(Entry("fan-out instance", "One of \(group.instances.count) copies of '\(group.id)', one per item (`for_each:`) or combination (`matrix:`); each has its own state, log, retries and rollback."))
            if let size = group.batchSize {
                entries.append(Entry("rolling batch", "The instances go \(size) at a time; a batch starts only once the one before it has settled, so a bad release reaches few hosts."))
            }
            if let most = group.maxFailures {
                entries.append(Entry("failure budget", most == 0
                    ? "The first failed instance holds back every instance not yet started: the rollout stops, and an operator decides."
                    : "Up to \(most) instances may fail; one more holds back every instance not yet started."))
            }
        }
        if step.needs.isEmpty {
            entries.append(Entry("entry point", "It needs nothing, so it starts as soon as the run does."))
        } else if step.needs.count > 1 {
            entries.append(Entry("fan-in", "It waits for all of \(step.needs.joined(separator: ", ")): branches join here."))
        }
        if dependents > 1 {
            entries.append(Entry("fan-out", "\(dependents) steps need it; they can run in parallel once it succeeds."))
        }
        if step.when != nil {
            entries.append(Entry("condition", "`when:` decides from upstream outputs whether it runs; false means skipped."))
        }
        if step.retry.attempts > 1 {
            entries.append(Entry("retry with backoff", "Up to \(step.retry.attempts) attempts, waiting longer after each failure."))
        }
        if let gate = step.approval {
            entries.append(Entry("approval gate", "A person decides before it goes on; the decision is part of the journal."))
            if !gate.approvers.isEmpty {
                entries.append(Entry("approval policy", "Only \(gate.approvers.joined(separator: ", ")) may decide; anyone else is refused, and the refusal is audited (A)."))
            }
            if gate.selfApproval == false {
                entries.append(Entry("segregation of duties", "Whoever started the run may not approve it: a second person must."))
            }
            if let timeout = gate.timeout {
                let after = gate.onTimeout == .escalate ? "escalates to \(gate.escalateTo.joined(separator: ", "))" : "is rejected by Baton"
                entries.append(Entry("approval timeout", "Undecided after \(DurationFormatter.format(timeout)), the gate \(after)."))
            }
        }
        if step.rollback != nil {
            entries.append(Entry("compensation", "It has a rollback command, so the engine can undo it in reverse dependency order."))
        }
        if step.continueOnError {
            entries.append(Entry("continue on error", "Its failure does not block its dependents: not every failure matters."))
        }
        if step.idempotent {
            entries.append(Entry("idempotent", "Safe to run twice, so a resumed run repeats it without asking."))
        }
        if step.timeout != nil {
            entries.append(Entry("timeout", "It is stopped if it runs longer than its limit, and counts as failed."))
        }
        return entries
    }
}
