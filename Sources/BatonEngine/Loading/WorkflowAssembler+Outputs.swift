import Yams

/// A workflow's `outputs:`, what it hands the steps that need the step calling it, and the
/// conditions that read a call's outputs.
extension WorkflowAssembler {
    /// Checks what each `when:` reads of a `uses:` step: an output it declares (with a
    /// suggestion for a misspelt one), or its counts; a call has no single state.
    func checkCallReferences(in workflow: DecodedWorkflow, decoder: WorkflowDecoder) {
        var callees: [String: AssembledWorkflow] = [:]
        for step in workflow.steps {
            if let callee = step.call?.callee { callees[step.id] = callee }
        }
        guard !callees.isEmpty else { return }
        for step in workflow.steps {
            guard let node = step.whenNode else { continue }
            for reference in step.whenReferences {
                guard let callee = callees[reference.step] else { continue }
                let place = decoder.location(in: node, offset: reference.offset)
                switch reference.reads {
                case .output(let key) where !callee.outputs.contains(where: { $0.name == key }):
                    decoder.report("when: reads steps.\(reference.step).outputs.\(key), but \(Self.noOutput(key, of: callee))", at: place)
                case .state:
                    decoder.report(
                        "when: reads steps.\(reference.step).state, but '\(reference.step)' calls a workflow, which has no single state: "
                            + "read steps.\(reference.step).succeeded, .failed, .skipped, .cancelled, .blocked or .count",
                        at: place)
                default:
                    break
                }
            }
        }
    }

    /// `outputs:`: each name with the step output it hands on, by the step's full id (an
    /// output of a call is the output of the called step it names). Problems are reported.
    func declaredOutputs(of workflow: DecodedWorkflow, decoder: WorkflowDecoder) -> [WorkflowCall.Output] {
        guard let node = workflow.outputsNode, !decoder.isNull(node) else { return [] }
        guard case .mapping = node else {
            decoder.report("'outputs' must be a mapping from output name to a step's output, such as `version: steps.pack.outputs.version`, not \(decoder.describe(node))", at: node)
            return []
        }
        var outputs: [WorkflowCall.Output] = []
        // The name that takes each variable, and where: two names for one variable are refused,
        // as two keys of one output file are.
        var variables: [String: (name: String, node: Node)] = [:]
        for entry in decoder.entries(of: node) {
            guard let name = entry.key, StepOutputFile.isValidKey(Substring(name)) else {
                decoder.report("output names in 'outputs' must start with a letter or '_' and hold only letters, digits, '_', '-' and '.'", at: entry.keyNode)
                continue
            }
            let variable = StepOutputFile.variableName(step: "call", key: name)
            if let earlier = variables[variable] {
                decoder.report(
                    "output '\(name)' would reach the steps that need the call as the same variable as '\(earlier.name)' (line \(SourceLocation(of: earlier.node).line)); rename one",
                    at: entry.keyNode)
                continue
            }
            variables[variable] = (name, entry.keyNode)
            if let output = output(named: name, entry.value, in: workflow, decoder: decoder) { outputs.append(output) }
        }
        return outputs
    }

    /// One entry of `outputs:`, a reference to a step's output such as `steps.pack.outputs.version`
    /// (in `${{ … }}` or not).
    private func output(named name: String, _ node: Node, in workflow: DecodedWorkflow, decoder: WorkflowDecoder) -> WorkflowCall.Output? {
        let label = FieldLabel(name, parent: "outputs")
        let usage = "\(label) must name one output of a step of this workflow, such as steps.pack.outputs.version"
        guard case .scalar = node, let text = decoder.string(node, label) else {
            if case .scalar = node { decoder.report(usage, at: node) }
            else { decoder.report("\(usage), not \(decoder.describe(node))", at: node) }
            return nil
        }
        let (source, offset) = text.contains("${{") ? (Self.expression(in: text) ?? (text, 0)) : (text, 0)
        let parsed: Condition
        do {
            parsed = try ConditionParser.parse(source)
        } catch {
            decoder.report("\(label) does not parse: \(error.message)", at: decoder.location(in: node, offset: offset + error.offset))
            return nil
        }
        guard case .output(let stepID, let key) = parsed.expression else {
            decoder.report(usage, at: node)
            return nil
        }
        guard let step = workflow.steps.first(where: { $0.id == stepID }) else {
            if workflow.steps.contains(where: { $0.step.group == stepID }) {
                decoder.report("\(label) reads steps.\(stepID).outputs.\(key), but '\(stepID)' fans out, so it has no single output", at: node)
            } else {
                decoder.report(
                    "\(label) reads steps.\(stepID), which is not a step in this workflow"
                        + Suggestion.hint(for: stepID, among: workflow.steps.lazy.filter { $0.step.group == nil }.map(\.id)),
                    at: node)
            }
            return nil
        }
        guard let call = step.call else { return WorkflowCall.Output(name: name, step: stepID, key: key) }
        guard let callee = call.callee else { return nil }
        guard let declared = callee.outputs.first(where: { $0.name == key }) else {
            decoder.report("\(label) reads steps.\(stepID).outputs.\(key), but \(Self.noOutput(key, of: callee))", at: node)
            return nil
        }
        return WorkflowCall.Output(name: name, step: "\(stepID).\(declared.step)", key: declared.key)
    }
}
