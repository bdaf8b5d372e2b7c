/// Dynamic fan-out: a step whose `for_each:` reads another step's output makes its instances
/// once its needs are met, and they join the run.
extension Engine {
    /// Makes the instances of the fan-out step at `index` from its source's output, or fails
    /// the step saying why; skips it when its source was skipped. True when instances joined
    /// the run (steps that may be ready now).
    ///
    /// The expansion is an event, so a resume and a replay rebuild exactly these instances
    /// from the journal rather than reading the output again.
    @discardableResult
    func expandFanOut(_ index: Int) -> Bool {
        let step = workflow.steps[index]
        guard let source = step.fanOutSource else { return false }
        let record = state[source.step]
        if record?.state == .skipped {
            emit(.step(step.id, .skipped, reason: "'\(source.step)' was skipped, so there are no items to fan out over"))
            return false
        }
        guard let text = record?.outputs[source.key] else {
            failFanOut(index, reason: "for_each: '\(source.step)' did not set the output '\(source.key)', which holds the items")
            return false
        }
        let made = workflow.groups.reduce(0) { $0 + $1.instances.count }
        let expansion: FanOutExpansion
        do {
            expansion = try FanOutExpansion.make(
                group: step.id, from: text, source: source, limit: max(0, StepGroup.maximumInstances - made),
                hides: { [redactor] in redactor.reveals($0) })
        } catch {
            failFanOut(index, reason: error.reason)
            return false
        }
        if let taken = expansion.instances.first(where: { workflow[$0] != nil }) {
            failFanOut(index, reason: "for_each: the instance '\(taken)' would take the id of another step")
            return false
        }
        let before = state.expansions.count
        emit(.fanOutExpanded(expansion))
        // The fold refuses the event only if it does not fit the run: a bug, said in internalErrors.
        guard state.expansions.count > before else { return false }
        // The journal holds the items masked where they show a secret; the run uses them whole.
        workflow.expand(expansion)
        plan = Plan(workflow: workflow)
        let shown = expansion.instances.prefix(5).joined(separator: ", ") + (expansion.instances.count > 5 ? ", …" : "")
        note(index, expansion.instances.isEmpty
             ? "fanned out over \(source.reference): the list is empty, no instance"
             : "fanned out over \(source.reference) to \(expansion.instances.count) instance\(expansion.instances.count == 1 ? "" : "s"): \(shown)")
        return true
    }

    private func failFanOut(_ index: Int, reason: String) {
        failForGood(index, reason: reason)
        if !workflow.steps[index].continueOnError { applyFailurePolicy(failed: workflow.steps[index].id) }
    }
}
