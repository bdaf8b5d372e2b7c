#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs each step as `/bin/sh -c command`.
///
/// - Each step gets a process group of its own and stdin from /dev/null; engine signals
///   (suspend, resume, terminate, kill) go to the whole group, so they reach everything the
///   step started. Cancelling the calling task counts as kill. After a terminate or kill,
///   whatever is left of the group once the shell is gone is killed (see `ProcessWatch`).
///   Processes that left the group (`setsid`) but carry the attempt's `BATON_RUN_ID`,
///   `BATON_STEP` and `BATON_ATTEMPT` get the same signals (see `ProcessGroup`).
/// - The environment is Baton's own, plus the job's variables (which win), plus
///   `BATON_OUTPUT`, the path of the file the step writes `key=value` outputs to (read after
///   the step, whatever its exit code; the engine should give each attempt a fresh path).
/// - stdout and stderr are streamed as they arrive, in chunks of whole lines (see
///   `ProcessLineSplitter`, `OutputChunk`), so a chatty step is read at pipe speed.
///   `output` is called on the thread that watches the process: the calling task's for the
///   first millisecond, then Baton's process-reactor thread, so it should return quickly.
/// - When the shell exits while a background process it started still holds its stdout or
///   stderr open, output is read for `graceAfterExit` more and then no longer: the step ends
///   when its shell does (ninja, by contrast, waits for end-of-file, so `sleep 100 &` holds
///   it for 100 s). The background process is left running, as after any shell script.
///
/// Processes are started with `posix_spawn` (`ProcessSpawner`) and watched with `poll`, first
/// by the calling thread for up to `inlineWait`, then by one shared thread
/// (`ProcessReactor`). swift-subprocess 1.0.2 costs about 0.3 ms more per step on the
/// project's 2-core machine (0.96 ms against 0.64 ms for a `sh -c true` round trip), which
/// the 1,000-step benchmark against `ninja -j2` cannot afford.
public struct ShellExecutor: StepExecutor {
    /// Everything: its process groups take every signal, and a resume finds what a crash left
    /// by the attempt's marks (`LeftoverProcesses`).
    public static let capabilities: ExecutorCapabilities = .all
    public var capabilities: ExecutorCapabilities { Self.capabilities }

    /// The processes that carry the run's marks (`BATON_RUN_ID`), found in `/proc`.
    public func stopLeftovers(ofRun runID: String) -> Int {
        LeftoverProcesses.stop(run: runID)
    }

    /// The same, after a run that was cancelled or interrupted ended.
    public func stopBackground(ofRun runID: String, grace: Duration) async {
        _ = await LeftoverProcesses.stop(processesCarrying: ["BATON_RUN_ID=\(runID)"], grace: grace)
    }

    /// How long output is still read after the shell exits, if its pipes stay open.
    public static let graceAfterExit: Duration = .milliseconds(100)

    /// The same after a terminate or kill, for what the step started to finish shutting down
    /// before the rest of its group is killed.
    public static let graceWhenStopping: Duration = .seconds(1)

    /// How long the calling thread itself watches a step before handing it to the process
    /// reactor thread (see `ProcessWatch.waitBriefly`).
    static let inlineWait: Duration = .milliseconds(1)

    private let processStarted: (@Sendable (_ stepID: String, _ processGroup: Int32) -> Void)?
    private let usePidfd: Bool

    /// - Parameter processStarted: called with the step id and the process group id (the
    ///   shell's pid) as soon as a step's shell has started; for diagnostics and tests.
    public init(processStarted: (@Sendable (_ stepID: String, _ processGroup: Int32) -> Void)? = nil) {
        self.init(processStarted: processStarted, usePidfd: true)
    }

    /// `usePidfd: false` makes the executor watch exits the way it does on systems without
    /// `pidfd_open`, so tests can cover that path.
    init(processStarted: (@Sendable (_ stepID: String, _ processGroup: Int32) -> Void)?, usePidfd: Bool) {
        self.processStarted = processStarted
        self.usePidfd = usePidfd
    }

