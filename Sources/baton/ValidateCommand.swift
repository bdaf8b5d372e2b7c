import ArgumentParser
import BatonEngine
import Foundation

/// `baton validate FILE…`: reports every problem in each file, or a one-line summary.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check workflow files and report every problem as file:line:column: message."
    )

    @Argument(help: "Workflow files to check.", completion: CompletionCandidates.workflowFiles)
    var files: [String]

    @Option(help: ArgumentHelp("An inventory file of hosts, groups and ssh_config, joined with each workflow's own.", valueName: "file"), completion: CompletionCandidates.workflowFiles)
    var inventory: String?

    func run() throws {
        var failed = false
        for file in files {
            do {
                let workflow = try WorkflowLoader.load(contentsOf: file, inventory: inventory)
                let redactor = SecretRedactor(workflow: workflow, environment: ProcessInfo.processInfo.environment)
                print(WorkflowSummary.line(for: redactor.redact(workflow), file: file))
            } catch {
                failed = true
                for problem in error.problems {
                    Console.error("\(problem)")
                }
                let count = error.problems.count
                Console.error("\(file): \(count) problem\(count == 1 ? "" : "s")")
            }
        }
        if failed { throw ExitStatus.invalidInput }
    }
}
