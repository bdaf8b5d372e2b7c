/// A parsed `when:` expression, kept with its source text.
public struct Condition: Sendable, Hashable {
    /// The expression as written in the workflow file.
    public var source: String
    public var expression: ConditionExpression

    public init(source: String, expression: ConditionExpression) {
        self.source = source
        self.expression = expression
    }

    /// Whether the condition holds, given the outputs and states of the needed steps.
    public func evaluate(in context: ConditionContext) -> Bool {
        expression.evaluate(in: context).isTruthy
    }

    /// The ids of every step the expression reads.
    public var referencedSteps: Set<String> { expression.referencedSteps }
}

/// What a `when:` expression can read: the outputs and states of steps.
public struct ConditionContext: Sendable {
    public var outputs: [String: [String: String]]
    public var states: [String: StepState]

    public init(outputs: [String: [String: String]] = [:], states: [String: StepState] = [:]) {
        self.outputs = outputs
        self.states = states
    }
}

/// The syntax tree of a `when:` expression.
///
/// Every value is a string. `&&`, `||` and `!` treat `""`, `"false"` and `"0"` as false and
/// anything else as true; `==` and `!=` give `"true"` or `"false"`.
public indirect enum ConditionExpression: Sendable, Hashable {
    case literal(String)
    /// `steps.<step>.outputs.<key>`; a missing output reads as `""`.
    case output(step: String, key: String)
    /// `steps.<step>.state`, the step's state name such as `succeeded` or `skipped`.
    case state(step: String)
    case equal(ConditionExpression, ConditionExpression)
    case notEqual(ConditionExpression, ConditionExpression)
    case and(ConditionExpression, ConditionExpression)
    case or(ConditionExpression, ConditionExpression)
    case not(ConditionExpression)

    /// The value of the expression as a string.
    public func evaluate(in context: ConditionContext) -> ConditionValue {
        switch self {
        case .literal(let text):
            return ConditionValue(text)
        case .output(let step, let key):
            return ConditionValue(context.outputs[step]?[key] ?? "")
        case .state(let step):
            return ConditionValue(context.states[step]?.rawValue ?? "")
        case .equal(let lhs, let rhs):
            return ConditionValue(bool: lhs.evaluate(in: context) == rhs.evaluate(in: context))
        case .notEqual(let lhs, let rhs):
            return ConditionValue(bool: lhs.evaluate(in: context) != rhs.evaluate(in: context))
        case .and(let lhs, let rhs):
            return ConditionValue(bool: lhs.evaluate(in: context).isTruthy && rhs.evaluate(in: context).isTruthy)
        case .or(let lhs, let rhs):
            return ConditionValue(bool: lhs.evaluate(in: context).isTruthy || rhs.evaluate(in: context).isTruthy)
        case .not(let operand):
            return ConditionValue(bool: !operand.evaluate(in: context).isTruthy)
        }
    }

    /// The ids of every step the expression reads.
    public var referencedSteps: Set<String> {
        switch self {
        case .literal: return []
        case .output(let step, _), .state(let step): return [step]
        case .equal(let l, let r), .notEqual(let l, let r), .and(let l, let r), .or(let l, let r):
            return l.referencedSteps.union(r.referencedSteps)
        case .not(let operand): return operand.referencedSteps
        }
    }
}

/// A string value inside a condition, with the truthiness rule of `when:`.
public struct ConditionValue: Sendable, Hashable {
    public var text: String

    public init(_ text: String) { self.text = text }
    public init(bool: Bool) { self.text = bool ? "true" : "false" }

    /// False for `""`, `"false"` and `"0"`; true otherwise.
    public var isTruthy: Bool { !(text.isEmpty || text == "false" || text == "0") }
}
