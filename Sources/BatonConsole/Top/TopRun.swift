import BatonEngine

/// One run as `baton top` shows it: what its journal, its host and its gates say.
///
/// `TopFeed` reads these from disk; everything after that (ordering, rows, keys) works on
/// these values alone, so it is tested without files or a terminal.
public struct TopRun: Sendable, Hashable {
    /// The run's id: its directory's name.
    public var id: String
    /// The run's directory, which `baton attach` and `baton replay` are given.
    public var directory: String
    public var workflow: String
    /// Who started the run (`run_started`'s user).
    public var user: String
    public var status: RunStatus
    /// Whether the run recorded its end (`run_finished`, and no reopening since).
    public var isFinished: Bool
    /// Steps done (succeeded or skipped), as `baton runs` counts them, and all steps.
    public var doneSteps: Int
    public var totalSteps: Int
    public var startedAt: Double?
    public var finishedAt: Double?
    /// For a run nobody serves that never recorded its end: the last thing it recorded (an
    /// event, or a step's output), so its time stops there, as in `baton runs`.
    public var lastHeard: Double?
    /// Whether a Baton serves the run now (a host answers on `host.sock`).
    public var isLive: Bool
    /// Gates that wait for a decision, in file order.
    public var gates: [TopGate]
    /// What the run waits on besides its gates (`RunState.operatorWait`'s reasons).
    public var waitReasons: [String]
    /// Why the run's journal cannot be read (or read to its end); nil when all is well.
    public var problem: String?
    /// The inventory hosts its steps run on, and how many of them have a step at work or a
    /// failure (`HostTally`); all 0 for a run on no host.
    public var hosts = 0
    public var activeHosts = 0
    public var failedHosts = 0

    public init(
        id: String, directory: String, workflow: String = "", user: String = "", status: RunStatus = .notStarted,
        isFinished: Bool = false, doneSteps: Int = 0, totalSteps: Int = 0, startedAt: Double? = nil,
        finishedAt: Double? = nil, lastHeard: Double? = nil, isLive: Bool = false, gates: [TopGate] = [],
        waitReasons: [String] = [], problem: String? = nil
    ) {
        self.id = id
        self.directory = directory
        self.workflow = workflow
        self.user = user
        self.status = status
        self.isFinished = isFinished
        self.doneSteps = doneSteps
        self.totalSteps = totalSteps
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.lastHeard = lastHeard
        self.isLive = isLive
        self.gates = gates
        self.waitReasons = waitReasons
        self.problem = problem
    }

    /// A run as its folded journal says, with what only the feed knows: whether it is live, when
    /// a dead run was last heard of, its open gates and whether the journal could be read to its end.
    public init(
        id: String, directory: String, state: RunState, isLive: Bool, lastHeard: Double?, gates: [TopGate], problem: String?,
        hosts: HostTally? = nil
    ) {
        let counts = state.countsByState
        // The reasons of the gates listed are said with the gates.
        let gateSteps = Set(gates.map(\.step))
        var reasons = state.operatorWait?.reasons ?? []
        if let wait = state.operatorWait, wait.steps.count == wait.reasons.count {
            reasons = zip(wait.steps, wait.reasons).filter { !gateSteps.contains($0.0) }.map(\.1)
        }
        self.init(
            id: id, directory: directory, workflow: state.workflowName, user: state.user, status: state.status,
            isFinished: state.isFinished, doneSteps: (counts[.succeeded] ?? 0) + (counts[.skipped] ?? 0),
            totalSteps: state.steps.count, startedAt: state.startedAt, finishedAt: state.finishedAt, lastHeard: lastHeard,
            isLive: isLive, gates: gates, waitReasons: reasons, problem: problem)
        if let hosts {
            self.hosts = hosts.entries.count
            activeHosts = hosts.activeHosts
            failedHosts = hosts.failedHosts
        }
    }

    /// Whether the person at the screen can decide one of its gates now: the run is live and a
    /// waiting gate names them (`ApprovalPolicy`).
    public var waitsOnMe: Bool { isLive && gates.contains(where: \.isMine) }

    /// A run nobody serves that never recorded its end: its Baton died or was killed.
    public var stoppedUnexpectedly: Bool { !isLive && !isFinished && startedAt != nil }

    /// Whether the run's time grows while it is on screen: it is live and has not ended.
    public var hasRunningClock: Bool { isLive && !isFinished && startedAt != nil }

    /// How long the run has gone on at `now`: to its end, to now while a Baton serves it, and
    /// for a run whose Baton died, to the last thing it recorded.
    public func elapsed(at now: Double) -> Double? {
        guard let startedAt else { return nil }
        if let finishedAt, isFinished { return max(0, finishedAt - startedAt) }
        if isLive { return max(0, now - startedAt) }
        return max(0, (lastHeard ?? startedAt) - startedAt)
    }

    /// The state in words: the fold's status, "stopped unexpectedly" for a run whose Baton
    /// died, "unreadable" for a journal that cannot be read.
    public var stateWords: String {
        if problem != nil && startedAt == nil { return "unreadable" }
        if stoppedUnexpectedly { return "stopped unexpectedly" }
        return status.words
    }

    /// What the run waits for, in words: the gates first (saying whether you may decide them),
    /// then the other reasons; for a run whose Baton died, that it must be resumed; for an
    /// unreadable journal, why.
    public var waitingText: String {
        var parts: [String] = []
        if let problem { parts.append(problem) }
        for gate in gates {
            if gate.isMine && isLive {
                parts.append("approval of '\(gate.step)': you may decide")
            } else {
                parts.append("approval of '\(gate.step)' by \(ApprovalGate.describe(gate.approvers))")
            }
        }
        parts += waitReasons
        if stoppedUnexpectedly && problem == nil { parts.append("its Baton is gone: baton resume takes it up") }
        // Ended unfinished (interrupted, or left waiting with nobody to ask): resumable.
        if isFinished && !isLive && (status == .interrupted || status == .waitingForOperator) {
            parts.append("baton resume takes it up")
        }
        return parts.joined(separator: "; ")
    }
}
