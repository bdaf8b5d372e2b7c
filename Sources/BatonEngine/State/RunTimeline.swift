/// When each step of a run was busy: its attempts, approval waits and rollbacks, as time
/// segments folded from the run's events.
///
/// Like `RunState`, it is a fold over the journal, but a forgiving one: it is for drawing, so
/// an event that does not fit (a close without an open, a repeated open, a step the workflow
/// does not have) is ignored or mended instead of rejected.
///
/// - A `.step` event to `running` opens an `.attempt` segment, to `waiting` a `.waiting`
///   segment and to `rolling_back` a `.rollback` segment. An open segment of the step is
///   closed first.
/// - Any other step event of the step closes its open segment, except `suspended`, which
///   leaves an attempt open (its `state` reads `suspended` until the step runs again).
/// - `run_finished` closes every open segment where the run ended; `run_reopened` opens a new
///   wait for a gate that was still waiting when the run ended.
public struct RunTimeline: Sendable, Hashable {
    /// One stretch of time in which a step was running, waiting for approval or rolling back.
    public struct Segment: Sendable, Hashable {
        /// What the step was doing during a segment.
        public enum Kind: String, Sendable, Hashable {
            /// An attempt of the step's command.
            case attempt
            /// The step's approval gate was open, waiting for an operator.
            case waiting
            /// The step's rollback command ran.
            case rollback
        }

        public var kind: Kind
        /// The step's attempt number: the attempt itself, or for a wait or rollback the
        /// latest attempt before it (0 before the first).
        public var attempt: Int
        /// Seconds since 1970.
        public var start: Double
        /// Seconds since 1970; nil while the segment is ongoing.
        public var end: Double?
        /// The state the segment ended in, or the step's current state while it is ongoing.
        public var state: StepState

        public init(kind: Kind, attempt: Int, start: Double, end: Double? = nil, state: StepState) {
            self.kind = kind
            self.attempt = attempt
            self.start = start
            self.end = end
            self.state = state
        }

        /// Whether the segment has not ended yet.
        public var isOngoing: Bool { end == nil }

        /// When the segment ends, counting an ongoing one as ending at `now` (never before it starts).
        public func end(now: Double) -> Double { end ?? max(start, now) }
    }

    /// For each step, by file position, its segments in the order they began.
    public private(set) var segments: [[Segment]]
    /// When the run started: the time of `run_started`, or of the first event before it.
    public private(set) var runStart: Double?
    /// When the run finished (`run_finished`); nil while it goes on, or again once reopened.
    public private(set) var runEnd: Double?

    private var indexByID: [String: Int]
    /// The latest attempt number seen for each step.
    private var latestAttempt: [Int]
    private var sawRunStarted = false
    /// The earliest segment start seen.
    private var earliestStart: Double?
    /// The latest segment start or end seen, so `span` needs no scan of every segment.
    private var latestEdge: Double?
    private var openCount = 0

    /// A timeline for the steps of `workflow`, with `events` applied in order.
    public init(workflow: Workflow, events: [RunEvent] = []) {
        let count = workflow.steps.count
        segments = Array(repeating: [], count: count)
        latestAttempt = Array(repeating: 0, count: count)
        var index: [String: Int] = [:]
        index.reserveCapacity(count)
        for (position, step) in workflow.steps.enumerated() where index[step.id] == nil { index[step.id] = position }
        indexByID = index
        for event in events { apply(event) }
    }

    /// The number of steps the timeline has rows for.
    public var stepCount: Int { segments.count }

    /// Whether anything has happened yet: the run started or some event arrived.
    public var hasStarted: Bool { runStart != nil }

    /// The segments of the step at a file position; none for a position out of range.
    public func segments(of index: Int) -> [Segment] {
        segments.indices.contains(index) ? segments[index] : []
    }

    /// The step's latest attempt segment, if it ever ran.
    public func lastAttempt(of index: Int) -> Segment? {
        segments(of: index).last { $0.kind == .attempt }
    }

    /// The time the chart must cover: from the run's start (or the earliest segment) to the
    /// latest segment end, the run's end, or `now` while a segment is ongoing.
    public func span(now: Double) -> (start: Double, end: Double) {
        let starts = [runStart, earliestStart].compactMap { $0 }
        guard let start = starts.min() else { return (now, now) }
        var end = start
        if let latestEdge { end = max(end, latestEdge) }
        if let runEnd { end = max(end, runEnd) }
        if openCount > 0 { end = max(end, now) }
        return (start, end)
    }

