/// Runs the work of one step attempt (or one rollback) and reports how it ended.
///
/// Implementations stream output through `output` as it arrives, in chunks of whole lines
/// (a chunk with no bytes may mark the end of a stream), and obey the signals sent through
/// `control` (suspend, resume, terminate, kill). They never throw: a command that
/// cannot start is a result with `failureReason` set.
public protocol StepExecutor: Sendable {
    /// Stops what attempts of run `runID` left running on this machine when Baton stopped,
    /// before a resume starts anything; how many process groups it stopped.
    func stopLeftovers(ofRun runID: String) -> Int

    /// Stops what the run's steps left running in the background, once a cancelled or
    /// interrupted run has ended: SIGTERM, then SIGKILL after `grace`.
    func stopBackground(ofRun runID: String, grace: Duration) async
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
    /// Nothing outlives the executor unless it says otherwise.
    public func stopLeftovers(ofRun runID: String) -> Int { 0 }

    /// Nothing runs in the background unless the executor says otherwise.
    public func stopBackground(ofRun runID: String, grace: Duration) async {}

    /// No handle unless the executor makes one.
    public func newHandle(for job: ExecutionJob) -> String? { nil }

    /// Nothing to recover unless the executor says otherwise.
    public func recover(handle: String, of job: ExecutionJob) async -> String? { nil }

    /// Executors can do everything unless they say otherwise.
    public var capabilities: ExecutorCapabilities { .all }
}
