import ArgumentParser
import BatonEngine
import Foundation

/// `baton resume RUN`: takes up a run that was interrupted or whose Baton process died.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue a run that was interrupted or whose Baton process died.",
        discussion: """
            Steps that succeeded are not run again, and decided approval gates stay decided.
            A step that was running when Baton stopped is 'interrupted': it runs again if it is
            marked 'idempotent: true' (or with --rerun-interrupted); otherwise it waits for an
            operator to retry or skip it. Processes the dead Baton left behind are killed first.
            The run's stored workflow.yaml runs as it is; a copy edited since the run started is
            refused, and so is a resume without the workflow's secrets in the environment.
            Exit status: 0 succeeded, 1 failed, 2 invalid input, 3 the run could not be recorded (a journal or log write failed; resume it once the cause is fixed), 130 interrupted.
            """
    )

    @Argument(help: "The run: its id (see 'baton runs') or its directory.")
    var run: String

    @OptionGroup var options: RunOptions

    @Flag(help: "Run every interrupted step again, idempotent or not.")
    var rerunInterrupted = false

    @OptionGroup var simulation: SimulationOptions

    func run() async throws {
        var source: RunSource
        switch RunSource.resume(run, stateDir: options.stateDir) {
        case .success(let found): source = found
        case .failure(let refusal):
            Console.error("baton: cannot resume: \(refusal)")
            throw refusal.cannotRecord ? ExitStatus.notRecorded : ExitStatus.invalidInput
        }
        source.rerunsInterrupted = rerunInterrupted
        // A run that was simulated stays simulated: its real commands never ran and must not now.
        let simulate = simulation.simulate || source.wasSimulated
        if options.wantsConsole {
            let theme = try ConsoleSession.theme(named: options.theme)
            throw await ConsoleSession(options: options, simulate: simulate, speed: simulation.speed, seed: simulation.resolvedSeed).run(source, theme: theme)
        }
        throw await HeadlessRunner(options: options, simulate: simulate, speed: simulation.speed, seed: simulation.resolvedSeed).run(source)
    }
}
