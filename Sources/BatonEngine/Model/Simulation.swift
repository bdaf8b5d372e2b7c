/// A scripted stand-in for a step's command, played by `SimulatedExecutor`.
public struct Simulation: Sendable, Hashable, Codable {
    /// How long each attempt takes.
    public var duration: Duration
    /// The exit code of each attempt, in order; attempts past the end reuse the last code.
    /// Empty means every attempt exits 0.
    public var exitCodes: [Int32]
    /// The lines the step prints, spread over its duration. A line starting with `stderr:`
    /// goes to standard error (without the prefix).
    public var output: [String]
    /// `key=value` outputs the step publishes to its dependents when it succeeds.
    public var outputs: [String: String]
    /// The chance, from 0 to 1, that an attempt which would exit 0 fails with exit code 1
    /// instead: an injected failure. Which attempts fail follows from the run's seed, the
    /// step id and the attempt number, so a seed plays the same failures again.
    public var failureChance: Double

    public init(
        duration: Duration = .zero, exitCodes: [Int32] = [], output: [String] = [], outputs: [String: String] = [:],
        failureChance: Double = 0
    ) {
        self.duration = duration
        self.exitCodes = exitCodes
        self.output = output
        self.outputs = outputs
        self.failureChance = failureChance
    }

    /// The exit code of the given 1-based attempt when failures are injected with `seed`.
    public func exitCode(forAttempt attempt: Int, stepID: String, seed: UInt64) -> Int32 {
        let scripted = exitCode(forAttempt: attempt)
        guard scripted == 0, failureChance > 0 else { return scripted }
        return InjectedFailure.roll(seed: seed, stepID: stepID, attempt: attempt) < failureChance ? 1 : 0
    }

    /// The exit code of the given 1-based attempt.
    public func exitCode(forAttempt attempt: Int) -> Int32 {
        guard let last = exitCodes.last else { return 0 }
        let index = attempt - 1
        return index < exitCodes.count && index >= 0 ? exitCodes[index] : last
    }
}
