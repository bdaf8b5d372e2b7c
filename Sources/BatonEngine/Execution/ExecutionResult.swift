/// How one execution ended.
public struct ExecutionResult: Sendable, Hashable {
    /// How the process (or the simulation) stopped.
    public enum Termination: Sendable, Hashable {
        case exited(Int32)
        case signalled(Int32)
        /// The command could not be started at all.
        case notStarted
    }

    public var termination: Termination
    /// `key=value` pairs the step wrote to `$BATON_OUTPUT`.
    public var outputs: [String: String]
    /// A sentence for the operator when the command could not start or its exit status was lost.
    public var failureReason: String?
    /// Why the step's output file could not be taken; it fails the attempt even after exit 0.
    public var outputProblem: StepOutputError?

    public init(
        termination: Termination, outputs: [String: String] = [:], failureReason: String? = nil,
        outputProblem: StepOutputError? = nil
    ) {
        self.termination = termination
        self.outputs = outputs
        self.failureReason = failureReason
        self.outputProblem = outputProblem
    }

    /// Exit 0 with an output file that could be taken.
    public var succeeded: Bool { termination == .exited(0) && outputProblem == nil }

    /// The exit code, or 128 + signal for a signalled process, or nil if it never started.
    public var exitCode: Int32? {
        switch termination {
        case .exited(let code): return code
        case .signalled(let signal): return 128 + signal
        case .notStarted: return nil
        }
    }
}
