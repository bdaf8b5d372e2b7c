/// Everything an executor needs to run one attempt of a step, or its rollback.
public struct ExecutionJob: Sendable {
    /// Whether this runs the step's work or undoes it.
    public enum Purpose: String, Sendable, Codable {
        case run
        case rollback
    }

    public var stepID: String
    public var attempt: Int
    public var purpose: Purpose
    /// The shell text handed to `/bin/sh -c`; nil for a step that only has `simulate:`.
    public var command: String?
    /// Variables added to (or replacing those of) the inherited environment.
    public var environment: [String: String]
    /// The working directory; nil means the current one.
    public var directory: String?
    /// The file whose path is in `$BATON_OUTPUT`; the step writes `key=value` lines to it.
    public var outputFile: String
    /// The script played by the simulated executor.
    public var simulation: Simulation?
    /// Texts an overlong output line is never cut inside (the run's secrets), so that masking
    /// still finds them whole in the pieces; see `ProcessLineSplitter`.
    public var keepWhole: [String] = []
    /// The host the job runs on over SSH; nil on this machine.
    public var remote: RemoteTarget?
    /// Where it runs, as its executor named it before the start (`StepExecutor.newHandle`).
    public var handle: String?

    public init(
        stepID: String, attempt: Int, purpose: Purpose, command: String?, environment: [String: String],
        directory: String?, outputFile: String, simulation: Simulation?
    ) {
        self.stepID = stepID
        self.attempt = attempt
        self.purpose = purpose
        self.command = command
        self.environment = environment
        self.directory = directory
        self.outputFile = outputFile
        self.simulation = simulation
    }
}
