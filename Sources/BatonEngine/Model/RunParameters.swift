/// The values of a run's parameters: those given (`-p NAME=VALUE`), else the declared
/// defaults, each checked against its declaration (`WorkflowParameter`).
public struct RunParameters: Sendable, Hashable {
    /// What the journal shows for a secret parameter that was given a value.
    public static let maskedValue = "***"

    /// The declarations, in file order.
    public let declared: [WorkflowParameter]
    /// Every parameter that has a value, given or by default.
    public let values: [String: String]
    /// The secret parameters that were given a value rather than left at their default.
    public let givenSecrets: Set<String>

    /// No parameters.
    public init() {
        self.init(declared: [], values: [:], givenSecrets: [])
    }

    init(declared: [WorkflowParameter], values: [String: String], givenSecrets: Set<String>) {
        self.declared = declared
        self.values = values
        self.givenSecrets = givenSecrets
    }

    /// The parameters of a new run of `workflow`, from `NAME=VALUE` texts as given on the
    /// command line; every problem is said, in the order the texts came.
    public static func resolve(_ given: [String], for workflow: Workflow) -> Result<RunParameters, RunParametersError> {
        var problems: [String] = []
        let supplied = parse(given, declared: workflow.params, problems: &problems)
        var values: [String: String] = [:]
        for parameter in workflow.params {
            if let value = supplied[parameter.name] ?? parameter.defaultValue {
                values[parameter.name] = value
            } else if parameter.required {
                problems.append("parameter '\(parameter.name)' is required: add -p \(parameter.name)=VALUE"
                                + (parameter.description.map { " (\($0))" } ?? ""))
            }
        }
        guard problems.isEmpty else { return .failure(RunParametersError(problems: problems)) }
        let secrets = Set(workflow.params.filter { $0.secret && supplied[$0.name] != nil }.map(\.name))
        return .success(RunParameters(declared: workflow.params, values: values, givenSecrets: secrets))
    }

    /// The parameters of a run taken up again, from what its `run_started` recorded; a secret
    /// that was given is not in the journal, so it must be given again in `given`, and only
    /// secrets may be.
    public static func resume(recorded: [String: String], given: [String], for workflow: Workflow) -> Result<RunParameters, RunParametersError> {
        var problems: [String] = []
        let supplied = parse(given, declared: workflow.params, problems: &problems)
        for name in supplied.keys.sorted() where workflow.params.first(where: { $0.name == name })?.secret == false {
            problems.append("parameter '\(name)' is not secret: the run keeps the value it started with (\(recorded[name].map { "'\($0)'" } ?? "none"))")
        }
        var values: [String: String] = [:]
        var secrets: Set<String> = []
        for parameter in workflow.params {
            let kept = recorded[parameter.name]
            if parameter.secret, kept == maskedValue {
                guard let value = supplied[parameter.name] else {
                    problems.append("parameter '\(parameter.name)' is secret, so the journal does not keep its value: give it again with -p \(parameter.name)=VALUE")
                    continue
                }
                values[parameter.name] = value
                secrets.insert(parameter.name)
            } else if parameter.secret, supplied[parameter.name] != nil {
                problems.append("parameter '\(parameter.name)' was not given when the run started: the run keeps \(kept == nil ? "no value" : "its default")")
            } else if let kept {
                values[parameter.name] = kept
            }
        }
        guard problems.isEmpty else { return .failure(RunParametersError(problems: problems)) }
        return .success(RunParameters(declared: workflow.params, values: values, givenSecrets: secrets))
    }

    /// What `run_started` records: each value, a given secret's masked, a secret left at its
    /// default left out (the stored workflow holds it).
    public var journaled: [String: String] {
        var recorded: [String: String] = [:]
        for parameter in declared {
            guard let value = values[parameter.name] else { continue }
            if parameter.secret {
                if givenSecrets.contains(parameter.name) { recorded[parameter.name] = Self.maskedValue }
            } else {
                recorded[parameter.name] = value
            }
        }
        return recorded
    }

    /// The variables steps see: `PARAMS_<NAME>` for every declared parameter, `""` for one
    /// without a value.
    public var environment: [String: String] {
        var variables: [String: String] = [:]
        for parameter in declared { variables[parameter.environmentName] = values[parameter.name] ?? "" }
        return variables
    }

    /// The values of secret parameters, which output and logs mask.
    public var secretValues: [String] {
        declared.filter(\.secret).compactMap { values[$0.name] }
    }

    /// The `NAME=VALUE` texts as a mapping, with a problem said for each that is malformed,
    /// names no declared parameter, repeats one, or does not fit its type.
    private static func parse(_ given: [String], declared: [WorkflowParameter], problems: inout [String]) -> [String: String] {
        var supplied: [String: String] = [:]
        let names = declared.map(\.name)
        for text in given {
            guard let equals = text.firstIndex(of: "=") else {
                problems.append("'-p \(text)' must be NAME=VALUE")
                continue
            }
            let name = String(text[..<equals])
            let value = String(text[text.index(after: equals)...])
            guard let parameter = declared.first(where: { $0.name == name }) else {
                problems.append(names.isEmpty
                    ? "the workflow declares no parameters, so '-p \(name)=…' has nothing to set"
                    : "the workflow has no parameter '\(name)'; its parameters are \(names.joined(separator: ", "))" + Suggestion.hint(for: name, among: names))
                continue
            }
            guard supplied[name] == nil else {
                problems.append("parameter '\(name)' is given twice")
                continue
            }
            if let problem = parameter.problem(with: value) {
                // A secret's value is not repeated back.
                problems.append("parameter '\(name)' (\(parameter.kind.name)): " + (parameter.secret ? "the value given does not fit" : problem))
                continue
            }
            supplied[name] = value
        }
        return supplied
    }
}
