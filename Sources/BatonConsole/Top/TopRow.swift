import BatonEngine
import BatonTerminal

/// The texts of one row of `baton top`'s list, escaped for the screen (ids, names, users and
/// reasons come from journals and workflow files, which anyone who may write a run wrote).
public enum TopRow {
    /// The text of a cell of `kind` for `run` at `now`, before it is cut to its column.
    public static func text(_ kind: TopColumns.Kind, _ run: TopRun, now: Double, unicode: Bool) -> String {
        switch kind {
        case .run: return VisibleText.escape(run.id)
        case .workflow: return VisibleText.escape(run.workflow)
        case .state: return run.stateWords
        case .progressBar: return bar(run, unicode: unicode) + " " + countText(run)
        case .progressCount: return countText(run)
        case .elapsed: return run.elapsed(at: now).map(TopDuration.text) ?? "–"
        case .waiting: return VisibleText.escape(run.waitingText)
        case .user: return VisibleText.escape(run.user)
        case .hosts: return HostTally.summary(hosts: run.hosts, active: run.activeHosts, failed: run.failedHosts, unicode: unicode)
        }
    }

    /// Steps done of all steps, "4/9"; "–" before the run's steps are known.
    public static func countText(_ run: TopRun) -> String {
        run.startedAt == nil && run.totalSteps == 0 ? "–" : "\(run.doneSteps)/\(run.totalSteps)"
    }

    /// The progress bar: a cell per tenth of the steps done, rounded down, so a full bar means
    /// every step done.
    public static func bar(_ run: TopRun, unicode: Bool) -> String {
        let cells = TopColumns.barCells
        let filled = run.totalSteps > 0 ? min(cells, run.doneSteps * cells / run.totalSteps) : 0
        let (full, empty) = unicode ? ("█", "░") : ("#", "-")
        return String(repeating: full, count: filled) + String(repeating: empty, count: cells - filled)
    }

    /// The mark before the run id: `!` a gate waits on you, `●` live, `○` its Baton died before
    /// it ended, `?` its journal cannot be read; blank once it ended.
    public static func mark(_ run: TopRun, unicode: Bool) -> String {
        if run.waitsOnMe { return "!" }
        if run.isLive { return unicode ? "●" : "*" }
        if run.problem != nil { return "?" }
        if run.stoppedUnexpectedly { return unicode ? "○" : "o" }
        return " "
    }

    /// The step state whose colour shows a run status.
    public static func colourState(of run: TopRun) -> StepState? {
        if run.problem != nil || run.stoppedUnexpectedly { return .interrupted }
        switch run.status {
        case .notStarted: return .pending
        case .running: return .running
        case .stopping: return .rollingBack
        case .paused: return .held
        case .waitingForOperator: return .waiting
        case .succeeded: return .succeeded
        case .failed: return .failed
        case .cancelled: return .cancelled
        case .rolledBack: return .rolledBack
        case .rollbackFailed: return .rollbackFailed
        case .interrupted: return .interrupted
        }
    }
}
