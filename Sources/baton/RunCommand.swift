import ArgumentParser
import BatonEngine
import Foundation

/// `baton run FILE`: runs a workflow and records it.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a workflow.",
        discussion: """
            A run that waits for an operator (a failed step under on_failure: wait, an interrupted \
            step, a failed rollback) asks at the terminal what to do about each such step; with no \
            terminal, or when you leave it, it ends waiting for an operator and 'baton resume RUN' \
            takes it up.

            Exit status: 0 succeeded; 1 failed, cancelled or left waiting for an operator; 2 invalid \
            input; 3 the run could not be recorded (a journal or log write failed; resume it once \
            the cause is fixed); 130 interrupted.
            """
    )

    @Argument(help: "The workflow file.")
    var file: String

    @OptionGroup var options: RunOptions

    @OptionGroup var simulation: SimulationOptions

    func run() async throws {
        let source: RunSource
        do {
            source = try RunSource.new(file: file, stateDir: options.stateDir)
        } catch {
            for problem in error.problems { Console.error("\(problem)") }
            throw ExitStatus.invalidInput
        }
        if options.wantsConsole {
            let theme = try ConsoleSession.theme(named: options.theme)
            throw await ConsoleSession(options: options, simulate: simulation.simulate, speed: simulation.speed, seed: simulation.resolvedSeed).run(source, theme: theme)
        }
        let runner = HeadlessRunner(options: options, simulate: simulation.simulate, speed: simulation.speed, seed: simulation.resolvedSeed)
        throw await runner.run(source)
    }
}
