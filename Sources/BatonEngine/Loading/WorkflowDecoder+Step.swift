import Yams

extension WorkflowDecoder {
    /// The longest step id allowed; ids become file and variable names.
    static let maximumStepIDLength = 64

    /// One entry of `steps:`; nil when its id is unusable.
    func decodeStep(_ entry: Entry) -> DecodedStep? {
        guard let id = entry.key else {
            report("step ids must be plain strings, not \(describe(entry.keyNode))", at: entry.keyNode)
            return nil
        }
        guard checkStepID(id, at: entry.keyNode) else { return nil }
        var decoded = DecodedStep(
            step: Step(id: id, location: entry.keyLocation), needs: [], whenNode: nil, whenReferences: []
        )
        let node = entry.value
        switch node {
        case .mapping:
            break
        case .scalar(let scalar) where !isNull(node):
            report(
                "step '\(id)' must be a mapping of keys such as 'run' and 'needs', not \(describe(node)); write `run: \(Self.abbreviated(scalar.string))` on the next line, indented",
                at: node
            )
            return decoded
        case .scalar:
            report("step '\(id)' has nothing to do: give it `run`, `simulate`, `approval` or `uses`", at: entry.keyNode)
            return decoded
        default:
            report("step '\(id)' must be a mapping of keys such as 'run' and 'needs', not \(describe(node))", at: node)
            return decoded
        }

        var hasWork = false
        var namesCall = false
        for field in entries(of: node) {
            guard let key = field.key else {
                report("keys must be plain strings, not \(describe(field.keyNode))", at: field.keyNode)
                continue
            }
            guard WorkflowFormat.step.contains(key) else {
                reportUnknownKey(key, at: field.keyNode, in: "in step '\(id)'", allowed: WorkflowFormat.step.names)
                continue
            }
            let value = field.value
            let label = FieldLabel(key, step: id)
            switch key {
            case "name":
                decoded.step.name = string(value, label)
            case "run":
                if !isNull(value) { hasWork = true }
                if let run = string(value, label) {
                    if run.unicodeScalars.allSatisfy(\.properties.isWhitespace) { report("\(label) is empty", at: value) }
                    else { decoded.step.run = run }
                }
            case "needs":
                decoded.needs = needs(value, label)
                decoded.step.needs = decoded.needs.map(\.id)
            case "when":
                decodeWhen(value, label, into: &decoded)
            case "retry":
                if let retry = retryPolicy(value, label) { decoded.step.retry = retry }
            case "timeout":
                decoded.step.timeout = duration(value, label, allowZero: false)
            case "rollback":
                decoded.step.rollback = string(value, label)
            case "approval":
                decoded.step.approval = approvalGate(value, label, stepID: id)
                if decoded.step.approval != nil { hasWork = true }
            case "env":
                decoded.step.env = environment(value, label)
            case "dir":
                decoded.step.dir = string(value, label)
            case "continue_on_error":
                decoded.step.continueOnError = bool(value, label) ?? false
            case "idempotent":
                decoded.step.idempotent = bool(value, label) ?? false
            case "notes":
                decoded.step.notes = string(value, label)
            case "simulate":
                if !isNull(value) { hasWork = true }
                decoded.step.simulate = simulation(value, label, stepID: id)
            case _ where Self.fanOutKeys.contains(key):
                fanOut(field, into: &decoded)
            case "on":
                decodePlacement(field, into: &decoded)
            case "uses", "with":
                namesCall = true
            default:
                // A key of the table that nothing above reads: not part of the format yet.
                reportUnknownKey(key, at: field.keyNode, in: "in step '\(id)'", allowed: WorkflowFormat.step.names)
            }
        }
        // A call refuses the fan-out keys itself, so checks them before `checkFanOut` would.
        if namesCall, decodeCall(node, into: &decoded) { return decoded }
        place(&decoded)
        checkFanOut(&decoded, at: entry.keyNode)
        if !hasWork {
            report("step '\(id)' has nothing to do: give it `run`, `simulate`, `approval` or `uses`", at: entry.keyNode)
        }
        return decoded
    }

