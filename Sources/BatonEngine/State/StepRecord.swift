/// What the run knows about one step: its state, attempts, outputs and decisions.
public struct StepRecord: Sendable, Hashable {
    public var id: String
    public var state: StepState = .pending
    /// The number of the latest attempt, counted over the whole run; 0 before the first.
    public var attempt: Int = 0
    /// The attempt number at which the current series of tries began (an operator retry starts a new one).
    public var attemptBase: Int = 0
    /// Exit codes of finished attempts, in order; a rollback's are in `rollbackExitCodes`.
    public var exitCodes: [Int32] = []
    public var outputs: [String: String] = [:]
    /// Why the step is in its state, in words, when that is worth saying.
    public var reason: String?
    /// When the step first started running in its current series of tries, seconds since 1970.
    public var startedAt: Double?
    /// When the step last settled, seconds since 1970; the end of a rollback does not count
    /// (see `rollbackFinishedAt`).
    public var finishedAt: Double?
    /// Seconds the step's attempts have run, over the whole run, in stretches that have ended:
    /// a suspension, a backoff or a wait for an operator does not count.
    public var runSeconds: Double = 0
    /// Seconds the latest attempt has run, in stretches that have ended.
    public var attemptSeconds: Double = 0
    /// When the current stretch of running began; nil while the step is not running.
    public var runningSince: Double?
    /// Where the latest attempt or rollback runs, as its executor named it (`RunEvent.handle`);
    /// nil for executors that need none.
    public var handle: String?

    /// The parts most steps leave at their defaults (`StepRecord+RareParts`); nil while all are.
    var rare: RareParts<RareContents>?

    public init(id: String) { self.id = id }

    /// The attempt within the current series of tries, from 1; 0 when an operator's retry
    /// has begun a series whose first attempt has not started yet.
    public var attemptInSeries: Int { attempt - attemptBase }

    /// Seconds the step's attempts have run by `now`, over the whole run.
    public func runTime(at now: Double) -> Double {
        runSeconds + ongoingStretch(at: now)
    }

    /// Seconds the latest attempt has run by `now`.
    public func attemptTime(at now: Double) -> Double {
        attemptSeconds + ongoingStretch(at: now)
    }

    /// Seconds the latest rollback ran, or has run by `now`; nil if the step was never rolled back.
    public func rollbackTime(at now: Double) -> Double? {
        rollbackStartedAt.map { max(0, (rollbackFinishedAt ?? now) - $0) }
    }

    private func ongoingStretch(at now: Double) -> Double {
        runningSince.map { max(0, now - $0) } ?? 0
    }

    /// Moves the step's clocks for its change from `previous` to `target` at `time`: a stretch
    /// of running ends when the step leaves `running`, and begins when it enters it; a new
    /// attempt (anything but a suspended step going on) starts its own count.
    mutating func clockChange(from previous: StepState, to target: StepState, at time: Double) {
        if previous == .running, let since = runningSince {
            let stretch = max(0, time - since)
            runSeconds += stretch
            attemptSeconds += stretch
        }
        runningSince = nil
        if target == .running {
            if previous != .suspended { attemptSeconds = 0 }
            runningSince = time
        }
    }
}

/// An operator's decision on an approval gate.
public struct ApprovalDecision: Sendable, Hashable {
    public var approved: Bool
    public var user: String
    public var comment: String?
    public var time: Double
    /// The values the approver gave (`approval.inputs`).
    public var values: [String: String]

    public init(approved: Bool, user: String, comment: String?, time: Double, values: [String: String] = [:]) {
        self.approved = approved
        self.user = user
        self.comment = comment
        self.time = time
        self.values = values
    }
}
