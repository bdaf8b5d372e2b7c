import Foundation

/// The files of one run: `workflow.yaml`, `events.jsonl` and `logs/<step>.log`.
public struct RunDirectory: Sendable, Hashable {
    public var path: String

    public init(path: String) { self.path = path }

    public var workflowPath: String { "\(path)/workflow.yaml" }
    public var eventsPath: String { "\(path)/events.jsonl" }
    public var logsPath: String { "\(path)/logs" }
    /// Where steps' `$BATON_OUTPUT` files go.
    public var outputsPath: String { "\(path)/outputs" }

    /// The id of the run: the directory's name.
    public var runID: String { (path as NSString).lastPathComponent }

    /// Creates the directory tree and stores the definition as run.
    public func create(workflowText: String) throws(JournalError) {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: logsPath, withIntermediateDirectories: true)
            try manager.createDirectory(atPath: outputsPath, withIntermediateDirectories: true)
        } catch {
            throw JournalError(path: path, message: "cannot create the run directory: \(error.localizedDescription)")
        }
        guard manager.createFile(atPath: workflowPath, contents: Data(workflowText.utf8)) else {
            throw JournalError(path: workflowPath, message: "cannot write the workflow copy")
        }
    }

    /// Whether a Baton process is writing this run's journal right now (it holds the lock
    /// `JournalWriter` takes). False for a finished run and for one whose process died.
    public var isBeingWritten: Bool {
        let fd = open(eventsPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            _ = flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    /// Cuts off a torn last line (a crash in the middle of a write), so that appending to the
    /// journal starts on a line of its own. Returns whether anything was cut.
    @discardableResult
    public func repairTornTail() throws(JournalError) -> Bool {
        let fd = open(eventsPath, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw JournalError(path: eventsPath, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return false }
        // Walk back to the last newline, a block at a time.
        var keep: off_t = 0
        var byte = [UInt8](repeating: 0, count: 4096)
        search: while size > 0 {
            let start = max(0, size - off_t(byte.count))
            let count = pread(fd, &byte, Int(size - start), start)
            guard count > 0 else { break }
            for offset in stride(from: count - 1, through: 0, by: -1) where byte[offset] == 0x0A {
                keep = start + off_t(offset) + 1
                break search
            }
            size = start
        }
        let end = lseek(fd, 0, SEEK_END)
        guard keep < end else { return false }
        guard ftruncate(fd, keep) == 0 else {
            throw JournalError(path: eventsPath, message: "cannot cut the torn last line: \(String(cString: strerror(errno)))")
        }
        return true
    }

    /// Reads the run's journal.
    public func readJournal() throws(JournalError) -> JournalReader.Contents {
        try JournalReader.read(path: eventsPath)
    }
}
