extension ConditionExpression {
    /// The same expression reading other names: every step id (outputs, states, counts) passed
    /// through `step`, every parameter name through `param`. The loader gives a called
    /// workflow's conditions the full ids of its steps and the scoped names of its parameters.
    func renamed(step: (String) -> String, param: (String) -> String) -> ConditionExpression {
        switch self {
        case .literal, .runOutcome:
            return self
        case .output(let id, let key):
            return .output(step: step(id), key: key)
        case .state(let id):
            return .state(step: step(id))
        case .param(let name):
            return .param(param(name))
        case .groupCount(let id, let count):
            return .groupCount(step: step(id), count: count)
        case .equal(let lhs, let rhs):
            return .equal(lhs.renamed(step: step, param: param), rhs.renamed(step: step, param: param))
        case .notEqual(let lhs, let rhs):
            return .notEqual(lhs.renamed(step: step, param: param), rhs.renamed(step: step, param: param))
        case .order(let ordering, let lhs, let rhs):
            return .order(ordering, lhs.renamed(step: step, param: param), rhs.renamed(step: step, param: param))
        case .and(let lhs, let rhs):
            return .and(lhs.renamed(step: step, param: param), rhs.renamed(step: step, param: param))
        case .or(let lhs, let rhs):
            return .or(lhs.renamed(step: step, param: param), rhs.renamed(step: step, param: param))
        case .not(let operand):
            return .not(operand.renamed(step: step, param: param))
        case .call(let function, let arguments):
            return .call(function, arguments.map { $0.renamed(step: step, param: param) })
        case .conditional(let condition, let whenTrue, let whenFalse):
            return .conditional(
                condition.renamed(step: step, param: param), whenTrue.renamed(step: step, param: param),
                whenFalse.renamed(step: step, param: param))
        }
    }
}
