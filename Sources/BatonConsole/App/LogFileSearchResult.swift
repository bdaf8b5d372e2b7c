/// What a search of a step's log file found that the lines in memory do not hold.
public struct LogFileSearchResult: Sendable, Hashable {
    /// How many lines the log had when it was searched.
    public var totalLines: Int
    /// The number of the file's line that the first line in memory stands for, as far as the
    /// counts tell: `totalLines - windowLines + 1`. Matches below it are before the window.
    public var windowStart: Int
    /// The numbers (from 1) of the matching lines, oldest first: the last
    /// `LogFileSearch.matchLimit` of them.
    public var matches: [Int]
    /// How many lines matched, listed or not.
    public var matchCount: Int
    /// The lines around the last match, to show at once; nil when nothing matched.
    public var excerpt: LogExcerpt?

    public init(totalLines: Int, windowStart: Int, matches: [Int], matchCount: Int, excerpt: LogExcerpt?) {
        self.totalLines = totalLines
        self.windowStart = windowStart
        self.matches = matches
        self.matchCount = matchCount
        self.excerpt = excerpt
    }

    /// Where a match is, said plainly: before the lines in memory, or among the lines the
    /// engine held back from a step that printed faster than the console could take (they are
    /// in the file, but the console never had them).
    public func place(of line: Int) -> String {
        line < windowStart ? "before the window" : "not among the lines in memory"
    }
}
