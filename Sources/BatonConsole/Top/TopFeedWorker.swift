import BatonEngine
import BatonTerminal
import Foundation

/// The state `TopFeed`'s thread keeps about each run, and the reading it does. Used from that
/// one thread only.
final class TopFeedWorker {
    private let watcher: RunsWatcher
    private let user: String
    private var stateDirectory: StateDirectory { watcher.stateDirectory }
    /// The user's groups, looked up once per full look, for `group:` approvers.
    private var directory = FixedUserDirectory([:])
    private var runs: [String: TrackedRun] = [:]
    /// When to look again whether a host serves a run: a socket is bound before it listens, and
    /// a dying Baton's journal closes before its socket does.
    private var probes: [String: [ContinuousClock.Instant]] = [:]
    private var loaded = false
    private var postedNotice: String?

    /// How long after a change of a run's socket or journal writer its host is looked at again.
    static let probeDelays: [Duration] = [.milliseconds(200), .seconds(1)]
    /// Runs per message during the first reading, so the screen fills as it goes.
    static let batchSize = 16
    /// The shortest time between two looks at what changed: a run that records thousands of
    /// events a second (a storm of quick steps) costs at most this many reads and redraws a
    /// second, as the kernel merges the events queued meanwhile; a change shows within it.
    static let batchInterval: Duration = .milliseconds(50)

    private struct TrackedRun {
        var directory: RunDirectory
        var follower: JournalFollower
        var isLive = false
        /// For a run nobody serves that never recorded its end: its last event or output.
        var lastHeard: Double?
        /// The stored workflow, loaded once a gate waits or for a run on hosts, or why it
        /// does not load.
        var workflow: Result<Workflow, WorkflowLoadError>?
        /// The row last posted; nil while the run is not shown (no journal yet).
        var shown: TopRun?

        init(directory: RunDirectory) {
            self.directory = directory
            follower = JournalFollower(path: directory.eventsPath)
        }
    }

    init(watcher: RunsWatcher, user: String) {
        self.watcher = watcher
        self.user = user
    }

    /// Reads every run, then follows changes until `isStopped`.
    func run(stop: Int32, isStopped: () -> Bool, post: ([TopMessage]) -> Void) {
        rescan(post: post)
        while !isStopped() {
            let now = ContinuousClock.now
            let nextProbe = probes.values.flatMap { $0 }.min()
            _ = EventWaiter.wait(for: [watcher.descriptor, stop], timeout: nextProbe.map { max(.zero, $0 - now) })
            if isStopped() { return }
            let changes = watcher.drain()
            if changes.rescan {
                rescan(post: post)
                // A queue that overflows again at once must not make the rescans back to back.
                _ = EventWaiter.wait(for: [stop], timeout: Self.batchInterval)
                continue
            }
            var messages: [TopMessage] = []
            var removed = Set<String>()
            for id in changes.removed.union(changes.added) {
                if isRunDirectory(id) {
                    // Gone and back (or new): read it from its start.
                    if let old = runs[id], old.shown != nil, changes.removed.contains(id) { removed.insert(id) }
                    runs[id] = TrackedRun(directory: stateDirectory.runDirectory(id))
                    scheduleProbes(id)
                } else if runs.removeValue(forKey: id)?.shown != nil {
                    removed.insert(id)
                    probes[id] = nil
                }
            }
            for id in changes.hosts { scheduleProbes(id) }
            var changed: [TopRun] = []
            let due = dueProbes()
            let touched = changes.added.union(changes.journals).union(changes.hosts).union(due)
            for id in touched where runs[id] != nil {
                let host = changes.added.contains(id) || changes.hosts.contains(id) || due.contains(id)
                if let row = refresh(id, journal: changes.added.contains(id) || changes.journals.contains(id), host: host) {
                    changed.append(row)
                }
            }
            removed.formUnion(hidden(among: touched))
            if !removed.isEmpty { messages.append(.removed(removed)) }
            if !changed.isEmpty { messages.append(.runs(changed)) }
            if let notice = noticeIfChanged() { messages.append(.watchNotice(notice)) }
            if !messages.isEmpty {
                post(messages)
                // Let the next changes gather (see `batchInterval`); only a stop cuts it short.
                _ = EventWaiter.wait(for: [stop], timeout: Self.batchInterval)
            }
        }
    }

    /// Watches everything afresh and brings every run up to date: new runs are read from their
    /// start, known ones from where they were left, and runs that went are taken off.
    private func rescan(post: ([TopMessage]) -> Void) {
        let ids = watcher.rescan()
        let me = user
        directory = FixedUserDirectory([me: SystemUserDirectory().groups(of: me)])
        let present = Set(ids)
        let gone = Set(runs.keys).subtracting(present)
        var removed = Set<String>()
        for id in gone where runs.removeValue(forKey: id)?.shown != nil { removed.insert(id) }
        for id in gone { probes[id] = nil }
        var messages: [TopMessage] = removed.isEmpty ? [] : [.removed(removed)]
        if let notice = noticeIfChanged() { messages.append(.watchNotice(notice)) }
        var batch: [TopRun] = []
        // Newest first: ids are start times, and the newest runs are the ones likely to matter.
        for id in ids.reversed() {
            if runs[id] == nil { runs[id] = TrackedRun(directory: stateDirectory.runDirectory(id)) }
            if let row = refresh(id, journal: true, host: true) { batch.append(row) }
            if batch.count >= Self.batchSize {
                post(messages + [.runs(batch)])
                messages = []
                batch = []
            }
        }
        let hide = hidden(among: present)
        if !hide.isEmpty { messages.append(.removed(hide)) }
        if !batch.isEmpty { messages.append(.runs(batch)) }
        if !loaded {
            loaded = true
            messages.append(.loaded)
        }
        if !messages.isEmpty { post(messages) }
    }

