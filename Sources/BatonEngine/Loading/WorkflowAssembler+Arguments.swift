import Yams

/// Checking `with:`, the values a `uses:` step gives the called workflow's parameters.
///
/// A value is written out, checked against the parameter's type when the file loads; or it
/// forwards one of the caller's own parameters (`${{ params.NAME }}`), whose declaration must
/// promise a value that fits; or an output of a step the call needs
/// (`${{ steps.ID.outputs.KEY }}`), passed as the step wrote it.
extension WorkflowAssembler {
    /// Where each parameter of the workflow the step at `index` calls takes its value from;
    /// every problem with `with:` is reported.
    func arguments(ofStepAt index: Int, in workflow: DecodedWorkflow, decoder: WorkflowDecoder) -> [String: WorkflowCall.Argument] {
        let step = workflow.steps[index]
        guard let call = step.call, let callee = call.callee else { return [:] }
        let declared = callee.workflow.params
        let names = declared.map(\.name)
        var arguments: [String: WorkflowCall.Argument] = [:]
        if let node = call.withNode, !decoder.isNull(node) {
            guard case .mapping = node else {
                decoder.report("'with' in step '\(step.id)' must be a mapping from parameter name to value, not \(decoder.describe(node))", at: node)
                return [:]
            }
            for entry in decoder.entries(of: node) {
                guard let name = entry.key else {
                    decoder.report("parameter names must be plain strings, not \(decoder.describe(entry.keyNode))", at: entry.keyNode)
                    continue
                }
                guard let parameter = declared.first(where: { $0.name == name }) else {
                    guard !names.isEmpty else {
                        decoder.report("'with' in step '\(step.id)' gives '\(name)', but \(callee.file) declares no parameters", at: entry.keyNode)
                        continue
                    }
                    let hint = Suggestion.hint(for: name, among: names)
                    let known = hint.isEmpty ? "; its parameters are \(names.map { "'\($0)'" }.joined(separator: ", "))" : hint
                    decoder.report("'with' in step '\(step.id)' gives '\(name)', which \(callee.file) does not declare under 'params'\(known)", at: entry.keyNode)
                    continue
                }
                let label = FieldLabel(name, parent: "with", step: step.id)
                if let argument = argument(entry.value, for: parameter, label, stepAt: index, in: workflow, callee: callee, decoder: decoder) {
                    arguments[name] = argument
                }
            }
        }
        for parameter in declared where parameter.required && parameter.defaultValue == nil && arguments[parameter.name] == nil {
            // A value given but refused was reported at the value; only a missing one is said here.
            if let node = call.withNode, decoder.entries(of: node).contains(where: { $0.key == parameter.name }) { continue }
            decoder.report(
                "step '\(step.id)' gives no value to '\(parameter.name)', which \(callee.file) requires"
                    + (parameter.description.map { " (\($0))" } ?? "") + ": add `\(parameter.name): VALUE` under 'with'",
                at: call.withKeyNode ?? call.pathNode)
        }
        return arguments
    }

    /// What one `with:` value gives `parameter`; nil, with the problem reported, when it cannot.
    private func argument(
        _ node: Node, for parameter: WorkflowParameter, _ label: FieldLabel, stepAt index: Int, in workflow: DecodedWorkflow,
        callee: AssembledWorkflow, decoder: WorkflowDecoder
    ) -> WorkflowCall.Argument? {
        guard case .scalar = node else {
            decoder.report("\(label) must be a single value, not \(decoder.describe(node))", at: node)
            return nil
        }
        guard let text = decoder.string(node, label) else {
            if decoder.isNull(node) {
                decoder.report("\(label) is empty: give it a value, or leave '\(parameter.name)' out to take its default", at: node)
            }
            return nil
        }
        guard text.contains("${{") else {
            if parameter.secret {
                decoder.report(
                    "\(label): '\(parameter.name)' is a secret parameter of \(callee.file), and a value written in the file is no secret; "
                        + "pass a secret parameter of this workflow as ${{ params.NAME }}",
                    at: node)
                return nil
            }
            if let problem = parameter.problem(with: text) {
                decoder.report("\(label) does not fit '\(parameter.name)', a \(parameter.kind.name) in \(callee.file): \(problem)", at: node)
                return nil
            }
            return .value(text)
        }
        let usage = "\(label) must be a plain value, or exactly ${{ params.NAME }} or ${{ steps.ID.outputs.KEY }}"
        guard let (inner, offset) = Self.expression(in: text) else {
            decoder.report(usage, at: node)
            return nil
        }
        let parsed: (condition: Condition, references: [ConditionReference], params: [ConditionParamReference])
        do {
            parsed = try ConditionParser.parseWithReferences(inner)
        } catch {
            decoder.report("\(label) does not parse: \(error.message)", at: decoder.location(in: node, offset: offset + error.offset))
            return nil
        }
        switch parsed.condition.expression {
        case .param(let name):
            return forwarded(name, to: parameter, label, at: node, in: workflow, callee: callee, decoder: decoder)
        case .output(let stepID, let key):
            return output(stepID, key, to: parameter, label, at: node, stepAt: index, in: workflow, callee: callee, decoder: decoder)
        default:
            decoder.report(usage + "; other expressions are not read", at: node)
            return nil
        }
    }

