/// The run in this process: a front end that drives the engine it started (the console of
/// `baton run` and `baton resume`).
public struct LocalRunClient: RunClient {
    public let engine: Engine
    public let user: String
    /// For a resumed run, the run as recorded before: the engine's updates carry only what
    /// happens from now on.
    private let history: RunSnapshot?

    public init(engine: Engine, user: String, history: RunSnapshot? = nil) {
        self.engine = engine
        self.user = user
        self.history = history
    }

    public var runID: String { engine.runID }
    public var workflow: Workflow { engine.displayWorkflow }
    public var hostsRun: Bool { true }
    /// The Baton that runs the run is its starter's or its resumer's: an operator's.
    public var role: RunRole { .operator }

    public func updates() -> AsyncStream<ClientUpdate> {
        let engine = self.engine
        let history = self.history
        return AsyncStream { continuation in
            if let history { continuation.yield(.snapshot(history)) }
            let task = Task {
                for await update in engine.updates { continuation.yield(.engine(update)) }
                continuation.yield(.ended(.closed("the run's journal is closed")))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func perform(_ command: OperatorCommand) async -> CommandResult {
        await engine.perform(command, by: user)
    }

    public func interrupt() async -> CommandResult {
        await engine.cancelRun(by: user, outcome: .interrupted)
    }
}