    public func execute(
        _ job: ExecutionJob,
        control: ExecutionControl,
        output: @escaping @Sendable (OutputChunk) -> Void
    ) async -> ExecutionResult {
        guard let command = job.command else {
            // A step with only `simulate:` has nothing to run for real.
            control.finish()
            return ExecutionResult(termination: .exited(0))
        }
        if let directory = job.directory, let problem = Self.checkDirectory(directory) {
            control.finish()
            return ExecutionResult(termination: .notStarted, failureReason: problem)
        }

        var environment = job.environment
        environment["BATON_OUTPUT"] = job.outputFile
        let process: SpawnedProcess
        do {
            process = try ProcessSpawner.spawn(
                command: command, environment: environment, directory: job.directory, usePidfd: usePidfd)
        } catch {
            control.finish()
            return ExecutionResult(termination: .notStarted, failureReason: error.reason)
        }
        let exit = await watch(process, job: job, control: control, output: output)

        // Only a run publishes outputs; what a rollback writes there is never read.
        var outputs: [String: String] = [:]
        var problem: StepOutputError?
        if job.purpose == .run {
            do { outputs = try StepOutputFile.read(path: job.outputFile, step: job.stepID) } catch { problem = error }
        }
        // The file holds the outputs as the step wrote them, secrets and all; they are read.
        unlink(job.outputFile)
        return Self.result(of: exit, outputs: outputs, outputProblem: problem)
    }

    /// Runs `arguments` (a program looked up in `PATH`, and its arguments) as a step's process
    /// would run: its own process group, the job's variables, its output streamed, the
    /// engine's signals delivered. With `standardInput`, the process reads that descriptor.
    /// The caller reads any outputs.
    func execute(
        _ job: ExecutionJob, arguments: [String], standardInput: Int32?,
        control: ExecutionControl, output: @escaping @Sendable (OutputChunk) -> Void
    ) async -> ExecutionResult {
        let process: SpawnedProcess
        do {
            process = try ProcessSpawner.spawn(
                arguments: arguments, environment: job.environment, directory: nil, standardInput: standardInput,
                usePidfd: usePidfd)
        } catch {
            control.finish()
            return ExecutionResult(termination: .notStarted, failureReason: error.reason)
        }
        return Self.result(of: await watch(process, job: job, control: control, output: output), outputs: [:], outputProblem: nil)
    }

    /// Follows a started process to its end: signals, output, cancellation.
    private func watch(
        _ process: SpawnedProcess, job: ExecutionJob, control: ExecutionControl,
        output: @escaping @Sendable (OutputChunk) -> Void
    ) async -> ProcessExit {

        let group = ProcessGroup(id: process.pid, markers: LeftoverProcesses.attemptMarkers(in: job.environment))
        processStarted?(job.stepID, process.pid)
        control.install { signal in group.deliver(signal) }

        let stepID = job.stepID
        let watch = ProcessWatch(
            process: process, group: group,
            grace: .init(normal: Self.nanoseconds(Self.graceAfterExit), stopping: Self.nanoseconds(Self.graceWhenStopping)),
            keepWhole: job.keepWhole,
            deliver: { stream, bytes in output(OutputChunk(stepID: stepID, stream: stream, bytes: Array(bytes))) },
            ending: { control.finish() })
        let exit = await withTaskCancellationHandler {
            if let exit = watch.waitBriefly(window: Self.nanoseconds(Self.inlineWait)) { return exit }
            return await withCheckedContinuation { continuation in
                watch.continuation = continuation
                ProcessReactor.shared.watch(watch)
            }
        } onCancel: {
            group.deliver(.kill)
        }
        return exit
    }

    /// The result of a process that ended as `exit`, with the outputs read from it.
    static func result(of exit: ProcessExit, outputs: [String: String], outputProblem problem: StepOutputError?) -> ExecutionResult {
        switch exit {
        case .exited(let code):
            return ExecutionResult(termination: .exited(code), outputs: outputs, outputProblem: problem)
        case .signalled(let signal):
            return ExecutionResult(termination: .signalled(signal), outputs: outputs, outputProblem: problem)
        case .lost:
            return ExecutionResult(
                termination: .exited(255), outputs: outputs,
                failureReason: "the step's exit status was lost (its shell was reaped by another part of the process)",
                outputProblem: problem)
        }
    }

    static func nanoseconds(_ duration: Duration) -> UInt64 {
        UInt64(duration.components.seconds) * 1_000_000_000 + UInt64(duration.components.attoseconds / 1_000_000_000)
    }

    /// A sentence if `directory` cannot be the working directory, else nil.
    static func checkDirectory(_ directory: String) -> String? {
        var info = stat()
        guard stat(directory, &info) == 0 else {
            let code = errno
            if code == ENOENT { return "working directory '\(directory)' does not exist" }
            return "working directory '\(directory)' cannot be used: \(ProcessLibc.describe(code))"
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            return "working directory '\(directory)' is not a directory"
        }
        return nil
    }
}
