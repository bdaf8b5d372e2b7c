/// What an executor can do with a step it runs, beyond running it: what the engine may ask
/// of it, and what front ends offer.
public struct ExecutorCapabilities: OptionSet, Sendable, Hashable {
    public let rawValue: Int

    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    /// Freeze a running step and let it go on (SIGSTOP and SIGCONT to its processes).
    public static let suspend = ExecutorCapabilities(rawValue: 1 << 0)
    /// Stop a running step: a cancel, a timeout, the run's interruption.
    public static let stop = ExecutorCapabilities(rawValue: 1 << 1)
    /// Hand the step's output over line by line while it runs.
    public static let streamsOutput = ExecutorCapabilities(rawValue: 1 << 2)
    /// Bring back what the step wrote to `$BATON_OUTPUT`.
    public static let outputs = ExecutorCapabilities(rawValue: 1 << 3)
    /// After Baton itself stopped (a crash), find what an attempt left running and stop it.
    public static let recovery = ExecutorCapabilities(rawValue: 1 << 4)

    public static let all: ExecutorCapabilities = [.suspend, .stop, .streamsOutput, .outputs, .recovery]
}
