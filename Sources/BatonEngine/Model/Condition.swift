/// A parsed `when:` expression, kept with its source text.
public struct Condition: Sendable, Hashable {
    /// The expression as written in the workflow file.
    public var source: String
    public var expression: ConditionExpression

    public init(source: String, expression: ConditionExpression) {
        self.source = source
        self.expression = expression
    }

    /// Whether the condition holds, or why it could not be evaluated.
    public func check(in context: ConditionContext) -> Result<Bool, ConditionEvaluationError> {
        do {
            return .success(try expression.evaluate(in: context).isTruthy)
        } catch {
            return .failure(error)
        }
    }

    /// Whether the condition holds; one that cannot be evaluated does not.
    public func evaluate(in context: ConditionContext) -> Bool {
        (try? check(in: context).get()) ?? false
    }

    /// The ids of every step the expression reads.
    public var referencedSteps: Set<String> { expression.referencedSteps }

    /// The names of every run parameter the expression reads (`params.<name>`).
    public var referencedParams: Set<String> { expression.referencedParams }

    /// Whether the expression calls `success()`, `failure()`, `always()` or `cancelled()`: such a
    /// step waits for its needs to settle however they end, instead of being blocked by a failure.
    public var callsStateFunction: Bool { expression.callsStateFunction }
}
