import Yams

/// Decoding of `params:`, the run parameters a workflow declares.
extension WorkflowDecoder {
    /// `params:` (or `noun`, another block declared the same way), a mapping from each
    /// parameter's name to its declaration.
    func parameters(_ node: Node, noun: String = "params") -> [WorkflowParameter] {
        if isNull(node) { return [] }
        guard case .mapping = node else {
            report("'\(noun)' must be a mapping from name to settings (type, default, description, required), not \(describe(node))", at: node)
            return []
        }
        var declared: [WorkflowParameter] = []
        var variables: [String: String] = [:]
        for entry in entries(of: node) {
            guard let name = entry.key else {
                report("parameter names must be plain strings, not \(describe(entry.keyNode))", at: entry.keyNode)
                continue
            }
            guard WorkflowParameter.isValidName(name) else {
                report("'\(name)' is not a parameter name: use a letter or '_', then letters, digits, '_' and '-'", at: entry.keyNode)
                continue
            }
            guard let parameter = parameter(named: name, entry.value) else { continue }
            // Two names that differ only where the variable name has '_' would share it.
            if let other = variables[parameter.environmentName] {
                report("parameters '\(other)' and '\(name)' would both reach steps as $\(parameter.environmentName); rename one", at: entry.keyNode)
                continue
            }
            variables[parameter.environmentName] = name
            declared.append(parameter)
        }
        return declared
    }

    /// Refuses a `when:` that reads a parameter the workflow does not declare, or a secret one
    /// (its value is not recorded, so a resumed run could not decide the same way).
    func checkParamReferences(in workflow: DecodedWorkflow) {
        let declared = Dictionary(workflow.params.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for step in workflow.steps {
            guard let node = step.whenNode else { continue }
            for reference in step.whenParams {
                let label = FieldLabel("when", step: step.id)
                let place = location(in: node, offset: reference.offset)
                guard let parameter = declared[reference.name] else {
                    report("\(label) reads params.\(reference.name), which the workflow does not declare under 'params'"
                           + Suggestion.hint(for: reference.name, among: declared.keys), at: place)
                    continue
                }
                if parameter.secret {
                    report("\(label) reads params.\(reference.name), a secret: a secret cannot decide a condition, since the journal does not keep its value", at: place)
                }
            }
        }
    }

    /// One parameter's settings; nil (with the problems reported) when they do not hold.
    private func parameter(named name: String, _ node: Node) -> WorkflowParameter? {
        var parameter = WorkflowParameter(name: name)
        if isNull(node) { return parameter }
        guard case .mapping = node else {
            report("parameter '\(name)' must be a mapping of settings (type, default, description, required), not \(describe(node))", at: node)
            return nil
        }
        var typeName = "string"
        var typeNode: Node?
        var choices: [String]?
        var choicesNode: Node?
        var defaultNode: Node?
        let before = problems.count
        for field in entries(of: node) {
            guard let key = field.key else {
                report("keys must be plain strings, not \(describe(field.keyNode))", at: field.keyNode)
                continue
            }
            guard WorkflowFormat.parameter.contains(key) else {
                reportUnknownKey(key, at: field.keyNode, in: "in parameter '\(name)'", allowed: WorkflowFormat.parameter.names)
                continue
            }
            let label = FieldLabel(key, parent: "params.\(name)")
            switch key {
            case "type":
                guard let text = string(field.value, label) else { continue }
                guard WorkflowFormat.parameterTypes.contains(text) else {
                    report("\(label) must be one of \(WorkflowFormat.parameterTypes.joined(separator: ", ")), not '\(text)'" + Suggestion.hint(for: text, among: WorkflowFormat.parameterTypes), at: field.value)
                    continue
                }
                typeName = text
                typeNode = field.value
            case "default":
                guard case .scalar = field.value else {
                    report("\(label) must be a single value, not \(describe(field.value))", at: field.value)
                    continue
                }
                if isNull(field.value) { continue }
                parameter.defaultValue = string(field.value, label)
                defaultNode = field.value
            case "description":
                parameter.description = string(field.value, label)
            case "required":
                parameter.required = bool(field.value, label) ?? false
            case "secret":
                parameter.secret = bool(field.value, label) ?? false
            case "choices":
                choicesNode = field.value
                guard let items = stringList(field.value, label, of: "choice", allowSingle: false) else { continue }
                let words = items.map(\.0)
                if words.isEmpty {
                    report("\(label) is empty: list the values the parameter may take", at: field.value)
                } else if let repeated = words.enumerated().first(where: { words[..<$0.offset].contains($0.element) }) {
                    report("\(label) lists '\(repeated.element)' twice", at: items[repeated.offset].1)
                } else {
                    choices = words
                }
            default:
                // A key of the table that nothing above reads: not part of the format yet.
                reportUnknownKey(key, at: field.keyNode, in: "in parameter '\(name)'", allowed: WorkflowFormat.parameter.names)
            }
        }
        switch typeName {
        case "number": parameter.kind = .number
        case "bool": parameter.kind = .bool
        case "choice":
            guard let choices else {
                if choicesNode == nil {
                    report("parameter '\(name)' is a choice: list its values under 'choices'", at: typeNode ?? node)
                }
                return nil
            }
            parameter.kind = .choice(choices)
        default: break
        }
        if let choicesNode, typeName != "choice" {
            report("'choices' is only for parameters of type choice; add 'type: choice' to parameter '\(name)'", at: choicesNode)
        }
        if let value = parameter.defaultValue, let defaultNode, let problem = parameter.problem(with: value) {
            report("the default of parameter '\(name)' does not fit its type (\(typeName)): \(problem)", at: defaultNode)
        }
        return problems.count == before ? parameter : nil
    }
}
