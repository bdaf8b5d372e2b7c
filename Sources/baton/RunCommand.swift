import ArgumentParser
import BatonEngine
import Foundation

/// `baton run FILE`: runs a workflow and records it.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a workflow.",
        discussion: "Exit status: 0 succeeded, 1 failed, 2 invalid input, 130 interrupted."
    )

    @Argument(help: "The workflow file.")
    var file: String

    @OptionGroup var options: RunOptions

    @OptionGroup var simulation: SimulationOptions

    func run() async throws {
        let workflow: Workflow
        do {
            workflow = try WorkflowLoader.load(contentsOf: file)
        } catch {
            for problem in error.problems { Console.error("\(problem)") }
            throw ExitStatus.invalidInput
        }
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        if options.wantsConsole {
            let theme = try ConsoleSession.theme(named: options.theme)
            throw await ConsoleSession(options: options, simulate: simulation.simulate, speed: simulation.speed, seed: simulation.resolvedSeed).run(.new(workflow, text: text, stateDir: options.stateDir), theme: theme)
        }
        let runner = HeadlessRunner(options: options, simulate: simulation.simulate, speed: simulation.speed, seed: simulation.resolvedSeed)
        throw await runner.run(.new(workflow, text: text, stateDir: options.stateDir))
    }
}
