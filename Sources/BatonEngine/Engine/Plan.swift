/// The pure scheduler: given a workflow and a run's state, it decides what should happen next.
///
/// Like ninja's `Plan`, it never runs anything and never waits. The engine asks it for work
/// after every change, carries out the decisions, and asks again. Steps are looked at in
/// file order, so the same state always gives the same decisions.
public struct Plan: Sendable {
    /// One thing the scheduler wants done.
    public enum Decision: Sendable, Hashable {
        /// A step cannot run because of a needed step; the reason names it.
        case block(step: Int, reason: String)
        /// A step's `when:` is false.
        case skip(step: Int, reason: String)
        /// A step's `when:` could not be evaluated (such as `fromJSON` of text that is not
        /// JSON): the step fails without running.
        case fail(step: Int, reason: String)
        /// A gate's needs are met: it now waits for an operator.
        case openGate(step: Int)
        /// Start the step's next attempt.
        case start(step: Int)
        /// Start rolling back a step whose dependents have been rolled back.
        case startRollback(step: Int)
    }

    public let workflow: Workflow
    /// For each step (by file position), the positions of the steps it needs.
    public let needs: [[Int]]
    /// For each step, the positions of the steps that need it.
    public let dependents: [[Int]]
    /// For each step, its fan-out group and its position among the group's instances.
    let memberships: [(group: Int, position: Int)?]
    /// For each step, whether its `when:` calls `success()`, `failure()`, `always()` or
    /// `cancelled()`: such a step waits for its needs to settle however they end.
    public let callsStateFunction: [Bool]
    /// Whether the workflow has `finally:` steps.
    let hasFinallySteps: Bool
    /// All step positions, each after every step it needs, ties kept in file order: made once,
    /// as the console asks for descendants in this order for every frame's footer.
    public let topologicalOrder: [Int]

    public init(workflow: Workflow) {
        self.workflow = workflow
        var needs: [[Int]] = []
        var dependents = Array(repeating: [Int](), count: workflow.steps.count)
        needs.reserveCapacity(workflow.steps.count)
        // By index, here and below: a loop or closure over the steps themselves copies each
        // step (0.5 ms of the plan's 5 at 10,000 steps).
        var callsStateFunction: [Bool] = []
        callsStateFunction.reserveCapacity(workflow.steps.count)
        for index in workflow.steps.indices {
            let positions = workflow.steps[index].needs.compactMap { workflow.position(of: $0) }
            needs.append(positions)
            for need in positions { dependents[need].append(index) }
            // A finally step decides as a step that calls `always()` does, once the others settle.
            callsStateFunction.append(workflow.steps[index].isFinally || (workflow.steps[index].when?.callsStateFunction ?? false))
        }
        self.needs = needs
        self.dependents = dependents
        topologicalOrder = Self.topologicalOrder(needs: needs, dependents: dependents)
        self.memberships = Self.memberships(of: workflow)
        self.callsStateFunction = callsStateFunction
        hasFinallySteps = workflow.steps.indices.contains { workflow.steps[$0].isFinally }
    }

    /// This plan, or, once the run's dynamic fan-outs made instances it does not hold, a plan
    /// of the workflow with them: a plan reads a state by step position, so one made before an
    /// expansion cannot read the state after it.
    public func following(_ state: RunState) -> Plan {
        state.expansions.count > workflow.expansions.count ? Plan(workflow: workflow.expanded(by: state.expansions)) : self
    }

    /// Whether a finished need lets its dependents go on.
    public func satisfies(_ record: StepRecord, at index: Int) -> Bool {
        switch record.state {
        case .succeeded, .skipped: return true
        case .failed: return workflow.steps[index].continueOnError
        default: return false
        }
    }

    /// Why a need stops its dependents for good, or nil if it does not.
    public func blockingReason(_ record: StepRecord, at index: Int) -> String? {
        switch record.state {
        case .pending, .held, .waiting, .running, .suspended, .retrying, .succeeded, .skipped: return nil
        default: break
        }
        let id = workflow.steps[index].id
        switch record.state {
        case .failed where !workflow.steps[index].continueOnError:
            if record.approval?.approved == false { return "upstream '\(id)' was rejected" }
            return "upstream '\(id)' failed"
        case .blocked: return "upstream '\(id)' is blocked"
        case .cancelled: return "upstream '\(id)' was cancelled"
        case .rolledBack, .rollingBack, .rollbackFailed: return "upstream '\(id)' was rolled back"
        default: return nil
        }
    }

