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

    /// A name for where the attempt of `job` will run, made before it starts so that the
    /// journal holds it first (`RunEvent.handle`); nil when the executor needs none.
    func newHandle(for job: ExecutionJob) -> String?

    /// Finds what an attempt whose start recorded `handle` left running when Baton stopped,
    /// and stops it; a sentence for the step's log, or nil when there was nothing to do.
    func recover(handle: String, of job: ExecutionJob) async -> String?

    func execute(
        _ job: ExecutionJob,
        control: ExecutionControl,
        output: @escaping @Sendable (OutputChunk) -> Void
    ) async -> ExecutionResult
}

extension StepExecutor {
    /// Executors start processes unless they say otherwise.
    public var startsProcesses: Bool { true }

    /// No handle unless the executor makes one.
    public func newHandle(for job: ExecutionJob) -> String? { nil }

    /// Nothing to recover unless the executor says otherwise.
    public func recover(handle: String, of job: ExecutionJob) async -> String? { nil }

    /// Executors can do everything unless they say otherwise.
    public var capabilities: ExecutorCapabilities { .all }
}
