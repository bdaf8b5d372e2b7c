extension ConditionExpression {
    /// The value of the expression.
    ///
    /// `&&`, `||` and `? :` evaluate only the operands they need, so an error in a branch not
    /// taken (such as `fromJSON` of text that is not JSON) does not count. Function arguments
    /// are all evaluated.
    public func evaluate(in context: ConditionContext) throws(ConditionEvaluationError) -> ConditionValue {
        switch self {
        case .literal(let text):
            return ConditionValue(text)
        case .output(let step, let key):
            return ConditionValue(context.outputs[step]?[key] ?? "")
        case .state(let step):
            return ConditionValue(context.states[step]?.rawValue ?? "")
        case .param(let name):
            return ConditionValue(context.params[name] ?? "")
        case .groupCount(let step, let count):
            return ConditionValue(String(context.groupCounts[step]?[count] ?? 0))
        case .runOutcome:
            return ConditionValue(context.runOutcome)
        case .equal(let lhs, let rhs):
            return ConditionValue(bool: try lhs.evaluate(in: context).text == rhs.evaluate(in: context).text)
        case .notEqual(let lhs, let rhs):
            return ConditionValue(bool: try lhs.evaluate(in: context).text != rhs.evaluate(in: context).text)
        case .order(let ordering, let lhs, let rhs):
            guard let left = try lhs.evaluate(in: context).number, let right = try rhs.evaluate(in: context).number else {
                return ConditionValue(bool: false)
            }
            return ConditionValue(bool: ordering.holds(left, right))
        case .and(let lhs, let rhs):
            // Spelt out rather than `&&`, whose autoclosure would lose the typed throw.
            guard try lhs.evaluate(in: context).isTruthy else { return ConditionValue(bool: false) }
            return ConditionValue(bool: try rhs.evaluate(in: context).isTruthy)
        case .or(let lhs, let rhs):
            if try lhs.evaluate(in: context).isTruthy { return ConditionValue(bool: true) }
            return ConditionValue(bool: try rhs.evaluate(in: context).isTruthy)
        case .not(let operand):
            return ConditionValue(bool: !(try operand.evaluate(in: context).isTruthy))
        case .conditional(let condition, let whenTrue, let whenFalse):
            return try condition.evaluate(in: context).isTruthy ? whenTrue.evaluate(in: context) : whenFalse.evaluate(in: context)
        case .call(let function, let arguments):
            var values: [ConditionValue] = []
            values.reserveCapacity(arguments.count)
            for argument in arguments { values.append(try argument.evaluate(in: context)) }
            return try Self.call(function, values, in: context)
        }
    }

    private static func call(
        _ function: ConditionFunction, _ values: [ConditionValue], in context: ConditionContext
    ) throws(ConditionEvaluationError) -> ConditionValue {
        switch function {
        case .contains:
            let needle = values[1].text
            if case .array(let elements) = values[0] {
                return ConditionValue(bool: elements.contains { $0.text == needle })
            }
            return ConditionValue(bool: needle.isEmpty || values[0].text.contains(needle))
        case .startsWith:
            return ConditionValue(bool: values[0].text.hasPrefix(values[1].text))
        case .endsWith:
            return ConditionValue(bool: values[0].text.hasSuffix(values[1].text))
        case .fromJSON:
            let text = values[0].text
            do {
                return try ConditionJSONReader.read(text)
            } catch {
                throw ConditionEvaluationError(
                    "fromJSON: \(quoted(text)) is not JSON: \(error.message) (at character \(error.offset + 1))")
            }
        case .toJSON:
            return ConditionValue(values[0].json)
        case .format:
            let template: ConditionFormatTemplate
            do {
                template = try ConditionFormatTemplate(values[0].text)
            } catch {
                throw ConditionEvaluationError(
                    "format: the template \(quoted(values[0].text)) does not read: \(error.message) (at character \(error.offset + 1))")
            }
            let given = values.count - 1
            if let highest = template.highestPlaceholder, highest >= given {
                throw ConditionEvaluationError(
                    "format: the template uses {\(highest)}, but \(given == 0 ? "no value follows" : given == 1 ? "only 1 value follows" : "only \(given) values follow") it")
            }
            return ConditionValue(template.render(Array(values.dropFirst())))
        case .success:
            return ConditionValue(bool: context.needsSucceeded && !context.runHalted)
        case .failure:
            return ConditionValue(bool: context.upstreamFailed)
        case .always:
            return ConditionValue(bool: true)
        case .cancelled:
            return ConditionValue(bool: context.runCancelled)
        }
    }

    /// A value as an error message shows it: quoted, and cut short past 60 characters.
    private static func quoted(_ text: String) -> String {
        let shown = text.count > 60 ? text.prefix(60) + "…" : Substring(text)
        return "'\(shown)'"
    }
}
