import Synchronization

/// Plays each step's `simulate:` script instead of running anything: no process, no file, no
/// side effect.
///
/// - A run takes `simulation.duration` (divided by `speed`), prints the script's lines spread
///   evenly over that time (the first at once; a line starting with `stderr:` goes to stderr,
///   without that prefix and one space after it), then exits with
///   `simulation.exitCode(forAttempt:)`. Its outputs are published only when it exits 0.
/// - A rollback takes a tenth of the duration (at most 1 s, divided by `speed`), prints
///   `simulated rollback: <command>` (or `nothing to undo`) and succeeds.
/// - A step with a command but no script prints `simulated: <command>` and succeeds at once;
///   the real command is never run.
/// - Signals act as on a process: suspend stops the clock (time spent suspended does not
///   count), resume restarts it, terminate and kill end the run at once as signalled with 15
///   or 9. Cancelling the calling task counts as kill.
public struct SimulatedExecutor: StepExecutor {
    /// Simulated steps touch nothing: there is nothing to find after a crash.
    /// A script can be frozen, stopped and can publish outputs; nothing outlives Baton.
    public static let capabilities: ExecutorCapabilities = [.suspend, .stop, .streamsOutput, .outputs]
    public var capabilities: ExecutorCapabilities { Self.capabilities }

    /// How many times faster than scripted the simulation plays; 0 (or anything that is not
    /// a positive finite number) plays it instantly.
    public var speed: Double
    /// Decides which attempts fail under `simulate.failure_chance` (see `InjectedFailure`).
    public var seed: UInt64

    public init(speed: Double = 1, seed: UInt64 = 0) {
        self.speed = speed
        self.seed = seed
    }

    public func execute(
        _ job: ExecutionJob,
        control: ExecutionControl,
        output: @escaping @Sendable (OutputChunk) -> Void
    ) async -> ExecutionResult {
        let script = Script(job: job, seed: seed)
        let clock = SimulatedClock()
        control.install { clock.receive($0) }
        defer { control.finish() }

        let total = scaled(script.duration)
        let lines = script.lines
        let ended: Int32? = await withTaskCancellationHandler {
            for (index, line) in lines.enumerated() {
                let due = total * (Double(index) / Double(lines.count))
                if let signal = await clock.play(until: due) { return signal }
                output(OutputChunk(line: Self.outputLine(line, stepID: job.stepID)))
            }
            return await clock.play(until: total)
        } onCancel: {
            clock.receive(.kill)
        }
        if let ended {
            return ExecutionResult(termination: .signalled(ended))
        }
        let code = script.exitCode
        return ExecutionResult(termination: .exited(code), outputs: code == 0 ? script.outputs : [:])
    }

    private func scaled(_ duration: Duration) -> Duration {
        guard speed > 0, speed.isFinite, duration > .zero else { return .zero }
        return duration / speed
    }

    static func outputLine(_ line: String, stepID: String) -> OutputLine {
        guard line.hasPrefix("stderr:") else {
            return OutputLine(stepID: stepID, stream: .stdout, text: line)
        }
        var text = line.dropFirst("stderr:".count)
        if text.first == " " { text = text.dropFirst() }
        return OutputLine(stepID: stepID, stream: .stderr, text: String(text))
    }

    /// What one job plays, before scaling by speed.
    private struct Script {
        var duration: Duration = .zero
        var lines: [String] = []
        var exitCode: Int32 = 0
        var outputs: [String: String] = [:]

        init(job: ExecutionJob, seed: UInt64) {
            switch (job.purpose, job.simulation, job.command) {
            case (.rollback, let simulation, let command):
                duration = min((simulation?.duration ?? .zero) * 0.1, .seconds(1))
                lines = ["simulated rollback: \(command ?? "nothing to undo")"]
            case (.run, let simulation?, _):
                duration = simulation.duration
                lines = simulation.output
                exitCode = simulation.exitCode(forAttempt: job.attempt, stepID: job.stepID, seed: seed)
                outputs = simulation.outputs
            case (.run, nil, let command?):
                lines = ["simulated: \(command)"]
            case (.run, nil, nil):
                break
            }
        }
    }
}

/// The clock of one simulated run: it counts only unsuspended time, and its sleeps end early
/// when the run is suspended or ended.
final class SimulatedClock: Sendable {
    private struct State {
        var suspended = false
        /// The signal number that ended the run, once terminate or kill arrived.
        var ended: Int32?
        /// Unsuspended time before `runningSince`.
        var playedBefore: Duration = .zero
        /// When the clock last started running; nil while suspended.
        var runningSince: ContinuousClock.Instant? = .now
        /// The sleep in progress, cancelled when the clock stops.
        var sleeper: Task<Void, Never>?
        /// The player waiting for resume while suspended.
        var waiter: CheckedContinuation<Void, Never>?

        func played(at now: ContinuousClock.Instant) -> Duration {
            playedBefore + (runningSince.map { $0.duration(to: now) } ?? .zero)
        }
    }

    private let state = Mutex(State())

    /// Handles an engine signal.
    func receive(_ signal: ControlSignal) {
        let now = ContinuousClock.now
        let (sleeper, waiter) = state.withLock { state -> (Task<Void, Never>?, CheckedContinuation<Void, Never>?) in
            switch signal {
            case .suspend:
                guard !state.suspended, state.ended == nil else { return (nil, nil) }
                state.playedBefore = state.played(at: now)
                state.runningSince = nil
                state.suspended = true
                return (state.sleeper, nil)
            case .resume:
                guard state.suspended else { return (nil, nil) }
                state.runningSince = now
                state.suspended = false
                defer { state.waiter = nil }
                return (nil, state.waiter)
            case .terminate, .kill:
                if state.ended == nil { state.ended = signal == .kill ? 9 : 15 }
                defer { state.waiter = nil }
                return (state.sleeper, state.waiter)
            }
        }
        sleeper?.cancel()
        waiter?.resume()
    }

    /// Waits until the clock has counted `target` of unsuspended time since it was made.
    /// Returns the signal number if the run was ended meanwhile (or before), else nil.
    func play(until target: Duration) async -> Int32? {
        while true {
            let now = ContinuousClock.now
            let (ended, suspended, played) = state.withLock { ($0.ended, $0.suspended, $0.played(at: now)) }
            if let ended { return ended }
            if suspended {
                await waitForResume()
                continue
            }
            if played >= target { return nil }
            await sleep(target - played)
        }
    }

    private func sleep(_ amount: Duration) async {
        let sleeper = Task<Void, Never> { _ = try? await Task.sleep(for: amount) }
        let stopped = state.withLock { state -> Bool in
            if state.suspended || state.ended != nil { return true }
            state.sleeper = sleeper
            return false
        }
        if stopped { sleeper.cancel() }
        await sleeper.value
        state.withLock { $0.sleeper = nil }
    }

    private func waitForResume() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let goOn = state.withLock { state -> Bool in
                if !state.suspended || state.ended != nil { return true }
                state.waiter = continuation
                return false
            }
            if goOn { continuation.resume() }
        }
    }
}
