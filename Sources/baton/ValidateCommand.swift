import ArgumentParser
import BatonEngine
import Foundation

/// `baton validate FILE…`: reports every problem in each file, or a one-line summary.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check workflow files and report every problem as file:line:column: message.",
        discussion: """
            Exit status: 0 every file is valid, 2 a file has a problem. With --json, stdout \
            carries one JSON document, every file with its problems (docs/json-output.md).
            """
    )

    @Argument(help: "Workflow files to check.", completion: CompletionCandidates.workflowFiles)
    var files: [String]

    @Option(help: ArgumentHelp("An inventory file of hosts, groups and ssh_config, joined with each workflow's own.", valueName: "file"), completion: CompletionCandidates.workflowFiles)
    var inventory: String?

    @Flag(help: "Print one JSON document on stdout: each file, valid or not, with its problems.")
    var json = false

    func run() throws {
        var checked: [ValidatedFileJSON] = []
        for file in files {
            do {
                let workflow = try WorkflowLoader.load(contentsOf: file, inventory: inventory)
                let redactor = SecretRedactor(workflow: workflow, environment: ProcessInfo.processInfo.environment)
                let shown = redactor.redact(workflow)
                checked.append(ValidatedFileJSON(file: file, workflow: shown))
                if !json { print(WorkflowSummary.line(for: shown, file: file)) }
            } catch {
                checked.append(ValidatedFileJSON(file: file, problems: error.problems))
                guard !json else { continue }
                for problem in error.problems {
                    Console.error("\(problem)")
                }
                let count = error.problems.count
                Console.error("\(file): \(count) problem\(count == 1 ? "" : "s")")
            }
        }
        let report = ValidationJSON(files: checked)
        if json { try JSONOutput.print(report) }
        if !report.valid { throw ExitStatus.invalidInput }
    }
}