    /// The decisions for the current state. `capacity` is how many more processes may start.
    public func findWork(in state: RunState, capacity: Int) -> [Decision] {
        var decisions: [Decision] = []
        var free = capacity
        let mayStart = !state.isPaused && state.haltReason == nil && !state.isFinished
        // Index loops read fields in place: copying whole records would cost a retain and a
        // release per field for every step on every pass.
        let steps = state.steps
        var tallies = workflow.groups.isEmpty ? [] : groupTallies(in: steps)
        // A halted run starts none of its steps left pending: they count as settled.
        let halted = state.haltReason != nil
        func settled(_ need: Int) -> Bool {
            steps[need].state.isSettled || halted && [.pending, .held, .waiting].contains(steps[need].state)
        }
        let othersSettled = hasFinallySteps && steps.indices.allSatisfy { workflow.steps[$0].isFinally || settled($0) }
        for index in steps.indices {
            let current = steps[index].state
            guard current == .pending || current == .held else { continue }
            if callsStateFunction[index] {
                guard current == .pending, needs[index].allSatisfy(settled) else { continue }
                let isFinally = workflow.steps[index].isFinally
                if isFinally && !othersSettled { continue }
                let decision = decideAfterSettledNeeds(index, in: state, mayStart: stateFunctionStepsMayStart(in: state, finally: isFinally))
                switch decision {
                case .start?, .openGate?:
                    if !tallies.isEmpty, groupHold(index, tallies: tallies) != nil { continue }
                default:
                    break
                }
                if case .start = decision {
                    guard free > 0 else { continue }
                    free -= 1
                    if !tallies.isEmpty { countStart(index, in: &tallies) }
                }
                if let decision { decisions.append(decision) }
                continue
            }
            var allMet = true
            var blockedBy: String?
            for need in needs[index] {
                // Most needs are decided by their state alone; reading just the state keeps
                // this loop, which runs for every waiting step on every pass, free of copies.
                switch steps[need].state {
                case .succeeded, .skipped:
                    continue
                case .pending, .held, .waiting, .running, .suspended, .retrying:
                    allMet = false
                    continue
                case .failed where workflow.steps[need].continueOnError:
                    continue
                default:
                    blockedBy = blockingReason(steps[need], at: need)
                    if blockedBy == nil { allMet = false }
                }
                if blockedBy != nil { break }
            }
            if let reason = blockedBy {
                decisions.append(.block(step: index, reason: reason))
                continue
            }
            guard allMet, current == .pending else { continue }
            let step = workflow.steps[index]
            if let condition = step.when {
                switch condition.check(in: conditionContext(for: index, in: state)) {
                case .success(true):
                    break
                case .success(false):
                    decisions.append(.skip(step: index, reason: "condition is false: \(condition.source)"))
                    continue
                case .failure(let error):
                    decisions.append(.fail(step: index, reason: Self.unreadableCondition(condition, error)))
                    continue
                }
            }
            guard mayStart else { continue }
            if !tallies.isEmpty, groupHold(index, tallies: tallies) != nil { continue }
            if step.approval != nil && steps[index].approval?.approved != true {
                decisions.append(.openGate(step: index))
                continue
            }
            if free > 0 {
                decisions.append(.start(step: index))
                if !tallies.isEmpty { countStart(index, in: &tallies) }
                free -= 1
            }
        }
        if !state.pendingRollback.isEmpty && !state.isPaused && !state.isFinished {
            for id in state.pendingRollback where free > 0 {
                guard let index = state.index(of: id), state.steps[index].state == .succeeded else { continue }
                let waitsForDependent = dependents[index].contains { dependent in
                    let dependentID = workflow.steps[dependent].id
                    return state.pendingRollback.contains(dependentID) || state.steps[dependent].state == .rollingBack
                }
                if !waitsForDependent {
                    decisions.append(.startRollback(step: index))
                    free -= 1
                }
            }
        }
        return decisions
    }

    /// What to do with a step whose `when:` calls a state function, once all its needs are
    /// settled: its `when:` decides, whatever the needs' states.
    ///
    /// A false `when:` skips the step when its needs went well, but blocks it when one did not
    /// (failed, cancelled, blocked, rolled back): a skipped step lets its dependents go on, and
    /// a failure upstream must not reach them that way. Nil when the step is to start but may
    /// not yet.
    private func decideAfterSettledNeeds(_ index: Int, in state: RunState, mayStart: Bool) -> Decision? {
        let step = workflow.steps[index]
        // A finally step without a `when:` runs whatever happened.
        let check = step.when.map { $0.check(in: conditionContext(for: index, in: state)) } ?? .success(true)
        switch check {
        case .failure(let error):
            return .fail(step: index, reason: step.when.map { Self.unreadableCondition($0, error) } ?? "its condition cannot be evaluated")
        case .success(false):
            let source = step.when?.source ?? ""
            for need in needs[index] where !satisfies(state.steps[need], at: need) {
                if let reason = blockingReason(state.steps[need], at: need) {
                    return .block(step: index, reason: "\(reason), and the condition is false: \(source)")
                }
            }
            return .skip(step: index, reason: "condition is false: \(source)")
        case .success(true):
            guard mayStart else { return nil }
            if step.approval != nil && state.steps[index].approval?.approved != true {
                // A halted run ends once nothing runs: a gate opened now would be left waiting.
                return state.haltReason == nil ? .openGate(step: index) : nil
            }
            return .start(step: index)
        }
    }

