/// How the log pane is scrolled, searched and wrapped.
public struct LogViewState: Sendable, Hashable {
    /// Which line is shown first (a line that wraps takes several rows), whether the newest
    /// lines are kept in view, and the columns scrolled to the right while not wrapping (←/→
    /// while the log has the focus).
    public var scroll = ListScroll(follows: true)
    public var wrap = false
    /// The search being typed, with its cursor, while the search prompt is open.
    public var typing: LineEditor?
    /// The last search.
    public var query = ""
    /// Indexes of the lines in memory that match `query`.
    public var matches: [Int] = []
    /// Which of `matches` is current (while no excerpt is shown).
    public var current = 0
    /// The search of the selected step's log file for `query`, asked for when the lines in
    /// memory held no match, or none before the first; nil until then.
    public var fileSearch: LogFileSearch?
    /// What `fileSearch` found that the lines in memory do not hold; nil while it runs.
    public var fileResult: LogFileSearchResult?
    /// Lines read from the log file around a match that only the file holds, shown in place
    /// of the lines in memory; its `focus` is the current match.
    public var excerpt: LogExcerpt?
    /// The read of an excerpt being waited for, after `n` or `N` moved to a match outside
    /// the excerpt shown.
    public var pendingExcerpt: LogExcerptRequest?
    /// Numbers the reads of log files, so an answer to an older one is told apart and ignored.
    public var fileReadSerial = 0

    public init() {}

    /// The matches the file search found that the lines in memory do not hold, oldest first.
    public var fileMatches: [Int] { fileResult?.matches ?? [] }

    /// Which of the file's matches (from 1, of `fileResult.matchCount`) the match at `line`
    /// is; nil when the file search did not find it.
    public func fileMatchPosition(of line: Int) -> Int? {
        guard let result = fileResult, let index = result.matches.firstIndex(of: line) else { return nil }
        // The list keeps the last matches; the ones left out come before them.
        return index + 1 + result.matchCount - result.matches.count
    }
}
