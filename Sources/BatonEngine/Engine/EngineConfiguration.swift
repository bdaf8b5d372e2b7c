import Foundation

/// How an `Engine` runs: which executors, where the journal goes, who started the run.
public struct EngineConfiguration: Sendable {
    public var runID: String
    /// The operating-system user who started the run.
    public var user: String
    /// Runs steps that have a `run:` command on this machine (`ExecutorKind.local`).
    public var executor: any StepExecutor
    /// Plays steps that have only a `simulate:` block (`ExecutorKind.simulated`).
    public var simulator: any StepExecutor
    /// Runs steps that name a host, over SSH (`ExecutorKind.ssh`).
    public var remoteExecutor: any StepExecutor = SSHExecutor()
    /// Where the journal, logs and output files go; nil keeps the run in memory (outputs go to a temporary folder).
    public var runDirectory: RunDirectory?
    /// Whether journal batches are `fsync`ed.
    public var syncJournal: Bool
    /// How long a cancelled step has between SIGTERM and SIGKILL.
    public var cancelGracePeriod: Duration
    /// Overrides the workflow's `concurrency`.
    public var concurrency: Int?
    /// The environment secrets are looked up in.
    public var environment: [String: String]
    /// Whether the journal closes as soon as the run finishes. The console turns this off so
    /// that an operator can still reopen the finished run (retry, skip, roll back) while it
    /// shows it; it calls `Engine.close(by:)` when the operator quits.
    public var closesWhenFinished: Bool
    /// When resuming, run every interrupted step again, not only the `idempotent` ones.
    public var rerunsInterruptedSteps = false
    /// Every step is played by `simulator` (`--simulate`); recorded so a resume does the same.
    public var simulatesEverything = false
    /// The run's parameters (`-p NAME=VALUE`, else the defaults), resolved and checked.
    public var parameters = RunParameters()
    /// Where approvers' group memberships are looked up.
    public var directory: any UserDirectory = SystemUserDirectory()
    /// The time events are stamped with and the timers wait on: backoffs, step timeouts, the
    /// grace before SIGKILL and approval timeouts. Tests set a clock they advance by hand.
    public var clock: any EngineClock = SystemEngineClock()

    /// Every executor the run may use, each once.
    public var executors: [any StepExecutor] { ExecutorKind.allCases.map { executor($0) } }

    /// The executor of a kind: the registry the engine picks each step's runner from.
    public func executor(_ kind: ExecutorKind) -> any StepExecutor {
        switch kind {
        case .local: return executor
        case .simulated: return simulator
        case .ssh: return remoteExecutor
        }
    }

    public init(
        runID: String = StateDirectory.newRunID(), user: String = OperatorIdentity.current,
        executor: any StepExecutor = ShellExecutor(), simulator: any StepExecutor = SimulatedExecutor(),
        runDirectory: RunDirectory? = nil, syncJournal: Bool = true, cancelGracePeriod: Duration = .seconds(5),
        concurrency: Int? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
        closesWhenFinished: Bool = true
    ) {
        self.closesWhenFinished = closesWhenFinished
        self.runID = runID
        self.user = user
        self.executor = executor
        self.simulator = simulator
        self.runDirectory = runDirectory
        self.syncJournal = syncJournal
        self.cancelGracePeriod = cancelGracePeriod
        self.concurrency = concurrency
        self.environment = environment
    }
}