    /// `${{ params.NAME }}`: the caller's parameter, which must always have a value that fits.
    private func forwarded(
        _ name: String, to parameter: WorkflowParameter, _ label: FieldLabel, at node: Node, in workflow: DecodedWorkflow,
        callee: AssembledWorkflow, decoder: WorkflowDecoder
    ) -> WorkflowCall.Argument? {
        guard let source = workflow.params.first(where: { $0.name == name }) else {
            decoder.report(
                "\(label) reads params.\(name), which this workflow does not declare under 'params'"
                    + Suggestion.hint(for: name, among: workflow.params.map(\.name)),
                at: node)
            return nil
        }
        let target = "'\(parameter.name)' of \(callee.file)"
        if source.secret != parameter.secret {
            decoder.report(
                source.secret
                    ? "\(label) passes params.\(name), a secret, to \(target), which is not: declare it with `secret: true`, so it stays masked"
                    : "\(label) passes params.\(name) to \(target), a secret, but params.\(name) is not secret: declare it with `secret: true`",
                at: node)
            return nil
        }
        if let mismatch = Self.mismatch(source, parameter) {
            decoder.report("\(label) passes params.\(name) to \(target): \(mismatch)", at: node)
            return nil
        }
        if parameter.required, parameter.defaultValue == nil, !source.required, source.defaultValue == nil {
            decoder.report(
                "\(label) passes params.\(name), which may have no value (it is not required and has no default), to \(target), which "
                    + "is required: give params.\(name) a default, or make it required",
                at: node)
            return nil
        }
        return .parameter(name)
    }

    /// Why every value `source` may take would not fit `target`; nil when each fits.
    private static func mismatch(_ source: WorkflowParameter, _ target: WorkflowParameter) -> String? {
        switch (target.kind, source.kind) {
        case (.string, _), (.number, .number), (.bool, .bool):
            return nil
        case (.choice(let allowed), .choice(let offered)):
            let outside = offered.filter { !allowed.contains($0) }
            guard !outside.isEmpty else { return nil }
            return "it may be \(outside.map { "'\($0)'" }.joined(separator: ", ")), which is not among the choices \(allowed.map { "'\($0)'" }.joined(separator: ", "))"
        case (.choice(let allowed), _):
            return "it is a \(source.kind.name), and only a choice among \(allowed.map { "'\($0)'" }.joined(separator: ", ")) is sure to fit"
        default:
            return "it is a \(source.kind.name), and the parameter is a \(target.kind.name); declare params.\(source.name) with `type: \(target.kind.name)`"
        }
    }

    /// `${{ steps.ID.outputs.KEY }}`: an output of a step the call needs, by its full id.
    private func output(
        _ stepID: String, _ key: String, to parameter: WorkflowParameter, _ label: FieldLabel, at node: Node, stepAt index: Int,
        in workflow: DecodedWorkflow, callee: AssembledWorkflow, decoder: WorkflowDecoder
    ) -> WorkflowCall.Argument? {
        let step = workflow.steps[index]
        if parameter.secret {
            decoder.report("\(label): '\(parameter.name)' of \(callee.file) is secret, and a step's output is no secret", at: node)
            return nil
        }
        guard step.needs.contains(where: { $0.id == stepID }) else {
            let known = workflow.steps.contains { $0.id == stepID }
            decoder.report(
                known
                    ? "\(label) reads steps.\(stepID), which '\(step.id)' does not need; add it to needs"
                    : "\(label) reads steps.\(stepID), which is not a step in this workflow" + Suggestion.hint(for: stepID, among: workflow.steps.map(\.id)),
                at: node)
            return nil
        }
        guard let source = workflow.steps.first(where: { $0.id == stepID }) else { return nil }
        if source.fanOut?.source != nil {
            decoder.report("\(label) reads steps.\(stepID).outputs.\(key), but '\(stepID)' fans out, so it has no single output", at: node)
            return nil
        }
        guard let call = source.call else { return .output(step: stepID, key: key) }
        // Another call's output comes from one of its steps.
        guard let called = call.callee else { return nil }
        guard let declared = called.outputs.first(where: { $0.name == key }) else {
            decoder.report("\(label) reads steps.\(stepID).outputs.\(key), but \(Self.noOutput(key, of: called))", at: node)
            return nil
        }
        return .output(step: "\(stepID).\(declared.step)", key: declared.key)
    }

    /// The words for an output `name` that the called workflow `called` does not declare.
    static func noOutput(_ name: String, of called: AssembledWorkflow) -> String {
        let names = called.outputs.map(\.name)
        if names.isEmpty { return "\(called.file) declares no 'outputs'" }
        let hint = Suggestion.hint(for: name, among: names)
        return "\(called.file) declares no output '\(name)'" + (hint.isEmpty ? "; its outputs are \(names.map { "'\($0)'" }.joined(separator: ", "))" : hint)
    }

    /// The expression inside `${{ … }}` when it is all of `text` (spaces around allowed), with
    /// its offset in Unicode scalars.
    static func expression(in text: String) -> (String, Int)? {
        let scalars = Array(text.unicodeScalars)
        func trimmed(_ range: Range<Int>) -> Range<Int> {
            var (start, end) = (range.lowerBound, range.upperBound)
            while start < end, scalars[start].properties.isWhitespace { start += 1 }
            while end > start, scalars[end - 1].properties.isWhitespace { end -= 1 }
            return start..<end
        }
        func string(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
        let whole = trimmed(0..<scalars.count)
        guard whole.count >= 5, string(whole.lowerBound..<(whole.lowerBound + 3)) == "${{",
              string((whole.upperBound - 2)..<whole.upperBound) == "}}" else { return nil }
        let inner = trimmed((whole.lowerBound + 3)..<(whole.upperBound - 2))
        let expression = string(inner)
        guard !expression.contains("${{"), !expression.contains("}}") else { return nil }
        return (expression, inner.lowerBound)
    }
}
