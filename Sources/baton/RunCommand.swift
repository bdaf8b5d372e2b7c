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

    @Flag(help: "Play every step's 'simulate:' block instead of running its command.")
    var simulate = false

    @Option(help: "Speed factor for simulated durations (2 = twice as fast, 0 = instant).")
    var speed: Double = 1

    func validate() throws {
        if !(speed >= 0 && speed <= 10_000) { throw ValidationError("--speed must be between 0 and 10000, not \(speed)") }
    }

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
            throw ExitCode(await ConsoleSession(options: options, simulate: simulate, speed: speed).run(.new(workflow, text: text, stateDir: options.stateDir), theme: theme))
        }
        let runner = HeadlessRunner(options: options, simulate: simulate, speed: speed)
        throw ExitCode(await runner.run(.new(workflow, text: text, stateDir: options.stateDir)))
    }
}
