/// The executors Baton has, by the name a step's runner is known by.
///
/// Each step is run by one of them: `simulated` when it is only a `simulate:` script or the
/// run is `--simulate` (which runs nothing, on no host), `ssh` when it names a host (`on:`),
/// and `local` otherwise. The engine
/// picks the executor here, and the rule book (`Plan.verdict`) asks the kind what it can do,
/// so a front end never offers what the step's executor cannot carry out.
public enum ExecutorKind: String, Sendable, Hashable, CaseIterable {
    /// `/bin/sh -c` on the machine Baton runs on (`ShellExecutor`).
    case local
    /// The step's `simulate:` script, played without running anything (`SimulatedExecutor`).
    case simulated
    /// `/bin/sh` on an inventory host, through the system's OpenSSH client (`SSHExecutor`).
    case ssh

    /// The kind that runs `step` in a run that simulates everything or not.
    public static func of(_ step: Step, simulatesEverything: Bool) -> ExecutorKind {
        if simulatesEverything || (step.simulate != nil && step.run == nil) { return .simulated }
        return step.host == nil ? .local : .ssh
    }

    /// What the executor of this kind declares it can do.
    public var capabilities: ExecutorCapabilities {
        switch self {
        case .local: return ShellExecutor.capabilities
        case .simulated: return SimulatedExecutor.capabilities
        case .ssh: return SSHExecutor.capabilities
        }
    }
}
