import ArgumentParser
import BatonConsole
import BatonEngine
import Foundation

/// `baton resume RUN`: takes up a run that was interrupted, that waits for an operator or whose
/// Baton process died, and reopens a finished run to retry or skip its steps.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue a run that was interrupted, waits for an operator or whose Baton process died; reopen a finished one.",
        discussion: """
            Steps that succeeded are not run again, and decided approval gates stay decided. \
            A step that was running when Baton stopped is 'interrupted': it runs again if it is \
            marked 'idempotent: true' (or with --rerun-interrupted); otherwise it waits for an \
            operator to retry or skip it. Processes the dead Baton left behind are killed first. \
            The run's stored workflow.yaml runs as it is; a copy edited since the run started is \
            refused, and so is a resume without the workflow's secrets in the environment.

            --retry-failed runs every failed, cancelled and interrupted step again (and the steps \
            on_failure: rollback undid before them), and the steps they blocked follow; --skip STEP \
            skips a failed step so that the steps after it go on. Either one also reopens a finished \
            run; the journal and 'baton runs --audit RUN' record who reopened it and why. Without \
            them, a finished run opens in the console with nothing changed (retry, skip and roll \
            back from there) and is refused headless. A run that waits for an operator asks at the \
            terminal what to do about each step that needs a decision; with no terminal it waits \
            for an operator to act from another terminal, as 'baton run' does, and with \
            --unattended it ends waiting again. Only someone who can write the run's directory \
            may resume or reopen it.

            Exit status: 0 succeeded (or rolled back); 1 failed, cancelled, rollback failed or left \
            waiting for an operator (baton resume takes it up); 2 invalid input (an unknown run or \
            step, a run that cannot be resumed or that you cannot write, a step that cannot be \
            retried or skipped: the reason is printed and nothing is changed); 3 the run could not \
            be recorded (a journal or log write failed; resume it once the cause is fixed); \
            130 interrupted.
            """
    )

    @Argument(help: "The run: its id (see 'baton runs') or its directory.", completion: CompletionCandidates.recordedRuns)
    var run: String

    @OptionGroup var options: RunOptions

    @Flag(help: "Run every interrupted step again, idempotent or not.")
    var rerunInterrupted = false

    @Flag(help: "Retry every failed, cancelled and interrupted step (reopens a finished run); what they blocked follows.")
    var retryFailed = false

    @Option(name: .customLong("skip"), help: ArgumentHelp("Skip this failed step so that the steps after it go on (repeatable; reopens a finished run).", valueName: "step"), completion: CompletionCandidates.steps(.skip))
    var skips: [String] = []

    @OptionGroup var simulation: SimulationOptions

    func run() async throws {
        let request = ReopenRequest(retryFailed: retryFailed, skips: skips)
        let console = options.wantsConsole
        // A bad config file stops the console before anything is recorded.
        let config = options.wantsConsole ? try ConsoleSession.loadConfig() : ConsoleConfig.defaults
        // The console opens a finished run as it ended, for the operator to reopen it there.
        let directory = try RunLocator.recordedRun(run, stateDir: options.stateDir)
        var source = try RunSource.takeUp(directory, reopening: console || !request.isEmpty, request: request, verb: "resume")
        source.rerunsInterrupted = rerunInterrupted
        do {
            try source.setParameters(options.params)
        } catch {
            for problem in error.problems { Console.error("baton: run \(source.runID): \(problem)") }
            throw ExitStatus.invalidInput
        }
        // A run that was simulated stays simulated: its real commands never ran and must not now.
        let simulate = simulation.simulate || source.wasSimulated
        if console {
            let theme = try ConsoleSession.theme(flag: options.theme, config: config)
            let session = ConsoleSession(options: options, config: config, simulate: simulate, speed: simulation.speed, seed: simulation.resolvedSeed)
            throw await session.run(source, theme: theme, request: request)
        }
        let runner = HeadlessRunner(options: options, simulate: simulate, speed: simulation.speed, seed: simulation.resolvedSeed)
        throw await runner.run(source, request: request)
    }
}
