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

    /// Reads the run's journal.
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

    public func readJournal() throws(JournalError) -> JournalReader.Contents {
        try JournalReader.read(path: eventsPath)
    }
}
