import ArgumentParser
import BatonEngine
import Foundation

/// `baton graph FILE`: prints the workflow's dependency graph as text, Graphviz dot or Mermaid.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print a workflow's dependency graph (text, dot or mermaid)."
    )

    @Argument(help: "The workflow file.")
    var file: String

    @Option(help: "Output format: text, dot or mermaid.")
    var format: GraphFormat = .text

    @Option(name: .customLong("run"), help: "Colour the steps by their state in this recorded run (a run id or a run directory).")
    var runReference: String?

    @Option(help: "Where runs are recorded (for --run).")
    var stateDir: String?

    func run() throws {
        let workflow: Workflow
        do {
            workflow = try WorkflowLoader.load(contentsOf: file)
        } catch {
            for problem in error.problems { Console.error("\(problem)") }
            throw ExitStatus.invalidInput
        }
        var states: [String: StepState] = [:]
        if let run = runReference {
            let directory = RunLocator.directory(for: run, stateDir: stateDir)
            do {
                let state = try JournalReader.fold(try directory.readJournal().events)
                for record in state.steps { states[record.id] = record.state }
            } catch {
                Console.error("baton: cannot read run '\(run)': \(error)")
                throw ExitStatus.invalidInput
            }
        }
        print(WorkflowGraphExporter.render(workflow, format: format, states: states), terminator: "")
    }
}

extension GraphFormat: ExpressibleByArgument {}
