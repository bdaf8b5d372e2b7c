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

    public init(duration: Duration = .zero, exitCodes: [Int32] = [], output: [String] = [], outputs: [String: String] = [:]) {
        self.duration = duration
        self.exitCodes = exitCodes
        self.output = output
        self.outputs = outputs
    }

    /// The exit code of the given 1-based attempt.
    public func exitCode(forAttempt attempt: Int) -> Int32 {
        guard let last = exitCodes.last else { return 0 }
        let index = attempt - 1
        return index < exitCodes.count && index >= 0 ? exitCodes[index] : last
    }
}
