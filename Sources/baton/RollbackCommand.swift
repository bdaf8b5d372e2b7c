import ArgumentParser
import BatonEngine
import Foundation

/// `baton rollback RUN [STEP]`: rolls back one step of a recorded run, with its succeeded
/// dependents, or the whole run, without the console.
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Roll back a step of a recorded run (dependents first) or, without STEP, the whole run.",
        discussion: """
            A live run is rolled back by the Baton that runs it (see 'baton approve --help'; \
            exit 0 accepted, 1 refused). Otherwise the run may have finished (it is reopened: \
            the journal and 'baton runs --audit RUN' \
            record who did it and why), or it may wait for an operator or have been interrupted \
            (it is resumed first). With STEP, the step and every step after it that succeeded are \
            rolled back, dependents first; a step whose rollback failed is tried again. Without \
            STEP, the run stops and every succeeded step is rolled back. Progress is printed as \
            'baton run --headless' prints it. At a terminal, a run that still waits for an operator \
            afterwards (another step failed) asks what to do; without one, the command does not wait \
            for operators as 'baton run' does: it ends as 'baton run --unattended' would. Only \
            someone who can write the run's directory may roll it back.

            Exit status: 0 the run ended rolled back; 1 a rollback failed (baton rollback RUN STEP \
            tries it again) or the run still waits for an operator (another step failed); 2 invalid \
            input (an unknown run or step, or a step that cannot be rolled back: the reason is \
            printed and nothing is changed); 3 the run could not be recorded (a journal or log \
            write failed); 130 interrupted.
            """
    )

    @Argument(help: "The run: its id (see 'baton runs') or its directory.", completion: CompletionCandidates.recordedRuns)
    var run: String

    @Argument(help: "The step to roll back, with its succeeded dependents; without it, the whole run.", completion: CompletionCandidates.steps(.rollback))
    var step: String?

    @Option(help: HostVerb.commentHelp)
    var comment: String?

    @Option(help: "Where runs are recorded (default $XDG_STATE_HOME/baton, then ~/.local/state/baton).", completion: .directory)
    var stateDir: String?

    @Option(help: "Machine-readable output on stdout: 'jsonl' prints every journal event as a JSON line.")
    var events: RunOptions.EventFormat?

    @Flag(help: "Print every line the rollback commands write, prefixed by the step id.")
    var logs = false

    @Option(help: "Speed factor for the simulated durations of a simulated run (2 = twice as fast, 0 = instant).")
    var speed: Double = 1

    func validate() throws {
        try SimulationOptions.check(speed: speed)
    }

    func run() async throws {
        // A live run is rolled back by the Baton that runs it, as the user we are.
        let directory = try RunLocator.recordedRun(run, stateDir: stateDir)
        if directory.isBeingWritten, FileManager.default.fileExists(atPath: directory.hostSocketPath) {
            return try HostVerb.send(step.map { .rollback(step: $0) } ?? .rollbackRun, to: directory, comment: comment)
        }
        var request = ReopenRequest(rollback: step.map { .step($0) } ?? .run)
        request.comment = comment
        let source = try RunSource.takeUp(directory, reopening: true, request: request, verb: "roll back")
        var arguments = ["--headless"]
        // Run from a script, the command ends with the rollback: nobody is waited for.
        if !Console.stdinIsInteractive { arguments.append("--unattended") }
        if let stateDir { arguments += ["--state-dir", stateDir] }
        if let events { arguments += ["--events", events.rawValue] }
        if logs { arguments.append("--logs") }
        let options = try RunOptions.parse(arguments)
        let runner = HeadlessRunner(options: options, simulate: source.wasSimulated, speed: speed, seed: SimulationOptions.fallbackSeed)
        throw await runner.run(source, request: request)
    }
}
