/// What a key does in the console.
public enum ConsoleAction: String, Sendable, Hashable, CaseIterable {
    case quit, help, nextPane, previousPane
    case up, down, left, right, pageUp, pageDown, top, bottom, details, attention
    case pauseRun, approve, reject, retry, rollback, rollbackRun, cancel, cancelRun, skip, holdRelease, suspendResume
    case follow, wrap, search, nextMatch, previousMatch, compactGraph, sort, filter
}
