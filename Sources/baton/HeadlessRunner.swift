import ArgumentParser
import BatonEngine
import Dispatch
import Foundation

/// Runs a workflow without the console: prints progress, decides gates, handles Ctrl-C.
struct HeadlessRunner {
    var options: RunOptions
    var simulate: Bool
    var speed: Double
    /// Decides the injected failures of `simulate.failure_chance`.
    var seed: UInt64

    /// Runs the workflow to its end and returns the exit status for how it ended. A `request`
    /// (`--retry-failed`, `--skip`, `baton rollback`), already checked, is carried out once the
    /// engine has started.
    func run(_ source: RunSource, request: ReopenRequest = ReopenRequest()) async -> ExitCode {
        let user = OperatorIdentity.current
        let simulator = SimulatedExecutor(speed: speed, seed: seed)
        var configuration = EngineConfiguration(
            runID: source.runID, user: user,
            executor: simulate ? simulator : ShellExecutor(),
            simulator: simulator,
            runDirectory: source.directory,
            cancelGracePeriod: .milliseconds(Int64(options.gracePeriod * 1000)),
            concurrency: options.concurrency)
        configuration.simulatesEverything = simulate
        let engine: Engine
        do {
            engine = try source.makeEngine(configuration)
        } catch {
            Console.error("baton: cannot record the run: \(error)")
            return ExitStatus.notRecorded
        }
        let host = RunHost.start(serving: engine, in: source.directory)
        defer { host?.stop() }
        return await drive(engine, directory: source.directory, user: user, resumed: source.history != nil, request: request)
    }

    /// Drives a prepared engine to the end of its run, printing progress, and closes it.
    ///
    /// When the run waits for an operator, a person at the terminal is asked what to do
    /// (`OperatorPrompt`); without one, or when they leave it, the run ends waiting for an
    /// operator (exit status 1) and stays resumable. A `request`, checked beforehand
    /// (`ReopenRequest.refusal(for:)`), is carried out once the engine has started.
    func drive(
        _ engine: Engine, directory: RunDirectory, user: String, resumed: Bool, request: ReopenRequest = ReopenRequest()
    ) async -> ExitCode {
        // What is printed comes from the workflow with its secrets masked.
        let workflow = engine.displayWorkflow
        let runID = engine.runID
        let simulate = self.simulate
        let printer = ProgressPrinter(workflow: workflow, jsonl: options.events == .jsonl, showLogs: options.logs)
        let gates = GateDecider(engine: engine, user: user, approveAll: options.approveAll, approved: Set(options.approvedGates), printer: printer)
        let operatorPrompt = Console.stdinIsInteractive ? OperatorPrompt(engine: engine, user: user, printer: printer) : nil
        let unknownGates = options.approvedGates.filter { workflow[$0]?.approval == nil }
        for gate in unknownGates {
            printer.notice("warning: --approve \(gate): there is no approval gate '\(gate)' in this workflow")
        }
        let concurrency = engine.capacity
        let injectsFailures = workflow.steps.contains { ($0.simulate?.failureChance ?? 0) > 0 && (simulate || $0.run == nil) }
        let opening = !resumed ? "run" : await engine.state.isReopenable ? "reopening run" : "resuming run"
        printer.notice("\(opening) \(runID) of '\(workflow.name)': \(workflow.steps.count) step\(workflow.steps.count == 1 ? "" : "s"), concurrency \(concurrency)\(simulate ? ", simulated" : "")\(injectsFailures ? ", failures injected with --seed \(seed)" : "")")
        printer.notice("recorded in \(directory.path)")

        let printed = PrintedEvents()
        let listener = Task {
            for await update in engine.updates {
                printer.show(update)
                // After a failed write, events may never be published: stop waiting for them.
                if case .recordingFailed = update { await printed.end() }
                guard case .event(let event) = update else { continue }
                if event.kind == .step, event.state == .waiting, let step = event.step {
                    await gates.decide(step)
                } else {
                    await gates.observe(event)
                }
                await operatorPrompt?.observe(event)
                await printed.reached(event.seq)
            }
            await printed.end()
        }
        let interrupts = SignalWatcher(signals: [SIGINT, SIGTERM, SIGHUP]) { signal in
            Task {
                printer.notice("\(SignalWatcher.name(of: signal)) received: cancelling running steps…")
                await gates.abandon()
                await engine.cancelRun(by: user, outcome: .interrupted)
                // After the cancel: a question it withdraws finds the run already ending.
                await operatorPrompt?.abandon()
            }
        }

        await engine.start()
        if !request.isEmpty {
            let notes = await request.carryOut(on: engine, by: user)
            await printed.wait(until: await engine.state.lastSeq)
            for note in notes { printer.notice(note) }
        }
        running: while true {
            let settlement = await engine.waitUntilSettled()
            if case .finished = settlement { break }
            if await gates.decideWaiting() { continue }
            guard case .needsOperator(let reasons) = settlement else { continue }
            if await gates.isPrompting {
                await gates.waitForPrompt()
                continue
            }
            let waitsOn = reasons.joined(separator: "; ")
            // The lines that show how the run got here come first.
            await printed.wait(until: await engine.state.lastSeq)
            if let operatorPrompt {
                switch await operatorPrompt.ask() {
                case .acted, .withdrawn, .abandoned: continue running
                case .leave: printer.notice("left waiting for an operator: \(waitsOn)")
                case .nothingToAsk: printer.notice("the run waits for an operator: \(waitsOn)")
                }
            } else {
                printer.notice("no operator: stdin is not interactive; the run waits for an operator: \(waitsOn)")
            }
            // Interrupted steps were never decided on: say how to run them again.
            let interrupted = await engine.state.steps.filter { $0.state == .interrupted }.map(\.id)
            if !interrupted.isEmpty {
                printer.notice("interrupted and not idempotent: \(interrupted.joined(separator: ", ")); "
                    + "baton resume \(runID) --retry-failed (or --rerun-interrupted) runs them again")
            }
            break
        }
        // Ends a run left waiting so (resumable), and closes the journal of a finished one.
        let outcome = await engine.close(by: user)
        await listener.value
        interrupts.stop()
        if let failure = await engine.recordingFailure {
            Console.error("baton: run \(runID) stopped: it could not be recorded: \(failure)")
            Console.error("baton: once the cause is fixed (space freed, the directory back), baton resume \(runID) continues it")
            return ExitStatus.notRecorded
        }
        printer.summary(await engine.state, directory: directory)
        return ExitStatus.of(outcome, recordingFailure: nil)
    }
}
