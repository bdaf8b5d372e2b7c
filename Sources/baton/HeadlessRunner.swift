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

    /// Runs the workflow to its end and returns the exit status for how it ended.
    func run(_ source: RunSource) async -> ExitCode {
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
        return await drive(engine, directory: source.directory, user: user, resumed: source.history != nil)
    }

    /// Drives a prepared engine to the end of its run, printing progress.
    func drive(_ engine: Engine, directory: RunDirectory, user: String, resumed: Bool) async -> ExitCode {
        // What is printed comes from the workflow with its secrets masked.
        let workflow = engine.displayWorkflow
        let runID = engine.runID
        let simulate = self.simulate
        let printer = ProgressPrinter(workflow: workflow, jsonl: options.events == .jsonl, showLogs: options.logs)
        let gates = GateDecider(engine: engine, user: user, approveAll: options.approveAll, approved: Set(options.approvedGates), printer: printer)
        let unknownGates = options.approvedGates.filter { workflow[$0]?.approval == nil }
        for gate in unknownGates {
            printer.notice("warning: --approve \(gate): there is no approval gate '\(gate)' in this workflow")
        }
        let concurrency = engine.capacity
        let injectsFailures = workflow.steps.contains { ($0.simulate?.failureChance ?? 0) > 0 && (simulate || $0.run == nil) }
        printer.notice("\(resumed ? "resuming run" : "run") \(runID) of '\(workflow.name)': \(workflow.steps.count) step\(workflow.steps.count == 1 ? "" : "s"), concurrency \(concurrency)\(simulate ? ", simulated" : "")\(injectsFailures ? ", failures injected with --seed \(seed)" : "")")
        printer.notice("recorded in \(directory.path)")

        let listener = Task {
            for await update in engine.updates {
                printer.show(update)
                guard case .event(let event) = update else { continue }
                if event.kind == .step, event.state == .waiting, let step = event.step {
                    await gates.decide(step)
                } else {
                    await gates.observe(event)
                }
            }
        }
        let interrupts = SignalWatcher(signals: [SIGINT, SIGTERM, SIGHUP]) { signal in
            Task {
                printer.notice("\(SignalWatcher.name(of: signal)) received: cancelling running steps…")
                await gates.abandon()
                await engine.cancelRun(by: user, outcome: .interrupted)
            }
        }

        await engine.start()
        while true {
            let settlement = await engine.waitUntilSettled()
            if case .finished = settlement { break }
            if await gates.decideWaiting() { continue }
            if case .needsOperator(let reasons) = settlement {
                if await gates.isPrompting {
                    await gates.waitForPrompt()
                    continue
                }
                // An engine made for the console does not finish a complete run by itself.
                if await engine.isComplete {
                    if !(await engine.finish(outcome: .succeeded, reason: "every step is done")) {
                        try? await Task.sleep(for: .milliseconds(50))
                    }
                    continue
                }
                let reason = "no operator to act: " + reasons.joined(separator: "; ")
                // Interrupted steps were never decided on, and a paused run was paused on
                // purpose: keep such a run resumable for someone who can decide.
                let state = await engine.state
                let interrupted = state.steps.filter { $0.state == .interrupted }.map(\.id)
                if !interrupted.isEmpty {
                    printer.notice("interrupted and not idempotent: \(interrupted.joined(separator: ", ")); "
                        + "baton resume \(runID) --rerun-interrupted runs them again, or resume in the console to decide")
                }
                if state.isPaused {
                    printer.notice("the run is paused; resume it in the console (baton resume \(runID)) and press p")
                }
                let keep = !interrupted.isEmpty || state.isPaused
                if !(await engine.finish(outcome: keep ? .interrupted : .failed, reason: reason)) {
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
        }
        let outcome = await engine.waitUntilFinished()
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
