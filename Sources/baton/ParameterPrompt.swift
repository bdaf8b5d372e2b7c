import BatonEngine
import Foundation

/// Asks at the terminal for each required parameter a new run was not given, as Rundeck's
/// job form does, before anything is recorded: what the parameter is for, its type and
/// choices, then a line, asked again until it fits.
///
/// Secrets are not asked for: a typed secret would be echoed on the screen. They must come
/// with `-p`, and a missing one is said as any missing parameter is.
enum ParameterPrompt {
    /// `given` with an answer added for each required parameter it lacks, when standard
    /// input and output are a terminal; `given` unchanged otherwise, or when input ends.
    static func complete(_ given: [String], for workflow: Workflow) -> [String] {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else { return given }
        let named = Set(given.compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
        let missing = workflow.params.filter { $0.required && $0.defaultValue == nil && !$0.secret && !named.contains($0.name) }
        guard !missing.isEmpty else { return given }
        Console.out("\(workflow.name) needs \(missing.count == 1 ? "a value" : "values") before it starts (Ctrl-D to stop):")
        var answers = given
        for parameter in missing {
            guard let value = ask(parameter) else { return answers }
            answers.append("\(parameter.name)=\(value)")
        }
        return answers
    }

    /// One parameter's value, asked until it fits; nil when input ends.
    private static func ask(_ parameter: WorkflowParameter) -> String? {
        var question = "  \(parameter.name) (\(describe(parameter.kind)))"
        if let description = parameter.description { question += " — \(ProgressPrinter.printable(description))" }
        while true {
            Console.write(question + ": ", to: STDOUT_FILENO)
            guard let line = readLine(strippingNewline: true) else {
                Console.out("")
                return nil
            }
            if line.isEmpty {
                Console.out("    a value is required")
            } else if let problem = parameter.problem(with: line) {
                Console.out("    \(ProgressPrinter.printable(problem))")
            } else {
                return line
            }
        }
    }

    private static func describe(_ kind: WorkflowParameter.Kind) -> String {
        switch kind {
        case .string: "text"
        case .number: "a number"
        case .bool: "true or false"
        case .choice(let choices): "one of " + choices.joined(separator: ", ")
        }
    }
}
