import BatonEngine

/// A search of a step's whole log file: the effect `update` asks for when the lines in memory
/// hold no match (or none before the current one), and the work the runner does for it.
///
/// The file is streamed a block at a time (`StepLogScanner`), each line matched as the log
/// pane would match it (`LogLineMatcher`), so a log of any size is searched in bounded
/// memory. The console's lines are the file's last ones, less any the engine held back from a
/// step that printed faster than the console could take.
public struct LogFileSearch: Sendable, Hashable {
    /// The most match numbers a result lists (the ones nearest the end); more are counted.
    public static let matchLimit = 100_000
    /// How many lines a scan reads between two looks at whether it is still wanted.
    static let cancelCheckInterval = 4_096

    /// Tells this search's answer from those of reads asked for before it.
    public var serial: Int
    public var stepID: String
    /// The log file.
    public var path: String
    public var query: String
    /// How many of the step's lines the console held in memory when it asked: the log's
    /// last lines, which it searched itself.
    public var windowLines: Int
    /// True when the lines in memory hold matches of their own: the file's matches among its
    /// last `windowLines` lines are then theirs, and left out. When they hold none, every
    /// match in the file is reported, held-back lines' included.
    public var excludesWindow: Bool

    public init(serial: Int, stepID: String, path: String, query: String, windowLines: Int, excludesWindow: Bool) {
        self.serial = serial
        self.stepID = stepID
        self.path = path
        self.query = query
        self.windowLines = windowLines
        self.excludesWindow = excludesWindow
    }

    /// Searches the file, then reads the lines around the last match it reports; nil when the
    /// file cannot be read or `isCancelled` said to stop. Blocks: the runner calls it off the
    /// console's thread.
    public func run(isCancelled: () -> Bool) -> LogFileSearchResult? {
        let matcher = LogLineMatcher(query: query)
        var matches: [Int] = []
        var matchCount = 0
        var cancelled = false
        let total = StepLogScanner(path: path).scan { line in
            if line.number % Self.cancelCheckInterval == 0 && isCancelled() {
                cancelled = true
                return false
            }
            if matcher.matches(line) {
                matchCount += 1
                matches.append(line.number)
                // Keep the numbers nearest the end, dropping the oldest in batches.
                if matches.count >= 2 * Self.matchLimit { matches.removeFirst(matches.count - Self.matchLimit) }
            }
            return true
        }
        guard let total, !cancelled else { return nil }
        let windowStart = max(1, total - windowLines + 1)
        if excludesWindow {
            let inWindow = matches.reversed().prefix { $0 >= windowStart }.count
            matches.removeLast(inWindow)
            matchCount -= inWindow
        }
        if matches.count > Self.matchLimit { matches.removeFirst(matches.count - Self.matchLimit) }
        var excerpt: LogExcerpt?
        if let last = matches.last {
            excerpt = LogExcerptRequest(serial: serial, stepID: stepID, path: path, line: last).run(isCancelled: isCancelled)
            if excerpt == nil { return nil }
        }
        return LogFileSearchResult(totalLines: total, windowStart: windowStart, matches: matches, matchCount: matchCount, excerpt: excerpt)
    }
}
