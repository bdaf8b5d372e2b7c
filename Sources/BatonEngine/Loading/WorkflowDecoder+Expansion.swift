import Yams

/// Fan-out: each step with `matrix:` or `for_each:` becomes one step per instance, and every
/// `needs` that names it names all its instances.
extension WorkflowDecoder {
    /// The most instances all the fan-outs of a workflow may make together.
    static let maximumInstances = 100_000
    /// The longest instance label (the part between the brackets of `deploy[web1]`).
    static let maximumInstanceLabelLength = 64

    /// Replaces each fanned-out step by its instances, and records the groups.
    func expandFanOuts(_ workflow: inout DecodedWorkflow) {
        guard workflow.steps.contains(where: { $0.fanOut?.source != nil }) else { return }
        var expanded: [DecodedStep] = []
        var groups: [StepGroup] = []
        var instancesOf: [String: [String]] = [:]
        var total = 0
        for step in workflow.steps {
            guard let fanOut = step.fanOut, let source = fanOut.source, let keyNode = fanOut.node else {
                expanded.append(step)
                continue
            }
            let count = instanceCount(source)
            guard count <= Self.maximumInstances - total else {
                report("step '\(step.id)' fans out to \(count > Self.maximumInstances ? "more than \(Self.maximumInstances)" : "\(count)") instances, "
                       + "more than the \(Self.maximumInstances) a workflow may have in all; split the work into fewer, larger steps", at: keyNode)
                return
            }
            total += count
            guard let instances = instances(of: step, source, at: keyNode) else {
                // Kept whole, so that steps needing it are not told it does not exist.
                expanded.append(step)
                continue
            }
            var ids: [String] = []
            for (label, variables) in instances {
                var instance = step
                instance.step.id = "\(step.id)[\(label)]"
                instance.step.group = step.id
                for (name, value) in variables { instance.step.env[name] = value }
                instance.fanOut = nil
                ids.append(instance.step.id)
                expanded.append(instance)
            }
            instancesOf[step.id] = ids
            let maxFailures = fanOut.maxFailures ?? (fanOut.failFast.map { $0 ? 0 : nil } ?? (fanOut.batch != nil ? 0 : nil))
            groups.append(StepGroup(id: step.id, instances: ids, maxParallel: fanOut.maxParallel, batch: fanOut.batch, maxFailures: maxFailures))
        }
        guard !groups.isEmpty else {
            workflow.steps = expanded
            return
        }
        for index in expanded.indices {
            expanded[index].needs = expanded[index].needs.flatMap { need in
                instancesOf[need.id].map { $0.map { (id: $0, location: need.location) } } ?? [need]
            }
            expanded[index].step.needs = expanded[index].step.needs.flatMap { instancesOf[$0] ?? [$0] }
        }
        workflow.steps = expanded
        workflow.groups = groups
    }

    /// How many instances a fan-out makes, at most (before `exclude`), without making them.
    private func instanceCount(_ source: DecodedFanOut.Source) -> Int {
        switch source {
        case .items(let items):
            return items.count
        case .matrix(let axes, let include, _):
            var product = axes.isEmpty ? 0 : 1
            for axis in axes {
                let (next, overflow) = product.multipliedReportingOverflow(by: axis.values.count)
                if overflow || next > Self.maximumInstances { return Self.maximumInstances + 1 }
                product = next
            }
            return product + include.count
        }
    }

    /// Each instance's label and variables; nil when a label cannot name a step.
    private func instances(of step: DecodedStep, _ source: DecodedFanOut.Source, at keyNode: Node) -> [(label: String, variables: [String: String])]? {
        var made: [(label: String, variables: [String: String])] = []
        var seen: Set<String> = []
        let before = problems.count
        func add(_ label: String, _ variables: [String: String], at node: Node) {
            guard Self.isInstanceLabel(label) else {
                report("'\(label.prefix(80))' cannot name an instance of step '\(step.id)': use at most \(Self.maximumInstanceLabelLength) letters, digits and '_', '-', '.', ':', '@'", at: node)
                return
            }
            guard seen.insert(label).inserted else {
                report("step '\(step.id)' would have two instances named '\(step.id)[\(label)]'", at: node)
                return
            }
            made.append((label, variables))
        }
        switch source {
        case .items(let items):
            for item in items { add(item.text, ["BATON_ITEM": item.text], at: item.node) }
        case .matrix(let axes, let include, let exclude):
            var combinations: [[(key: String, value: String, node: Node)]] = axes.isEmpty ? [] : [[]]
            for axis in axes {
                combinations = combinations.flatMap { partial in axis.values.map { partial + [(axis.key, $0.text, $0.node)] } }
            }
            for combination in combinations where !exclude.contains(where: { rule in
                rule.allSatisfy { pair in combination.contains { $0.key == pair.key && $0.value == pair.value } }
            }) {
                add(combination.map(\.value).joined(separator: ","), Self.matrixVariables(combination.map { ($0.key, $0.value) }),
                    at: combination.last?.node ?? keyNode)
            }
            for rule in include {
                let label = rule.map(\.value).joined(separator: ",")
                // An include that repeats a combination the axes already made adds nothing.
                if seen.contains(label), rule.map(\.key) == axes.map(\.key) { continue }
                add(label, Self.matrixVariables(rule), at: keyNode)
            }
        }
        if made.isEmpty && problems.count == before {
            report("step '\(step.id)' fans out to no instance: 'exclude' leaves none", at: keyNode)
        }
        return problems.count == before ? made : nil
    }

    /// `MATRIX_<KEY>` for each key: upper-cased, every character other than a letter or digit made `_`.
    private static func matrixVariables(_ pairs: [(key: String, value: String)]) -> [String: String] {
        var variables: [String: String] = [:]
        for (key, value) in pairs {
            variables["MATRIX_" + String(key.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })] = value
        }
        return variables
    }

    private static func isInstanceLabel(_ label: String) -> Bool {
        !label.isEmpty && label.unicodeScalars.count <= maximumInstanceLabelLength && label.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || "_-.:@,".unicodeScalars.contains(scalar)
        }
    }
}
