/// Runs the work of one step attempt (or one rollback) and reports how it ended.
///
/// Implementations stream output through `output` as it arrives, in chunks of whole lines
/// (a chunk with no bytes may mark the end of a stream), and obey the signals sent through
/// `control` (suspend, resume, terminate, kill). They never throw: a command that
/// cannot start is a result with `failureReason` set.
public protocol StepExecutor: Sendable {
    /// Whether executions leave operating-system processes that may outlive a crash of
    /// Baton, which a resume must find and stop first.
    var startsProcesses: Bool { get }
    /// What the executor can do with a running step besides running it.
    var capabilities: ExecutorCapabilities { get }

    func execute(
        _ job: ExecutionJob,
        control: ExecutionControl,
        output: @escaping @Sendable (OutputChunk) -> Void
    ) async -> ExecutionResult
}

extension StepExecutor {
    /// Executors start processes unless they say otherwise.
    public var startsProcesses: Bool { true }

    /// Executors can do everything unless they say otherwise.
    public var capabilities: ExecutorCapabilities { .all }
}
