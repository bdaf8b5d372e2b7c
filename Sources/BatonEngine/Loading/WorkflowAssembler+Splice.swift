import Yams

/// Putting a validated file together with the workflows it calls: each `uses:` step is
/// replaced by the called workflow's steps.
///
/// A called step's id, needs, fan-out group and nested calls are prefixed with the calling
/// step's id and a `.`, which no written step id may hold, so the ids of different calls and
/// of the caller never meet; its conditions read the prefixed ids, and the called workflow's
/// parameters under the scoped names `<call>.<name>`. The called steps with no needs of their
/// own take the `uses:` step's needs; a step that needs the `uses:` step needs every called
/// step, as with a fan-out. A `when:` on the `uses:` step is added to every called step's
/// (which then also needs what the `uses:` step needs, to read it), so when it is false the
/// whole call is skipped. The called file's `env:` applies to its steps below their own, its
/// secrets join the caller's, and its `self_approval: false` holds for its gates.
extension WorkflowAssembler {
    /// The finished workflow of a file that loaded without problems; nil, with the problem
    /// reported, when its calls would make too many steps.
    func splice(_ decoded: DecodedWorkflow, file: String, outputs: [WorkflowCall.Output], decoder: WorkflowDecoder) -> AssembledWorkflow? {
        var total = 0
        for step in decoded.steps { total += step.call?.callee?.workflow.steps.count ?? 1 }
        // Fan-outs alone are limited as they expand; calls can add more than the limit allows.
        if total > Self.maximumSteps, let first = decoded.steps.first(where: { $0.call != nil }), let call = first.call {
            decoder.report(
                "the workflows this file calls bring it, fan-outs included, to \(total) steps, more than the \(Self.maximumSteps) "
                    + "a workflow may have in all (step '\(first.id)' calls '\(call.path)'); call smaller workflows, or fewer",
                at: call.pathNode)
            return nil
        }
        var steps: [Step] = []
        steps.reserveCapacity(total)
        var groups = decoded.groups
        var calls: [WorkflowCall] = []
        var secrets = decoded.secrets
        var stepsOfCall: [String: [String]] = [:]
        var height = 0
        for decodedStep in decoded.steps {
            guard let call = decodedStep.call, let callee = call.callee else {
                steps.append(decodedStep.step)
                continue
            }
            stepsMade += callee.workflow.steps.count
            guard stepsMade <= Self.maximumStepsMade else {
                decoder.report(
                    "step '\(decodedStep.id)' calls '\(call.path)': loading this workflow would make more than \(Self.maximumStepsMade) "
                        + "steps along the way (each level of calls copies the steps below it); call smaller workflows, or fewer",
                    at: call.pathNode)
                return nil
            }
            height = max(height, callee.height + 1)
            let prefix = decodedStep.id
            let inner = callee.workflow.steps.map { spliced($0, into: decodedStep, callee: callee) }
            if let position = inner.firstIndex(where: { $0.id.utf8.count > Self.maximumStepIDLength }) {
                let full = inner[position].id
                decoder.report(
                    "step '\(decodedStep.id)' calls '\(call.path)', whose step '\(callee.workflow.steps[position].id.prefix(80))' would be "
                        + "'\(full.prefix(80))…' in this run, \(full.utf8.count) characters, more than the \(Self.maximumStepIDLength) "
                        + "a step's full id may have (ids name log files); use shorter step ids, or call less deeply",
                    at: call.pathNode)
                return nil
            }
            stepsOfCall[prefix] = inner.map(\.id)
            steps += inner
            groups += callee.workflow.groups.map { group in
                var copy = group
                copy.id = "\(prefix).\(group.id)"
                copy.instances = group.instances.map { "\(prefix).\($0)" }
                return copy
            }
            calls.append(WorkflowCall(
                id: prefix, file: callee.file, workflowName: callee.workflow.name, description: callee.workflow.description,
                name: decodedStep.step.name, notes: decodedStep.step.notes, steps: inner.map(\.id), params: callee.workflow.params,
                arguments: call.arguments,
                outputs: callee.outputs.map { WorkflowCall.Output(name: $0.name, step: "\(prefix).\($0.step)", key: $0.key) },
                ignoredSettings: callee.ignoredSettings))
            calls += callee.workflow.calls.map { Self.prefixed($0, with: prefix) }
            for secret in callee.workflow.secrets where !secrets.contains(secret) { secrets.append(secret) }
        }
        if !stepsOfCall.isEmpty {
            // Needs that name a call name all its steps; the called steps' own needs hold a '.' and never do.
            for index in steps.indices where steps[index].needs.contains(where: { stepsOfCall[$0] != nil }) {
                var seen: Set<String> = []
                steps[index].needs = steps[index].needs.flatMap { stepsOfCall[$0] ?? [$0] }.filter { seen.insert($0).inserted }
            }
        }
        var workflow = Workflow(
            name: decoded.name, description: decoded.description, concurrency: decoded.concurrency, env: decoded.env,
            secrets: secrets, onFailure: decoded.onFailure, selfApproval: decoded.selfApproval, access: decoded.access,
            params: decoded.params, groups: groups, calls: calls, steps: steps)
        workflow.timeout = decoded.timeout
        workflow.notifications = decoded.notifications
        workflow.inventory = decoded.inventory
        return AssembledWorkflow(file: file, workflow: workflow, outputs: outputs, ignoredSettings: decoded.runSettings, height: height)
    }

