import ArgumentParser
import BatonEngine
import Foundation

/// `baton graph FILE`: prints the workflow's dependency graph as text, Graphviz dot, Mermaid,
/// an SVG picture or an HTML page, to stdout or to a file.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print a workflow's dependency graph (text, dot, mermaid, svg or html).",
        discussion: """
            svg draws the layered graph as a standalone picture, html as a standalone page \
            with the description and a legend; both suit slides and handouts. With --run, \
            every format shows each step's state in that run. --json prints the steps as \
            nodes and their dependencies as edges, one JSON document (docs/json-output.md).
            """
    )

    @Argument(help: "The workflow file.", completion: CompletionCandidates.workflowFiles)
    var file: String

    @Option(help: ArgumentHelp("An inventory file of hosts, groups and ssh_config, joined with the workflow's own.", valueName: "file"), completion: CompletionCandidates.workflowFiles)
    var inventory: String?

    @Option(help: "Output format: text, dot, mermaid, svg or html.")
    var format: GraphFormat = .text

    @Option(name: .customLong("run"), help: "Colour the steps by their state in this recorded run (a run id or a run directory).", completion: CompletionCandidates.recordedRuns)
    var runReference: String?

    @Option(help: "Where runs are recorded (for --run).", completion: .directory)
    var stateDir: String?

    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp("Write the graph to this file instead of stdout (replacing it).", valueName: "file"))
    var outputPath: String?

    @Flag(help: "Print the graph as one JSON document: the steps as nodes, their dependencies as edges.")
    var json = false

    func validate() throws {
        if json && format != .text { throw ValidationError("--json and --format \(format.rawValue) are two formats: give one") }
    }

    func run() throws {
        let workflow: Workflow
        do {
            workflow = try WorkflowLoader.load(contentsOf: file, inventory: inventory)
        } catch {
            for problem in error.problems { Console.error("\(problem)") }
            throw ExitStatus.invalidInput
        }
        var states: [String: StepState] = [:]
        var runID: String?
        if let run = runReference {
            let directory = try RunLocator.recordedRun(run, stateDir: stateDir)
            do {
                let state = try JournalReader.fold(try directory.readJournal().events)
                for record in state.steps { states[record.id] = record.state }
                runID = state.runID.isEmpty ? directory.runID : state.runID
            } catch {
                Console.error("baton: cannot read run '\(run)': \(error)")
                throw ExitStatus.invalidInput
            }
        }
        // Names and the description are free text and may hold a secret's value.
        let redactor = SecretRedactor(workflow: workflow, environment: ProcessInfo.processInfo.environment)
        let shown = redactor.redact(workflow)
        let graph = json
            ? try JSONOutput.text(GraphJSON(shown, runID: runID, states: states)) + "\n"
            : WorkflowGraphExporter.render(shown, format: format, states: states)
        if let outputPath {
            try write(graph, to: outputPath)
        } else {
            print(graph, terminator: "")
        }
    }

    /// Writes the graph to `path`, creating or replacing the file. A path that cannot be
    /// opened is invalid input; a write that fails part-way (a full disk) is a failure.
    private func write(_ graph: String, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            Console.error("baton: cannot write '\(path)': \(String(cString: strerror(errno)))")
            throw ExitStatus.invalidInput
        }
        let failure = DescriptorIO.writeAll(graph, to: descriptor)
        let closeFailed = close(descriptor) != 0 ? errno : nil
        if let code = failure ?? closeFailed {
            Console.error("baton: cannot write '\(path)': \(String(cString: strerror(code)))")
            throw ExitStatus.failed
        }
    }
}

extension GraphFormat: ExpressibleByArgument {}
