/// What a key does in the console.
public enum ConsoleAction: String, ConfigurableAction {
    case quit, help, nextPane, previousPane
    case up, down, left, right, pageUp, pageDown, top, bottom, details, attention
    case pauseRun, approve, reject, retry, rollback, rollbackRun, cancel, cancelRun, skip, holdRelease, suspendResume
    case follow, followActivity, zoom, pager, wrap, search, nextMatch, previousMatch, compactGraph, toggleGroup, toggleAllGroups, sort, filter, timeline, notes, audit
    case find, onlyFailed, onlyWaiting, onlyRunning, allSteps
    case playPause, stepForward, stepBack, replayStart, replayEnd, faster, slower

    /// Actions that change the run; a replay refuses them.
    public var isOperatorAction: Bool {
        switch self {
        case .pauseRun, .approve, .reject, .retry, .rollback, .rollbackRun, .cancel, .cancelRun, .skip, .holdRelease, .suspendResume:
            return true
        default:
            return false
        }
    }

    /// The movement keys: they act in the pane that has the focus (`ConsolePane.navigate`).
    public var isMovement: Bool {
        switch self {
        case .up, .down, .left, .right, .pageUp, .pageDown, .top, .bottom: return true
        default: return false
        }
    }

    /// Actions that move a replay; the live console has nothing to play.
    public var isReplayAction: Bool {
        switch self {
        case .playPause, .stepForward, .stepBack, .replayStart, .replayEnd, .faster, .slower: return true
        default: return false
        }
    }
}
