import Yams

/// Checks how steps refer to each other: unknown and self needs, dependency cycles, and
/// `when:` expressions that read steps outside their `needs`.
///
/// Cycle detection is an iterative depth-first search, linear in steps plus needs, so long
/// chains cannot overflow the stack.
struct DependencyValidator {
    /// How many cycles are spelled out before the rest are summed up.
    static let maximumReportedCycles = 20
    /// How many unknown names get a "did you mean" search, which compares against every step id.
    static let maximumSuggestions = 100
    /// How many step ids all the searches together may compare against, so that a file with
    /// tens of thousands of steps and as many unknown names stays quick to check.
    static let maximumSuggestionComparisons = 400_000

    let file: String
    let steps: [DecodedStep]
    /// The position of a character inside a `when:` value.
    let locate: (Node, Int) -> SourceLocation

    private(set) var problems: [SourceProblem] = []
    private var suggestionsLeft = DependencyValidator.maximumSuggestions
    private var comparisonsLeft = DependencyValidator.maximumSuggestionComparisons

    init(file: String, steps: [DecodedStep], locate: @escaping (Node, Int) -> SourceLocation) {
        self.file = file
        self.steps = steps
        self.locate = locate
    }

    /// Runs every check and returns the problems found.
    mutating func validate() -> [SourceProblem] {
        var index: [String: Int] = [:]
        index.reserveCapacity(steps.count)
        for (position, step) in steps.enumerated() where index[step.id] == nil {
            index[step.id] = position
        }
        var edges: [[(target: Int, location: SourceLocation)]] = Array(repeating: [], count: steps.count)
        for (position, step) in steps.enumerated() {
            for need in step.needs {
                if need.id == step.id {
                    report("step '\(step.id)' needs itself", at: need.location)
                } else if let target = index[need.id] {
                    edges[position].append((target, need.location))
                } else {
                    report(
                        "step '\(step.id)' needs '\(need.id)', which is not a step in this workflow\(suggestion(for: need.id))",
                        at: need.location
                    )
                }
            }
            checkWhen(step, index: index)
        }
        findCycles(edges)
        return problems
    }

    private mutating func report(_ message: String, at location: SourceLocation) {
        problems.append(SourceProblem(file: file, location: location, message: message))
    }

    private mutating func suggestion(for id: String) -> String {
        guard suggestionsLeft > 0, comparisonsLeft >= steps.count else { return "" }
        suggestionsLeft -= 1
        comparisonsLeft -= steps.count
        return Suggestion.hint(for: id, among: steps.lazy.map(\.id))
    }

    /// A `when:` may read only the steps its step needs.
    private mutating func checkWhen(_ step: DecodedStep, index: [String: Int]) {
        guard let node = step.whenNode, !step.whenReferences.isEmpty else { return }
        let needed = Set(step.needs.map(\.id))
        // A fan-out group is read by its name: its instances are what the step needs.
        let neededGroups = Set(step.needs.compactMap { need in index[need.id].flatMap { steps[$0].step.group } })
        var reported: Set<String> = []
        for reference in step.whenReferences where !needed.contains(reference.step) && !neededGroups.contains(reference.step) {
            guard reported.insert(reference.step).inserted else { continue }
            let location = locate(node, reference.offset)
            if reference.step == step.id {
                report("when: reads step '\(step.id)' itself; a step can only read the steps it needs", at: location)
            } else if index[reference.step] == nil && !steps.contains(where: { $0.step.group == reference.step }) {
                report(
                    "when: reads step '\(reference.step)', which is not a step in this workflow\(suggestion(for: reference.step))",
                    at: location
                )
            } else {
                // The instances of a fan-out share their `when:`: said once, of the step as written.
                report(
                    "when: reads step '\(reference.step)', which '\(step.step.group ?? step.id)' does not need; add it to needs",
                    at: location
                )
            }
        }
    }

    /// Reports every cycle closed by a back edge of a depth-first search, in file order.
    private mutating func findCycles(_ edges: [[(target: Int, location: SourceLocation)]]) {
        enum Color: UInt8 { case unvisited, onPath, done }
        var color = [Color](repeating: .unvisited, count: steps.count)
        // The current path: each step with the index of its next edge to follow.
        var path: [(step: Int, nextEdge: Int)] = []
        var pathPosition = [Int](repeating: -1, count: steps.count)
        var cycles: [[(step: Int, location: SourceLocation)]] = []
        var unreportedCycles = 0

        for root in steps.indices where color[root] == .unvisited {
            color[root] = .onPath
            pathPosition[root] = 0
            path.append((root, 0))
            while let last = path.last {
                let step = last.step
                let edgeIndex = last.nextEdge
                guard edgeIndex < edges[step].count else {
                    color[step] = .done
                    pathPosition[step] = -1
                    path.removeLast()
                    continue
                }
                path[path.count - 1].nextEdge += 1
                let target = edges[step][edgeIndex].target
                switch color[target] {
                case .unvisited:
                    color[target] = .onPath
                    pathPosition[target] = path.count
                    path.append((target, 0))
                case .onPath:
                    guard cycles.count < Self.maximumReportedCycles else {
                        unreportedCycles += 1
                        continue
                    }
                    // Each step on the path from `target` followed the edge just before its nextEdge.
                    let cycle = path[pathPosition[target]...].map { entry in
                        (step: entry.step, location: edges[entry.step][entry.nextEdge - 1].location)
                    }
                    cycles.append(cycle)
                case .done:
                    break
                }
            }
        }

        for cycle in cycles {
            // Start the cycle at the step that comes first in the file.
            let start = cycle.indices.min { cycle[$0].step < cycle[$1].step } ?? 0
            let rotated = Array(cycle[start...] + cycle[..<start])
            let ids = rotated.map { steps[$0.step].id }
            report("dependency cycle: \(Self.cycleText(ids))", at: rotated[0].location)
        }
        if unreportedCycles > 0, let first = cycles.first {
            report(
                "\(unreportedCycles) more dependency cycle\(unreportedCycles == 1 ? "" : "s") not shown; break the cycles above and load again",
                at: first[0].location
            )
        }
    }

    /// `a → b → c → a`, with the middle of very long cycles left out.
    static func cycleText(_ ids: [String]) -> String {
        guard let first = ids.first else { return "" }
        var shown = ids
        if ids.count > 24 {
            shown = Array(ids.prefix(12)) + ["… \(ids.count - 23) more …"] + Array(ids.suffix(11))
        }
        return (shown + [first]).joined(separator: " → ")
    }
}
