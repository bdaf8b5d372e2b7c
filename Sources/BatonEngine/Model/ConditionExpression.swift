/// The syntax tree of a `when:` expression.
///
/// Values are strings unless `fromJSON` made them otherwise (see ``ConditionValue``). `&&`,
/// `||` and `!` treat `""`, `"false"` and `"0"` as false and anything else as true; `==`,
/// `!=` and the numeric comparisons give `"true"` or `"false"`.
public indirect enum ConditionExpression: Sendable, Hashable {
    case literal(String)
    /// `steps.<step>.outputs.<key>` or `steps.<step>.outputs['<key>']`; a missing output reads as `""`.
    case output(step: String, key: String)
    /// `steps.<step>.state`, the step's state name such as `succeeded` or `skipped`.
    case state(step: String)
    /// `params.<name>`, a run parameter; one that is not set reads as `""`.
    case param(String)
    /// `steps.<id>.succeeded` and the like: how many instances of a fan-out group (or of a
    /// plain step, a group of one) are in a state; `count` is how many there are.
    case groupCount(step: String, count: String)
    /// `run.outcome`: how the run stands, as its finally steps see it (`$BATON_RUN_OUTCOME`).
    case runOutcome
    case equal(ConditionExpression, ConditionExpression)
    case notEqual(ConditionExpression, ConditionExpression)
    /// `<`, `<=`, `>` or `>=`: true only when both sides read as numbers and compare so.
    case order(Ordering, ConditionExpression, ConditionExpression)
    case and(ConditionExpression, ConditionExpression)
    case or(ConditionExpression, ConditionExpression)
    case not(ConditionExpression)
    /// A function call with its arguments, their number checked by the parser.
    case call(ConditionFunction, [ConditionExpression])
    /// `condition ? whenTrue : whenFalse`.
    case conditional(ConditionExpression, ConditionExpression, ConditionExpression)

    /// The operator of a numeric comparison.
    public enum Ordering: String, Sendable, Hashable, CaseIterable {
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="

        /// Whether `lhs` and `rhs` are in this order.
        func holds(_ lhs: Double, _ rhs: Double) -> Bool {
            switch self {
            case .less: return lhs < rhs
            case .lessOrEqual: return lhs <= rhs
            case .greater: return lhs > rhs
            case .greaterOrEqual: return lhs >= rhs
            }
        }
    }

    /// The expressions directly inside this one.
    var children: [ConditionExpression] {
        switch self {
        case .literal, .output, .state, .param, .groupCount, .runOutcome: return []
        case .equal(let l, let r), .notEqual(let l, let r), .order(_, let l, let r), .and(let l, let r), .or(let l, let r):
            return [l, r]
        case .not(let operand): return [operand]
        case .call(_, let arguments): return arguments
        case .conditional(let condition, let whenTrue, let whenFalse): return [condition, whenTrue, whenFalse]
        }
    }

    /// The ids of every step the expression reads.
    public var referencedSteps: Set<String> {
        switch self {
        case .output(let step, _), .state(let step), .groupCount(let step, _): return [step]
        default: return children.reduce(into: []) { $0.formUnion($1.referencedSteps) }
        }
    }

    /// The words after `steps.<id>.` that count a group's instances.
    public static let groupCounts = ["count", "succeeded", "failed", "skipped", "cancelled", "blocked"]

    /// The names of every run parameter the expression reads.
    public var referencedParams: Set<String> {
        if case .param(let name) = self { return [name] }
        return children.reduce(into: []) { $0.formUnion($1.referencedParams) }
    }

    /// Whether the expression calls `success()`, `failure()`, `always()` or `cancelled()`
    /// anywhere, even in a branch that is not taken.
    public var callsStateFunction: Bool {
        if case .call(let function, _) = self, function.isStateFunction { return true }
        return children.contains { $0.callsStateFunction }
    }
}