    /// Whether `id` can name a step; reports why not.
    private func checkStepID(_ id: String, at node: Node) -> Bool {
        if id.isEmpty {
            report("a step id is empty; use letters, digits, '_' and '-'", at: node)
            return false
        }
        if !Self.hasStepIDCharacters(id) {
            report("step id '\(Self.abbreviated(id))' may only contain letters, digits, '_' and '-'", at: node)
            return false
        }
        if id.utf8.count > Self.maximumStepIDLength {
            report(
                "step id '\(Self.abbreviated(id))' is \(id.utf8.count) characters long; the limit is \(Self.maximumStepIDLength)",
                at: node
            )
            return false
        }
        return true
    }

    /// Whether `id` holds only the characters of a step id: letters, digits, '_' and '-'.
    static func hasStepIDCharacters(_ id: String) -> Bool {
        id.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F || byte == 0x2D
        }
    }

    /// The entries of `needs:`, each once, with their positions.
    private func needs(_ node: Node, _ label: FieldLabel) -> [(id: String, location: SourceLocation)] {
        guard let items = stringList(node, label, of: "step ids", allowSingle: true) else { return [] }
        var result: [(id: String, location: SourceLocation)] = []
        result.reserveCapacity(items.count)
        if items.count <= 16 {
            // Short lists, the usual case, are cheaper to check for repeats without hashing.
            for (id, item) in items where !result.contains(where: { $0.id == id }) {
                result.append((id, SourceLocation(of: item)))
            }
        } else {
            var seen: Set<String> = []
            for (id, item) in items where seen.insert(id).inserted {
                result.append((id, SourceLocation(of: item)))
            }
        }
        return result
    }

    /// Parses `when:`, reporting syntax errors at their character.
    private func decodeWhen(_ node: Node, _ label: FieldLabel, into decoded: inout DecodedStep) {
        guard let source = string(node, label) else { return }
        do {
            let parsed = try ConditionParser.parseWithReferences(source)
            decoded.step.when = parsed.condition
            decoded.whenNode = node
            decoded.whenReferences = parsed.references
            decoded.whenParams = parsed.params
        } catch {
            report("\(label) does not parse: \(error.message)", at: location(in: node, offset: error.offset))
        }
    }

    /// `retry:` as a number of attempts or a mapping.
    func retryPolicy(_ node: Node, _ label: FieldLabel) -> RetryPolicy? {
        if isNull(node) { return nil }
        // Where its keys are: a step's, or another owner's such as a notification command's.
        let place = label.step.map { "in the retry of step '\($0)'" } ?? "in \(label)"
        let parent = label.parent.map { "\($0).\(label.key)" } ?? label.key
        let attemptsExpected = "a whole number of 1 or more"
        switch node {
        case .scalar:
            return integer(node, label, minimum: 1, maximum: Int.max, expected: attemptsExpected).map { RetryPolicy(attempts: $0) }
        case .mapping:
            var attempts: Int?
            var backoff: Duration?
            var maxBackoff: Duration?
            var factor: Double?
            var onExitCodes: [Int32]?
            var maxDuration: Duration?
            var valid = true
            var sawAttempts = false
            for field in entries(of: node) {
                guard let key = field.key else {
                    report("keys must be plain strings, not \(describe(field.keyNode))", at: field.keyNode)
                    continue
                }
                guard WorkflowFormat.retry.contains(key) else {
                    reportUnknownKey(key, at: field.keyNode, in: place, allowed: WorkflowFormat.retry.names)
                    continue
                }
                let fieldLabel = FieldLabel(key, parent: parent, step: label.step)
                switch key {
                case "attempts":
                    sawAttempts = true
                    attempts = integer(field.value, fieldLabel, minimum: 1, maximum: Int.max, expected: attemptsExpected)
                    if attempts == nil { valid = false }
                case "backoff":
                    backoff = duration(field.value, fieldLabel, allowZero: true)
                case "max_backoff":
                    maxBackoff = duration(field.value, fieldLabel, allowZero: false)
                case "factor":
                    factor = backoffFactor(field.value, fieldLabel)
                case "on_exit_codes":
                    onExitCodes = retriedExitCodes(field.value, fieldLabel)
                case "max_duration":
                    maxDuration = duration(field.value, fieldLabel, allowZero: false)
                default:
                    // A key of the table that nothing above reads: not part of the format yet.
                    reportUnknownKey(key, at: field.keyNode, in: place, allowed: WorkflowFormat.retry.names)
                }
            }
            if !sawAttempts {
                report("\(label) has no 'attempts'; add e.g. `attempts: 3`", at: node)
                return nil
            }
            guard valid, let attempts else { return nil }
            return RetryPolicy(
                attempts: attempts, backoff: backoff ?? .seconds(1), maxBackoff: maxBackoff, factor: factor ?? 2,
                onExitCodes: onExitCodes, maxDuration: maxDuration)
        default:
            report("\(label) must be a number of attempts or a mapping with 'attempts' and 'backoff', not \(describe(node))", at: node)
            return nil
        }
    }

    /// `retry.factor`: a number of 1 or more, such as `1.5`.
    private func backoffFactor(_ node: Node, _ label: FieldLabel) -> Double? {
        if isNull(node) { return nil }
        let expected = "a number of 1 or more, such as 1.5 or 2"
        guard case .scalar(let scalar) = node, scalar.style == .plain else {
            report("\(label) must be \(expected), not \(describe(node))", at: node)
            return nil
        }
        let text = scalar.string
        // Digits and a point only: YAML's .inf, .nan, exponents and signs are no factor.
        let allowed = text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }
        guard allowed, text.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }), let value = Double(text), value.isFinite else {
            report("\(label) must be \(expected), not '\(Self.abbreviated(text))'", at: node)
            return nil
        }
        guard value >= 1 else {
            report("\(label) must be \(expected); '\(Self.abbreviated(text))' would shrink each wait", at: node)
            return nil
        }
        return value
    }

    /// `retry.on_exit_codes`: a list of exit codes from 1 to 255, each once; or one code.
    private func retriedExitCodes(_ node: Node, _ label: FieldLabel) -> [Int32]? {
        if isNull(node) { return nil }
        let items: [Node]
        switch node {
        case .sequence(let sequence):
            items = Array(sequence)
        case .scalar:
            items = [node]
        default:
            report("\(label) must be a list of exit codes from 1 to 255, such as [75, 111], not \(describe(node))", at: node)
            return nil
        }
        guard !items.isEmpty else {
            report("\(label) is empty; list the exit codes to retry, or leave it out to retry every failure", at: node)
            return nil
        }
        var codes: [Int32] = []
        var valid = true
        for item in items {
            if case .scalar(let scalar) = item, scalar.string == "0" {
                report("\(label) cannot hold 0: exit 0 is a success, which is never retried", at: item)
                valid = false
                continue
            }
            guard let code = integer(item, label, minimum: 1, maximum: 255, expected: "a list of exit codes from 1 to 255") else {
                if isNull(item) { report("\(label) has an empty entry; write an exit code from 1 to 255", at: item) }
                valid = false
                continue
            }
            if codes.contains(Int32(code)) {
                report("\(label) lists \(code) twice", at: item)
                valid = false
                continue
            }
            codes.append(Int32(code))
        }
        return valid ? codes : nil
    }

    /// `simulate:`, the scripted stand-in for the step's command.
    private func simulation(_ node: Node, _ label: FieldLabel, stepID: String) -> Simulation? {
        if isNull(node) { return nil }
        guard case .mapping = node else {
            report("\(label) must be a mapping with keys such as 'duration' and 'exit_codes', not \(describe(node))", at: node)
            return nil
        }
        var simulation = Simulation()
        var exitCodesNode: Node?
        let exitCodeExpected = "an exit code from 0 to 255"
        for field in entries(of: node) {
            guard let key = field.key else {
                report("keys must be plain strings, not \(describe(field.keyNode))", at: field.keyNode)
                continue
            }
            guard WorkflowFormat.simulation.contains(key) else {
                reportUnknownKey(key, at: field.keyNode, in: "in the simulation of step '\(stepID)'", allowed: WorkflowFormat.simulation.names)
                continue
            }
            let fieldLabel = FieldLabel(key, parent: "simulate", step: stepID)
            switch key {
            case "duration":
                simulation.duration = duration(field.value, fieldLabel, allowZero: true) ?? .zero
            case "exit_codes", "exit_code":
                if let earlier = exitCodesNode {
                    report(
                        "\(fieldLabel) repeats the exit codes given at line \(SourceLocation(of: earlier).line); use either 'exit_code' or 'exit_codes'",
                        at: field.keyNode
                    )
                    continue
                }
                exitCodesNode = field.keyNode
                let items: [Node]
                if key == "exit_code" {
                    items = [field.value]
                } else if case .sequence(let sequence) = field.value {
                    items = Array(sequence)
                } else if case .scalar = field.value, !isNull(field.value) {
                    items = [field.value]
                } else {
                    if !isNull(field.value) {
                        report("\(fieldLabel) must be a list of exit codes, one per attempt, not \(describe(field.value))", at: field.value)
                    }
                    items = []
                }
                simulation.exitCodes = items.compactMap { item in
                    integer(item, fieldLabel, minimum: 0, maximum: 255, expected: exitCodeExpected).map { Int32($0) }
                }
            case "output":
                simulation.output = (stringList(field.value, fieldLabel, of: "lines", allowSingle: true) ?? []).map(\.0)
            case "outputs":
                simulation.outputs = simulatedOutputs(field.value, fieldLabel, stepID: stepID)
            case "failure_chance":
                simulation.failureChance = fraction(field.value, fieldLabel) ?? 0
            default:
                // A key of the table that nothing above reads: not part of the format yet.
                reportUnknownKey(key, at: field.keyNode, in: "in the simulation of step '\(stepID)'", allowed: WorkflowFormat.simulation.names)
            }
        }
        return simulation
    }

    /// `simulate.outputs:`, a mapping of output keys to values.
    private func simulatedOutputs(_ node: Node, _ label: FieldLabel, stepID: String) -> [String: String] {
        if isNull(node) { return [:] }
        guard case .mapping = node else {
            report("\(label) must be a mapping of output names to values, not \(describe(node))", at: node)
            return [:]
        }
        var outputs: [String: String] = [:]
        // The key that takes each variable name, and where: two keys that would be one
        // variable are refused here as a real step's output file would be refused.
        var variables: [String: (key: String, node: Node)] = [:]
        for entry in entries(of: node) {
            // The same names a real step can write to $BATON_OUTPUT, so `when:` can read them.
            guard let key = entry.key, StepOutputFile.isValidKey(Substring(key)) else {
                report(
                    "output names in \(label) must start with a letter or '_' and hold only letters, digits, '_', '-' and '.'",
                    at: entry.keyNode)
                continue
            }
            let variable = StepOutputFile.variableName(step: stepID, key: key)
            if let earlier = variables[variable] {
                report(
                    "output '\(key)' in \(label) would be the same variable as '\(earlier.key)' (line \(SourceLocation(of: earlier.node).line)), $\(variable); rename one",
                    at: entry.keyNode)
                continue
            }
            variables[variable] = (key, entry.keyNode)
            guard case .scalar(let scalar) = entry.value else {
                report("output '\(key)' in \(label) must be a string, not \(describe(entry.value))", at: entry.value)
                continue
            }
            outputs[key] = isNull(entry.value) ? "" : scalar.string
        }
        return outputs
    }
}