    /// Runs among `ids` that were shown and have no journal any more (a run directory being
    /// made, or one whose journal was removed): `baton runs` does not list them either.
    private func hidden(among ids: Set<String>) -> Set<String> {
        var result = Set<String>()
        for id in ids {
            guard var tracked = runs[id], tracked.shown != nil, !tracked.follower.exists else { continue }
            tracked.shown = nil
            runs[id] = tracked
            result.insert(id)
        }
        return result
    }

    /// Reads what changed of one run and returns its row when the row changed.
    private func refresh(_ id: String, journal: Bool, host: Bool) -> TopRun? {
        guard var tracked = runs[id] else { return nil }
        defer { runs[id] = tracked }
        var changed = false
        if journal { changed = tracked.follower.catchUp() }
        guard tracked.follower.exists else { return nil }
        // A run nobody serves that writes its journal again has a Baton again (a resume).
        if host || (changed && !tracked.isLive) {
            tracked.isLive = Self.isServed(tracked.directory)
        }
        let state = tracked.follower.state
        if tracked.isLive || state.isFinished || state.startedAt == nil {
            tracked.lastHeard = nil
        } else if changed || host || tracked.lastHeard == nil {
            let logs = StepLogStore.lastChunkTime(inDirectory: tracked.directory.logsPath)
            tracked.lastHeard = [state.lastEventAt, logs].compactMap { $0 }.max()
        }
        let row = TopRun(
            id: id, directory: tracked.directory.path, state: state, isLive: tracked.isLive, lastHeard: tracked.lastHeard,
            gates: gates(of: &tracked), problem: tracked.follower.problem, hosts: hosts(of: &tracked))
        guard row != tracked.shown else { return nil }
        tracked.shown = row
        return row
    }

    /// How the run's hosts stand. The stored workflow says each step's host; it is loaded for
    /// a run that has not ended, or one whose attempts have handles (only an attempt on a host
    /// has one), so the many finished local runs of a state directory are never parsed.
    private func hosts(of tracked: inout TrackedRun) -> HostTally? {
        let state = tracked.follower.state
        guard !state.isFinished || state.steps.contains(where: { $0.handle != nil }) else { return nil }
        if tracked.workflow == nil {
            tracked.workflow = Result { () throws(WorkflowLoadError) in try tracked.directory.loadStoredWorkflow() }
        }
        guard case .success(let workflow) = tracked.workflow else { return nil }
        return HostTally(workflow: workflow, run: state)
    }

    /// The run's open gates, and which the user may approve; the stored workflow (whose gates
    /// name the approvers) is loaded the first time a gate waits.
    private func gates(of tracked: inout TrackedRun) -> [TopGate] {
        let state = tracked.follower.state
        guard !state.isFinished, state.steps.contains(where: { $0.state == .waiting }) else { return [] }
        if tracked.workflow == nil {
            tracked.workflow = Result { () throws(WorkflowLoadError) in try tracked.directory.loadStoredWorkflow() }
        }
        guard case .success(let workflow) = tracked.workflow else {
            // Who may decide is unknown: the gates show, as nobody's in particular.
            return state.steps.filter { $0.state == .waiting }.map { TopGate(step: $0.id, approvers: ["(approvers unknown: workflow.yaml does not load)"], isMine: false) }
        }
        // A gate that names no approvers is the operators' (the engine's access rule); the
        // Baton serving the run now, whose user is an operator too, owns its socket.
        let isOperator = workflow.access.isOperator(
            user, starter: state.user, runner: OperatorIdentity.owner(ofFile: tracked.directory.hostSocketPath) ?? "",
            runDirectoryGroup: AccessPolicy.group(ofDirectory: tracked.directory.path), recorded: true, directory: directory)
        return ApprovalPolicy(workflow: workflow, directory: directory).openGates(in: state, for: user, isOperator: isOperator).map {
            TopGate(step: $0.step, approvers: $0.approvers, isMine: $0.userMayApprove)
        }
    }

    /// Whether a Baton serves the run: its host answers. When the socket is not open to this
    /// user, the journal's lock says whether a Baton writes the run.
    static func isServed(_ directory: RunDirectory) -> Bool {
        switch RunHost.presence(at: directory.hostSocketPath) {
        case .serving: return true
        case .stale, .absent: return false
        case .forbidden: return directory.isBeingWritten
        }
    }

    private func scheduleProbes(_ id: String) {
        let now = ContinuousClock.now
        probes[id] = Self.probeDelays.map { now + $0 }
    }

    /// Runs whose host is due to be looked at again; their times are taken off the schedule.
    private func dueProbes() -> Set<String> {
        let now = ContinuousClock.now
        var due = Set<String>()
        for (id, times) in probes {
            let later = times.filter { $0 > now }
            if later.count < times.count { due.insert(id) }
            probes[id] = later.isEmpty ? nil : later
        }
        return due
    }

    private func isRunDirectory(_ id: String) -> Bool {
        var info = stat()
        return stat(stateDirectory.runDirectory(id).path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// What keeps the watch from being complete, when it changed since it was last posted
    /// (an empty text clears it).
    private func noticeIfChanged() -> String?? {
        var notice: String?
        if let problem = watcher.folderProblem {
            notice = problem
        } else if !watcher.watchesRunsFolder {
            notice = "no runs folder at \(stateDirectory.runsPath) yet: watching for it"
        } else if let (id, reason) = watcher.unwatched.min(by: { $0.key < $1.key }) {
            let others = watcher.unwatched.count - 1
            notice = "run \(id)\(others > 0 ? " and \(others) more" : "") cannot be followed live: \(reason)"
        }
        guard notice != postedNotice else { return nil }
        postedNotice = notice
        return .some(notice)
    }
}
