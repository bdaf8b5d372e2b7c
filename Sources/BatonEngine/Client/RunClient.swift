/// What a front end sees a run through and acts on it with: the engine in this process
/// (`LocalRunClient`), or the run's host over its socket (`RemoteRunClient`).
///
/// Every front end gets the same three things: a snapshot of the run, every update after
/// it, and typed commands with their results. Who a command comes from is decided by the
/// transport (the process's user, or the peer's uid the kernel reports), never by the
/// front end.
public protocol RunClient: Sendable {
    var runID: String { get }
    /// The workflow as front ends show it: secrets masked.
    var workflow: Workflow { get }
    /// Whom the engine takes this front end's commands to be from.
    var user: String { get }
    /// What the engine lets `user` do with the run (gates go by their approvers).
    var role: RunRole { get }
    /// Whether the run lives in this process: quitting it then stops the run, and
    /// `interrupt()` works.
    var hostsRun: Bool { get }
    /// The run from now on: a `snapshot` (when there is history to show), then what happens,
    /// then `ended` when nothing more will come. Call it once.
    func updates() -> AsyncStream<ClientUpdate>
    /// Carries out a command as `user`; the engine's rule book and access rules decide.
    func perform(_ command: OperatorCommand) async -> CommandResult
    /// Stops the run as a quit does: what runs is interrupted, and the run can be resumed.
    func interrupt() async -> CommandResult
}