    /// `step` of the called workflow `callee`, as a step of the caller that calls it from `caller`.
    private func spliced(_ step: Step, into caller: DecodedStep, callee: AssembledWorkflow) -> Step {
        let prefix = caller.id
        var copy = step
        copy.id = "\(prefix).\(step.id)"
        copy.needs = step.needs.map { "\(prefix).\($0)" }
        copy.group = step.group.map { "\(prefix).\($0)" }
        copy.fanOutSource = step.fanOutSource.map { FanOutSource(step: "\(prefix).\($0.step)", key: $0.key) }
        copy.enclosingCalls = [prefix] + step.enclosingCalls.map { "\(prefix).\($0)" }
        copy.isFinally = caller.step.isFinally
        let own = step.when.map { when in
            Condition(source: when.source, expression: when.expression.renamed(step: { "\(prefix).\($0)" }, param: { "\(prefix).\($0)" }))
        }
        if let gate = caller.step.when {
            // The caller's condition reads the caller's steps, so every called step needs them.
            copy.needs = caller.step.needs + copy.needs
            copy.when = own.map { Condition(source: "(\(gate.source)) && (\($0.source))", expression: .and(gate.expression, $0.expression)) } ?? gate
        } else {
            if step.needs.isEmpty { copy.needs = caller.step.needs }
            copy.when = own
        }
        if !callee.workflow.env.isEmpty { copy.env = callee.workflow.env.merging(step.env) { _, own in own } }
        if !callee.workflow.selfApproval, copy.approval != nil, copy.approval?.selfApproval == nil { copy.approval?.selfApproval = false }
        return copy
    }

    /// A call made inside a called workflow, as the caller calling it from `prefix` sees it.
    private static func prefixed(_ call: WorkflowCall, with prefix: String) -> WorkflowCall {
        var copy = call
        copy.id = "\(prefix).\(call.id)"
        copy.parent = call.parent.map { "\(prefix).\($0)" } ?? prefix
        copy.steps = call.steps.map { "\(prefix).\($0)" }
        copy.outputs = call.outputs.map { WorkflowCall.Output(name: $0.name, step: "\(prefix).\($0.step)", key: $0.key) }
        for (name, argument) in call.arguments {
            if case .output(let step, let key) = argument { copy.arguments[name] = .output(step: "\(prefix).\(step)", key: key) }
        }
        return copy
    }
}
