import Yams

/// Walks a whole YAML node tree once, without recursion, to catch what no single field check
/// would: repeated keys in any mapping, nesting deeper than ``maximumDepth``, and alias-expanded
/// documents too large to process.
struct DocumentScanner {
    /// The deepest a node may sit, counting the document root as level 1.
    static let maximumDepth = 64

    /// How many values a document of `size` bytes may hold once its aliases are expanded:
    /// every document without aliases fits, and a million values more.
    static func budget(forTextOfSize size: Int) -> Int {
        1_000_000 + 4 * size
    }

    /// What the scan found.
    struct Outcome {
        var problems: [SourceProblem] = []
        /// The positions of keys that repeat an earlier key of the same mapping; later stages skip them.
        var repeatedKeys: Set<SourceLocation> = []
        /// True when the document has more nodes than allowed; nothing further should read it.
        var exceededBudget = false
    }

    let file: String
    let renamedKeys: [SourceLocation: String]

    /// The text of a mapping key as written, seeing through placeholders of renamed keys.
    static func keyText(_ key: Node, renamedKeys: [SourceLocation: String]) -> String? {
        guard case .scalar(let scalar) = key else { return nil }
        if !renamedKeys.isEmpty, let mark = scalar.mark, let original = renamedKeys[SourceLocation(mark)] {
            return original
        }
        return scalar.string
    }

    /// Scans `root`, visiting at most `budget` nodes. Repeated keys are looked for only when
    /// `checkRepeatedKeys` is set: Yams itself rejects them, so they can only remain where the
    /// composer renamed one. A tree whose `shape` the builder took is walked only when that
    /// shape is past a limit, as then the walk finds where.
    func scan(_ root: Node, shape: YAMLTreeBuilder.Shape? = nil, budget: Int, checkRepeatedKeys: Bool) -> Outcome {
        if let shape, !checkRepeatedKeys, shape.visited <= budget, shape.deepestFilled < Self.maximumDepth {
            return Outcome()
        }
        var outcome = Outcome()
        var reportedDepth = false
        var visited = 0
        // Only collections go on the stack; scalars are counted where they sit.
        var stack: [Frame] = [Frame(node: root, depth: 1, isSteps: false)]
        while let frame = stack.popLast() {
            let childDepth = frame.depth + 1
            switch frame.node {
            case .mapping(let mapping):
                visited += 1 + 2 * mapping.count
                if visited > budget { return exceeded(budget, root: root, outcome) }
                if checkRepeatedKeys { findRepeatedKeys(in: mapping, isSteps: frame.isSteps, into: &outcome) }
                guard let first = mapping.first else { continue }
                if childDepth > Self.maximumDepth {
                    if !reportedDepth { reportedDepth = true; outcome.problems.append(tooDeep(first.key)) }
                    continue
                }
                var index = mapping.endIndex
                while index > mapping.startIndex {
                    index -= 1
                    let (key, value) = mapping[index]
                    if !value.isScalar {
                        let isSteps = frame.depth == 1 && Self.keyText(key, renamedKeys: renamedKeys) == "steps"
                        stack.append(Frame(node: value, depth: childDepth, isSteps: isSteps))
                    }
                    if !key.isScalar { stack.append(Frame(node: key, depth: childDepth, isSteps: false)) }
                }
            case .sequence(let sequence):
                visited += 1 + sequence.count
                if visited > budget { return exceeded(budget, root: root, outcome) }
                guard let first = sequence.first else { continue }
                if childDepth > Self.maximumDepth {
                    if !reportedDepth { reportedDepth = true; outcome.problems.append(tooDeep(first)) }
                    continue
                }
                for item in sequence.reversed() where !item.isScalar {
                    stack.append(Frame(node: item, depth: childDepth, isSteps: false))
                }
            case .scalar, .alias:
                visited += 1
            }
        }
        return outcome
    }

    private struct Frame {
        var node: Node
        var depth: Int
        var isSteps: Bool
    }

    private func tooDeep(_ node: Node) -> SourceProblem {
        SourceProblem(
            file: file, location: SourceLocation(of: node),
            message: "nesting is too deep: more than \(Self.maximumDepth) levels"
        )
    }

    private func exceeded(_ budget: Int, root: Node, _ outcome: Outcome) -> Outcome {
        var outcome = outcome
        outcome.problems.append(SourceProblem(
            file: file, location: SourceLocation(of: root),
            message: "the document has more than \(budget) values once its aliases are expanded; use fewer or smaller aliases"
        ))
        outcome.exceededBudget = true
        return outcome
    }

    /// Reports each key of `mapping` that repeats an earlier one, and lists it to be skipped.
    private func findRepeatedKeys(in mapping: Node.Mapping, isSteps: Bool, into outcome: inout Outcome) {
        var seen: [String: SourceLocation] = [:]
        for (key, _) in mapping {
            guard let text = Self.keyText(key, renamedKeys: renamedKeys) else { continue }
            let location = SourceLocation(of: key)
            guard let first = seen[text] else {
                seen[text] = location
                continue
            }
            outcome.repeatedKeys.insert(location)
            let what = isSteps ? "duplicate step id" : "duplicate key"
            outcome.problems.append(SourceProblem(
                file: file, location: location,
                message: "\(what) '\(text)'; it is first defined at line \(first.line), column \(first.column)"
            ))
        }
    }
}

extension Node {
    /// True for a scalar, which has no children.
    fileprivate var isScalar: Bool {
        if case .scalar = self { return true }
        return false
    }
}
