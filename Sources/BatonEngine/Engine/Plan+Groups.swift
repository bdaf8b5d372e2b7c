/// The policies of fan-out groups (`StepGroup`): how many instances run at once, rolling
/// batches, and how many may fail before the rest are held back.
///
/// They are read from the run's state on every pass, like everything the plan decides: an
/// instance held back stays `pending`, with no event, and starts as soon as the state allows
/// it (an operator retrying or skipping the failed instance, say). A resumed run holds back
/// exactly what the run it resumes did.
extension Plan {
    /// Where each step sits in the groups: its group's position in `workflow.groups` and its own
    /// among the group's instances; nil for a step that is not an instance.
    static func memberships(of workflow: Workflow) -> [(group: Int, position: Int)?] {
        var memberships = [(group: Int, position: Int)?](repeating: nil, count: workflow.steps.count)
        for (group, definition) in workflow.groups.enumerated() {
            for (position, id) in definition.instances.enumerated() {
                if let index = workflow.position(of: id) { memberships[index] = (group, position) }
            }
        }
        return memberships
    }

    /// What a pass needs to know of a group.
    struct GroupTally {
        /// Instances that failed for good.
        var failed = 0
        /// Instances running, suspended, retrying, or started in this pass.
        var active = 0
        /// The position of the first instance that has not settled; the count when all have.
        var firstUnsettled = Int.max
    }

    /// Each group's tally for the state at the start of a pass.
    func groupTallies(in steps: [StepRecord]) -> [GroupTally] {
        var tallies = [GroupTally](repeating: GroupTally(), count: workflow.groups.count)
        for (group, definition) in workflow.groups.enumerated() {
            tallies[group].firstUnsettled = definition.instances.count
        }
        for index in steps.indices {
            guard let (group, position) = memberships[index] else { continue }
            switch steps[index].state {
            case .failed where !workflow.steps[index].continueOnError:
                tallies[group].failed += 1
            case .running, .suspended, .retrying:
                tallies[group].active += 1
                tallies[group].firstUnsettled = min(tallies[group].firstUnsettled, position)
            case .pending, .held, .waiting, .interrupted:
                tallies[group].firstUnsettled = min(tallies[group].firstUnsettled, position)
            default:
                break
            }
        }
        return tallies
    }

    /// Why the instance at `index` may not start now, or nil when its group lets it.
    func groupHold(_ index: Int, tallies: [GroupTally]) -> String? {
        guard let (group, position) = memberships[index] else { return nil }
        let definition = workflow.groups[group]
        let tally = tallies[group]
        if let most = definition.maxFailures, tally.failed > most {
            return most == 0
                ? "an instance of '\(definition.id)' failed, and '\(definition.id)' stops at its first failure"
                : "\(tally.failed) instances of '\(definition.id)' failed, more than its max_failures of \(most)"
        }
        if let size = definition.batchSize, tally.firstUnsettled < position / size * size {
            return "its batch of '\(definition.id)' waits for the batch before it"
        }
        if let most = definition.maxParallel, tally.active >= most {
            return "'\(definition.id)' runs at most \(most) at once (max_parallel)"
        }
        return nil
    }

    /// Counts an instance started in this pass against its group's `max_parallel`.
    func countStart(_ index: Int, in tallies: inout [GroupTally]) {
        guard let (group, _) = memberships[index] else { return }
        tallies[group].active += 1
    }
}
