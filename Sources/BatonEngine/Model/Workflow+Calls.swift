/// What the steps of called workflows (`uses:`) read: their calls' parameters, and the outputs
/// of the calls they need.
///
/// Every call is a scope of parameters of its own: a step inside it reads the called
/// workflow's parameters, with the values `with:` gave, never the run's parameters of the same
/// names. Values are worked out when they are read, from the run's parameters and the outputs
/// steps published, so a resumed run reads what the run it resumes read.
extension Workflow {
    /// The values of the parameters of the call `id`: what its `with:` gives (a value, the
    /// calling scope's parameter, an output of a step it needs), else the parameter's default.
    /// A parameter with neither has no value. `runValues` are the run's own parameters, and
    /// `outputs` gives the outputs a step (by full id) published.
    public func parameterValues(
        ofCall id: String, runValues: [String: String], outputs: (String) -> [String: String]
    ) -> [String: String] {
        guard let call = call(id) else { return [:] }
        let outer = call.parent.map { parameterValues(ofCall: $0, runValues: runValues, outputs: outputs) } ?? runValues
        var values: [String: String] = [:]
        for parameter in call.params {
            let given: String?
            switch call.arguments[parameter.name] {
            case .value(let value)?: given = value
            case .parameter(let name)?: given = outer[name]
            case .output(let step, let key)?: given = outputs(step)[key]
            case nil: given = nil
            }
            if let value = given ?? parameter.defaultValue { values[parameter.name] = value }
        }
        return values
    }

    /// The `PARAMS_<NAME>` variables `step` sees: the run's parameters for a step of the run's
    /// own file, its innermost call's for a step of a called workflow; `""` for a parameter
    /// without a value.
    public func parameterEnvironment(
        for step: Step, runParameters: RunParameters, outputs: (String) -> [String: String]
    ) -> [String: String] {
        guard let innermost = step.enclosingCalls.last, let call = call(innermost) else { return runParameters.environment }
        let values = parameterValues(ofCall: innermost, runValues: runParameters.values, outputs: outputs)
        var variables: [String: String] = [:]
        for parameter in call.params { variables[parameter.environmentName] = values[parameter.name] ?? "" }
        return variables
    }

    /// What a `when:` of `step` reads as `params.…`: the run's parameters by name, and those of
    /// each call that holds the step as `<call id>.<name>`, the names the loader gave the
    /// references of a called workflow's conditions. No parameter name holds a `.`, so the two
    /// never meet.
    public func conditionParameters(
        for step: Step, runValues: [String: String], outputs: (String) -> [String: String]
    ) -> [String: String] {
        var values = runValues
        for id in step.enclosingCalls {
            for (name, value) in parameterValues(ofCall: id, runValues: runValues, outputs: outputs) {
                values["\(id).\(name)"] = value
            }
        }
        return values
    }

    /// The outputs each call hands a step that needs it: for every call that holds one of
    /// `needs` (step positions), its declared outputs by name, keyed by the call's full id.
    public func callOutputs(forNeeds needs: [Int], outputs: (String) -> [String: String]) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for need in needs {
            for id in steps[need].enclosingCalls where result[id] == nil {
                guard let call = call(id) else { continue }
                var values: [String: String] = [:]
                for output in call.outputs { values[output.name] = outputs(output.step)[output.key] ?? "" }
                result[id] = values
            }
        }
        return result
    }

    /// What the graph draws a step as when it folds groups: the outermost call that holds it
    /// and is not in `expanded`, else its fan-out group unless expanded; nil for a step shown
    /// on its own.
    public func graphGroup(of step: Step, expanded: Set<String> = []) -> String? {
        foldingChain(of: step).first { !expanded.contains($0) }
    }

    /// The calls that hold a step, outermost first, then its fan-out group: what folds it in
    /// the graph, in the order they open.
    public func foldingChain(of step: Step) -> [String] {
        step.group.map { step.enclosingCalls + [$0] } ?? step.enclosingCalls
    }
}