    /// How the run stands for its finally steps, which run once every other step has settled:
    /// the ending a halt gave it, else `failed` when a step failed (or was cancelled or
    /// blocked) for good, else `succeeded`.
    public func outcomeSoFar(in state: RunState) -> RunOutcome {
        if let outcome = state.haltOutcome { return outcome }
        let failed = state.steps.indices.contains { index in
            !workflow.steps[index].isFinally && !workflow.steps[index].continueOnError
                && [.failed, .cancelled, .blocked, .rollbackFailed].contains(state.steps[index].state)
        }
        return failed ? .failed : .succeeded
    }

    /// Whether a step whose `when:` calls a state function may start now.
    ///
    /// Like any step, not while the run is paused or once it has finished. Unlike others, also
    /// while the run halts to end cancelled or failed (a cancel, `on_failure: stop`): such
    /// steps are the run's clean-up and reports, and GitHub Actions runs `always()` jobs of a
    /// cancelled run too. Not while it halts to roll back, which would undo them, nor when it
    /// is interrupted, which `baton resume` takes up.
    ///
    /// A finally step may also start once a rollback has finished: the run then ends rolled
    /// back (or failed), and its finally steps report it.
    public func stateFunctionStepsMayStart(in state: RunState, finally: Bool = false) -> Bool {
        guard !state.isPaused, !state.isFinished else { return false }
        guard state.haltReason != nil else { return true }
        if state.owesCompensation || !state.pendingRollback.isEmpty { return false }
        if finally {
            guard state.haltOutcome != .interrupted else { return false }
            return !state.steps.contains { $0.state == .rollingBack }
        }
        switch state.haltOutcome {
        case .cancelled: return true
        case .failed: return workflow.onFailure == .stop
        default: return false
        }
    }

    /// The reason a step fails when its `when:` cannot be evaluated.
    static func unreadableCondition(_ condition: Condition, _ error: ConditionEvaluationError) -> String {
        "the condition could not be evaluated: \(error.message); condition: \(condition.source)"
    }

    /// What a step's `when:` may read: the outputs and states of the steps it needs, and, for
    /// the state functions, how its needs, the steps upstream and the run went.
    public func conditionContext(for index: Int, in state: RunState) -> ConditionContext {
        var context = ConditionContext()
        for need in needs[index] {
            let record = state.steps[need]
            context.outputs[record.id] = record.outputs
            context.states[record.id] = record.state
            // A dynamic fan-out step stands for its group, which its instances count.
            if workflow.steps[need].fanOutSource != nil {
                if context.groupCounts[record.id] == nil { context.groupCounts[record.id] = ["count": 0] }
            } else {
                let group = workflow.steps[need].group ?? record.id
                context.groupCounts[group, default: [:]]["count", default: 0] += 1
                context.groupCounts[group, default: [:]][record.state.rawValue, default: 0] += 1
            }
            if !satisfies(record, at: need) { context.needsSucceeded = false }
        }
        context.params = state.params
        if !workflow.calls.isEmpty { addCallValues(to: &context, for: index, in: state) }
        if workflow.steps[index].isFinally { context.runOutcome = outcomeSoFar(in: state).rawValue }
        context.runHalted = state.haltReason != nil
        context.runCancelled = state.haltOutcome == .cancelled
        // Only `failure()` looks past the needs, and only steps that call a state function can
        // ask; the walk upstream is skipped for all others.
        if callsStateFunction[index] {
            context.upstreamFailed = ancestors(of: index).contains { ancestor in
                state.steps[ancestor].state == .failed && !workflow.steps[ancestor].continueOnError
            }
        }
        return context
    }

    /// Every step that depends on `index`, directly or not, in topological order.
    public func descendants(of index: Int) -> [Int] {
        var seen = Array(repeating: false, count: dependents.count)
        var stack = [index]
        var found = 0
        while let current = stack.popLast() {
            for dependent in dependents[current] where !seen[dependent] {
                seen[dependent] = true
                found += 1
                stack.append(dependent)
            }
        }
        guard found > 0 else { return [] }
        var ordered: [Int] = []
        ordered.reserveCapacity(found)
        for step in topologicalOrder where seen[step] { ordered.append(step) }
        return ordered
    }

    /// Every step `index` depends on, directly or not.
    public func ancestors(of index: Int) -> Set<Int> {
        var seen = Set<Int>()
        var stack = [index]
        while let current = stack.popLast() {
            for need in needs[current] where seen.insert(need).inserted {
                stack.append(need)
            }
        }
        return seen
    }

    /// All step positions, each after every step it needs, ties kept in file order.
    private static func topologicalOrder(needs: [[Int]], dependents: [[Int]]) -> [Int] {
        var remaining = needs.map(\.count)
        var order: [Int] = []
        order.reserveCapacity(needs.count)
        var ready = (0..<needs.count).filter { remaining[$0] == 0 }
        var cursor = 0
        while cursor < ready.count {
            let index = ready[cursor]
            cursor += 1
            order.append(index)
            for dependent in dependents[index] {
                remaining[dependent] -= 1
                if remaining[dependent] == 0 { ready.append(dependent) }
            }
        }
        return order
    }
}
