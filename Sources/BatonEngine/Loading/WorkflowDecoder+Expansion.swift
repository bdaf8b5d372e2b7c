import Yams

/// Fan-out: each step with `matrix:`, `for_each:` or `on:` naming a group becomes one step per
/// instance, and every `needs` that names it names all its instances.
extension WorkflowDecoder {
    /// The most instances all the fan-outs of a workflow may make together.
    static let maximumInstances = StepGroup.maximumInstances

    /// Replaces each fanned-out step by its instances, and records the groups.
    func expandFanOuts(_ workflow: inout DecodedWorkflow) {
        guard workflow.steps.contains(where: { $0.fanOut?.source != nil }) else { return }
        var expanded: [DecodedStep] = []
        var groups: [StepGroup] = []
        var instancesOf: [String: [String]] = [:]
        var total = 0
        let fannedOut = Set(workflow.steps.lazy.filter { $0.fanOut?.source != nil }.map(\.id))
        let calls = Set(workflow.steps.lazy.filter { $0.call != nil }.map(\.id))
        let stepIDs = Set(workflow.steps.lazy.map(\.id))
        for var step in workflow.steps {
            guard let fanOut = step.fanOut, let source = fanOut.source, let keyNode = fanOut.node else {
                expanded.append(step)
                continue
            }
            if case .output(let output, let node) = source {
                // Its instances are made at run time; until then the step stands for its group.
                if readsItems(from: output, step: step, at: node, stepIDs: stepIDs, fannedOut: fannedOut, calls: calls) {
                    step.step.fanOutSource = output
                    // In its own group, which front ends show by it until its instances join.
                    step.step.group = step.id
                    if !step.needs.contains(where: { $0.id == output.step }) {
                        step.needs.append((output.step, SourceLocation(of: node)))
                        step.step.needs.append(output.step)
                    }
                }
                step.fanOut = nil
                expanded.append(step)
                groups.append(StepGroup(id: step.id, instances: [], maxParallel: fanOut.maxParallel, batch: fanOut.batch, maxFailures: Self.maxFailures(fanOut)))
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
                // An instance of a group of hosts is named after its host.
                if case .hosts = source { instance.step.host = label }
                for (name, value) in variables { instance.step.env[name] = value }
                instance.fanOut = nil
                ids.append(instance.step.id)
                expanded.append(instance)
            }
            instancesOf[step.id] = ids
            groups.append(StepGroup(id: step.id, instances: ids, maxParallel: fanOut.maxParallel, batch: fanOut.batch, maxFailures: Self.maxFailures(fanOut)))
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

    /// The failures a group allows: `max_failures`, 0 for `fail_fast: true`, and 0 for rolling batches.
    private static func maxFailures(_ fanOut: DecodedFanOut) -> Int? {
        fanOut.maxFailures ?? (fanOut.failFast.map { $0 ? 0 : nil } ?? (fanOut.batch != nil ? 0 : nil))
    }

    /// Whether a dynamic fan-out may read its items from `output`: a plain step of this
    /// workflow other than itself; reports why not.
    private func readsItems(
        from output: FanOutSource, step: DecodedStep, at node: Node, stepIDs: Set<String>, fannedOut: Set<String>, calls: Set<String>
    ) -> Bool {
        let label = FieldLabel("for_each", step: step.id)
        if calls.contains(output.step) {
            report("\(label) reads the output of '\(output.step)', which calls another workflow: read the output of one of its steps, or have a step that needs it pass it on", at: node)
        } else if output.step == step.id {
            report("\(label) reads the output of step '\(step.id)' itself; read a step it needs", at: node)
        } else if fannedOut.contains(output.step) {
            report("\(label) reads the output of '\(output.step)', which fans out: read one instance's output, such as steps['\(output.step)[…]']", at: node)
        } else if !stepIDs.contains(output.step) {
            report("\(label) reads the output of '\(output.step)', which is not a step in this workflow" + Suggestion.hint(for: output.step, among: stepIDs.sorted()), at: node)
        } else {
            return true
        }
        return false
    }

    /// How many instances a fan-out makes, at most (before `exclude`), without making them.
    private func instanceCount(_ source: DecodedFanOut.Source) -> Int {
        switch source {
        case .output:
            return 0
        case .items(let items):
            return items.count
        case .hosts(let hosts, _):
            return hosts.count
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
            guard StepGroup.isInstanceLabel(label) else {
                report("'\(label.prefix(80))' cannot name an instance of step '\(step.id)': use at most \(StepGroup.maximumInstanceLabelLength) letters, digits and '_', '-', '.', ':', '@'", at: node)
                return
            }
            guard seen.insert(label).inserted else {
                report("step '\(step.id)' would have two instances named '\(step.id)[\(label)]'", at: node)
                return
            }
            made.append((label, variables))
        }
        switch source {
        case .output:
            break
        case .items(let items):
            for item in items { add(item.text, ["BATON_ITEM": item.text], at: item.node) }
        case .hosts(let hosts, let node):
            for host in hosts { add(host.name, Self.hostVariables(host), at: node) }
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
    }}
