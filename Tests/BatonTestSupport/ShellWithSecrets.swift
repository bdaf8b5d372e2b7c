import BatonEngine

/// Runs steps with the shell, in an environment that holds `SecretsLeakCheck.environment`, as
/// a shell started from a person's terminal would (the test process's own environment is left
/// alone: other tests start processes from it at the same time).
public struct ShellWithSecrets: StepExecutor {
    let shell = ShellExecutor()

    public init() {}

    public func stopLeftovers(ofRun runID: String) -> Int { shell.stopLeftovers(ofRun: runID) }

    public func stopBackground(ofRun runID: String, grace: Duration) async { await shell.stopBackground(ofRun: runID, grace: grace) }

    public func execute(
        _ job: ExecutionJob, control: ExecutionControl, output: @escaping @Sendable (OutputChunk) -> Void
    ) async -> ExecutionResult {
        var job = job
        for (name, value) in SecretsLeakCheck.environment where job.environment[name] == nil { job.environment[name] = value }
        return await shell.execute(job, control: control, output: output)
    }
}
