import BatonEngine

/// A read of the lines around one line of a step's log file: the effect `update` asks for to
/// show a match that only the file holds, and the work the runner does for it.
public struct LogExcerptRequest: Sendable, Hashable {
    /// Tells this read's answer from those of reads asked for before it.
    public var serial: Int
    public var stepID: String
    /// The log file.
    public var path: String
    /// The line to read around, numbered from 1 as `StepLogScanner` numbers them.
    public var line: Int

    public init(serial: Int, stepID: String, path: String, line: Int) {
        self.serial = serial
        self.stepID = stepID
        self.path = path
        self.line = line
    }

    /// Reads the file up to `LogExcerpt.radius` lines past `line`; nil when it cannot be
    /// read or `isCancelled` said to stop. Blocks: the runner calls it off the console's thread.
    public func run(isCancelled: () -> Bool) -> LogExcerpt? {
        let first = max(1, line - LogExcerpt.radius)
        let last = line + LogExcerpt.radius
        var lines: [OutputLine] = []
        var cancelled = false
        let scanned = StepLogScanner(path: path).scan { scanned in
            if scanned.number % LogFileSearch.cancelCheckInterval == 0 && isCancelled() {
                cancelled = true
                return false
            }
            if scanned.number >= first { lines.append(StepLog.visible(scanned.outputLine(stepID: stepID))) }
            return scanned.number < last
        }
        guard let scanned, !cancelled else { return nil }
        return LogExcerpt(stepID: stepID, firstLine: first, lines: lines, focus: line, reachesEnd: scanned < last)
    }
}