    /// Folds one event into the timeline. Never fails: events that do not fit are ignored.
    public mutating func apply(_ event: RunEvent) {
        let time = event.time
        switch event.kind {
        case .runStarted:
            if !sawRunStarted {
                sawRunStarted = true
                runStart = time
            }
        case .runFinished:
            runEnd = time
            for index in segments.indices { close(index, at: time, state: nil) }
        case .runReopened:
            runEnd = nil
            reopenWaitingGates(at: time)
        case .step:
            applyStep(event)
        case .fanOutExpanded:
            // Rows for the instances, after every other step as the run adds them; a timeline
            // drawn for the workflow with its instances already has them.
            for id in event.steps ?? [] where indexByID[id] == nil {
                indexByID[id] = segments.count
                segments.append([])
                latestAttempt.append(0)
            }
        case .command, .runPaused, .runResumed, .runHalted, .rollbackPlanned, .approvalTimedOut, .runWaiting:
            break
        }
        if runStart == nil { runStart = time }
    }

    private mutating func applyStep(_ event: RunEvent) {
        guard let id = event.step, let index = indexByID[id], let target = event.state else { return }
        let time = event.time
        switch target {
        case .running:
            if let open = openSegment(of: index), open.kind == .attempt, open.state == .suspended,
               event.attempt == nil || event.attempt == open.attempt {
                // Resumed after a suspension: the same attempt goes on.
                segments[index][segments[index].count - 1].state = .running
                return
            }
            let attempt = event.attempt ?? max(1, latestAttempt[index])
            latestAttempt[index] = max(latestAttempt[index], attempt)
            open(index, kind: .attempt, attempt: attempt, at: time, closingWith: target)
        case .waiting:
            open(index, kind: .waiting, attempt: latestAttempt[index], at: time, closingWith: target)
        case .rollingBack:
            open(index, kind: .rollback, attempt: latestAttempt[index], at: time, closingWith: target)
        case .suspended:
            guard let open = openSegment(of: index) else { return }
            if open.kind == .attempt {
                segments[index][segments[index].count - 1].state = .suspended
            } else {
                close(index, at: time, state: target)
            }
        case .pending, .held, .retrying, .succeeded, .failed, .skipped, .blocked, .cancelled, .interrupted,
             .rolledBack, .rollbackFailed:
            if openSegment(of: index) != nil { close(index, at: time, state: target) }
        }
        if let attempt = event.attempt { latestAttempt[index] = max(latestAttempt[index], attempt) }
    }

    private func openSegment(of index: Int) -> Segment? {
        guard let last = segments[index].last, last.end == nil else { return nil }
        return last
    }

    /// Opens a segment for a step, closing its open one first (ending in `closingWith`).
    private mutating func open(_ index: Int, kind: Segment.Kind, attempt: Int, at time: Double, closingWith state: StepState) {
        if openSegment(of: index) != nil { close(index, at: time, state: state) }
        let initial: StepState
        switch kind {
        case .attempt: initial = .running
        case .waiting: initial = .waiting
        case .rollback: initial = .rollingBack
        }
        segments[index].append(Segment(kind: kind, attempt: attempt, start: time, state: initial))
        openCount += 1
        earliestStart = min(earliestStart ?? time, time)
        latestEdge = max(latestEdge ?? time, time)
    }

    /// Closes a step's open segment at `time` (never before it began), in `state` if given.
    private mutating func close(_ index: Int, at time: Double, state: StepState?) {
        let last = segments[index].count - 1
        guard last >= 0, segments[index][last].end == nil else { return }
        let end = max(segments[index][last].start, time)
        segments[index][last].end = end
        if let state { segments[index][last].state = state }
        openCount -= 1
        latestEdge = max(latestEdge ?? end, end)
    }

    /// After `run_reopened`: a gate whose wait was cut off by `run_finished` waits again.
    private mutating func reopenWaitingGates(at time: Double) {
        for index in segments.indices {
            guard let last = segments[index].last, last.kind == .waiting, last.end != nil, last.state == .waiting else { continue }
            open(index, kind: .waiting, attempt: latestAttempt[index], at: time, closingWith: .waiting)
        }
    }
}
