import ArgumentParser
import BatonConsole
import BatonEngine
import Foundation

/// `baton run FILE`: runs a workflow and records it.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a workflow.",
        discussion: """
            An approval gate that --approve or --approve-all does not approve is asked about at the \
            terminal. A run that waits for an operator (a failed step under on_failure: wait, an \
            interrupted step, a failed rollback) asks at the terminal what to do about each such \
            step; when you leave it, it ends waiting for an operator and 'baton resume RUN' takes \
            it up.

            With no terminal, the run waits for an operator to act from another terminal: it prints \
            the commands that would (baton approve RUN STEP -m TEXT, baton reject, retry, skip, \
            rollback, cancel) and goes on when one is carried out; a gate waits until its timeout. \
            SIGINT or SIGTERM interrupts it. With --unattended (for CI) nobody is waited for: a \
            gate the command line does not approve is rejected at once, and a run that needs an \
            operator ends waiting for one.

            Exit status: 0 succeeded; 1 failed, cancelled or left waiting for an operator; 2 invalid \
            input; 3 the run could not be recorded (a journal or log write failed; resume it once \
            the cause is fixed); 130 interrupted.
            """
    )

    @Argument(help: "The workflow file.", completion: CompletionCandidates.workflowFiles)
    var file: String

    @Option(help: ArgumentHelp(
        "An inventory file of hosts, groups and ssh_config, joined with the workflow's own; the run keeps a copy, so a resume runs on the same hosts.",
        valueName: "file"), completion: CompletionCandidates.workflowFiles)
    var inventory: String?

    @OptionGroup var options: RunOptions

    @OptionGroup var simulation: SimulationOptions

    func run() async throws {
        // A bad config file stops the console before anything is recorded.
        let config = options.wantsConsole ? try ConsoleSession.loadConfig() : ConsoleConfig.defaults
        var source: RunSource
        do {
            source = try RunSource.new(file: file, inventory: inventory, stateDir: options.stateDir)
        } catch {
            for problem in error.problems { Console.error("\(problem)") }
            throw ExitStatus.invalidInput
        }
        do {
            try source.setParameters(ParameterPrompt.complete(options.params, for: source.workflow))
        } catch {
            for problem in error.problems { Console.error("baton: \(file): \(problem)") }
            throw ExitStatus.invalidInput
        }
        if options.wantsConsole {
            let theme = try ConsoleSession.theme(flag: options.theme, config: config)
            throw await ConsoleSession(options: options, config: config, simulate: simulation.simulate, speed: simulation.speed, seed: simulation.resolvedSeed).run(source, theme: theme)
        }
        let runner = HeadlessRunner(options: options, simulate: simulation.simulate, speed: simulation.speed, seed: simulation.resolvedSeed)
        throw await runner.run(source)
    }
}
