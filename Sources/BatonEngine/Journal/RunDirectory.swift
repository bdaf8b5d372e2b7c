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
    public func readJournal() throws(JournalError) -> JournalReader.Contents {
        try JournalReader.read(path: eventsPath)
    }
}
