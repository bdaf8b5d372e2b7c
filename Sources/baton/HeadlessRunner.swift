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
        var source = source
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
        return await drive(
            engine, directory: source.directory, user: user, resumed: source.history != nil, served: host != nil, request: request)
    }

    /// Drives a prepared engine to the end of its run, printing progress, and closes it.
    ///
    /// When the run needs a person, who acts depends on its `Attendance`: a person at the
    /// terminal is asked (`GateDecider`, `OperatorPrompt`); with nobody at the terminal, the
    /// runner says how to act from another one and waits (a gate until its timeout) until
    /// someone does, through the run's socket (`served`); with nobody at all (`--unattended`),
    /// or when the person at the terminal leaves it, the run ends waiting for an operator (exit
    /// status 1) and stays resumable. A `request`, checked beforehand
    /// (`ReopenRequest.refusal(for:)`), is carried out once the engine has started.
    func drive(
        _ engine: Engine, directory: RunDirectory, user: String, resumed: Bool, served: Bool,
        request: ReopenRequest = ReopenRequest()
    ) async -> ExitCode {
        // What is printed comes from the workflow with its secrets masked.
        let workflow = engine.displayWorkflow
        let runID = engine.runID
        let simulate = self.simulate
        let attendance = Attendance.of(options, served: served)
        let remote = RemoteActions(workflow: workflow, runID: runID, directory: directory)
        let printer = ProgressPrinter(workflow: workflow, jsonl: options.events == .jsonl, showLogs: options.logs)
        let gates = GateDecider(
            engine: engine, user: user, approveAll: options.approveAll, approved: Set(options.approvedGates),
            attendance: attendance, remote: remote, printer: printer)
        let operatorPrompt = attendance == .terminal ? OperatorPrompt(engine: engine, user: user, printer: printer) : nil
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
            // An interrupted Baton waits for no notification's retry before it exits.
            engine.notifier?.stopRetrying()
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
        // The wait the runner last said how to act on from another terminal: said once per wait.
        var announced: OperatorWait?
        running: while true {
            // Any event after this one may change where the run stands.
            let seen = await engine.state.lastSeq
            let settlement = await engine.waitUntilSettled()
            if case .finished = settlement { break }
            if await gates.decideWaiting() { continue }
            // The settlement may be stale: the listener may have decided a gate meanwhile, and
            // steps run again. Only a run that still waits is left (or closed) for want of an operator.
            guard case .needsOperator(let reasons)? = await engine.settlementNow() else { continue }
            if await gates.isPrompting {
                await gates.waitForPrompt()
                continue
            }
            let waitsOn = reasons.joined(separator: "; ")
            // The lines that show how the run got here come first.
            await printed.wait(until: await engine.state.lastSeq)
            var header: String?
            switch attendance {
            case .terminal:
                switch await operatorPrompt?.ask() ?? .nothingToAsk {
                case .acted, .withdrawn, .abandoned: continue running
                case .leave:
                    printer.notice("left waiting for an operator: \(waitsOn)")
                case .nothingToAsk:
                    // Nothing here to ask about (a gate only another approver may decide): wait for them.
                    header = "nothing to ask here: act on the run from another terminal, or press Ctrl-C to interrupt it:"
                }
            case .otherTerminals:
                header = "no terminal here: act on the run from another terminal:"
            case .nobody(let why):
                printer.notice("no operator: \(why); the run is left waiting for an operator: \(waitsOn)")
            }
            if let header {
                let state = await engine.state
                if state.operatorWait == nil || state.operatorWait != announced {
                    announced = state.operatorWait
                    // Open gates said how to decide them as they opened, unless they were asked about here.
                    let lines = remote.lines(for: state, includingGates: attendance == .terminal)
                    if !lines.isEmpty { printer.notice(lines: [header] + lines) }
                }
                await printed.wait(until: seen + 1)
                continue running
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
