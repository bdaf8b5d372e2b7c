import Foundation

/// The files of one run: `workflow.yaml` (and `uses/`, the files it calls and its inventory
/// file), `events.jsonl`, `logs/<step>.log` and `notifications.log`.
public struct RunDirectory: Sendable, Hashable {
    public var path: String

    public init(path: String) { self.path = path }

    public var workflowPath: String { "\(path)/workflow.yaml" }
    public var eventsPath: String { "\(path)/events.jsonl" }
    public var logsPath: String { "\(path)/logs" }
    /// What the workflow's `notify:` commands were given and answered (`RunNotifier`).
    public var notificationsLogPath: String { "\(path)/notifications.log" }
    /// Where steps' `$BATON_OUTPUT` files go.
    public var outputsPath: String { "\(path)/outputs" }
    /// The socket at which the Baton running the run serves operators (`RunHost`).
    public var hostSocketPath: String { "\(path)/\(RunHost.socketName)" }

    /// The id of the run: the directory's name.
    public var runID: String { (path as NSString).lastPathComponent }

    /// Where the copies of the workflow files the run calls (`uses:`) and of its inventory file
    /// (`--inventory`) are kept, with their index, `manifest.json`.
    public var calledFilesPath: String { "\(path)/uses" }
    var calledFilesManifestPath: String { "\(calledFilesPath)/manifest.json" }

    /// Creates the directory tree and stores the definition as run: its own file's text, and
    /// under `uses/` the texts of the files it calls and of its inventory file, if any, and the
    /// folder its `ssh_config:` is found from.
    package func create(workflowText: String, calledFiles: CalledFiles = CalledFiles()) throws(JournalError) {
        let manager = FileManager.default
        let storesMore = !calledFiles.isEmpty || calledFiles.folder != nil
        do {
            try manager.createDirectory(atPath: logsPath, withIntermediateDirectories: true)
            try manager.createDirectory(atPath: outputsPath, withIntermediateDirectories: true)
            if storesMore { try manager.createDirectory(atPath: calledFilesPath, withIntermediateDirectories: true) }
        } catch {
            throw JournalError(path: path, message: "cannot create the run directory: \(error.localizedDescription)")
        }
        guard manager.createFile(atPath: workflowPath, contents: Data(workflowText.utf8)) else {
            throw JournalError(path: workflowPath, message: "cannot write the workflow copy")
        }
        guard storesMore else { return }
        var entries: [CalledFileManifest.Entry] = []
        for (number, file) in calledFiles.files.enumerated() {
            let name = CalledFileManifest.storedName(of: file.path, number: number + 1)
            let stored = "\(calledFilesPath)/\(name)"
            guard manager.createFile(atPath: stored, contents: Data(file.text.utf8)) else {
                let what = file.isInventory ? "inventory file" : "called workflow"
                throw JournalError(path: stored, message: "cannot write the copy of the \(what) \(file.path)")
            }
            entries.append(CalledFileManifest.Entry(path: file.path, file: name, inventory: file.isInventory ? true : nil))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let index = CalledFileManifest(main: calledFiles.main, files: entries, folder: calledFiles.folder)
        guard let manifest = try? encoder.encode(index),
              manager.createFile(atPath: calledFilesManifestPath, contents: manifest) else {
            throw JournalError(path: calledFilesManifestPath, message: "cannot write the index of the called workflows")
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

    /// Makes the journal end with a whole line, so that appending to it starts on a line of
    /// its own: a torn last line (a crash in the middle of a write) is cut off, and a last line
    /// that is a whole event missing only its newline gets the newline. Returns whether the
    /// file changed.
    @discardableResult
    public func repairTornTail() throws(JournalError) -> Bool {
        func failure(_ what: String) -> JournalError {
            JournalError(path: eventsPath, message: "\(what): \(String(cString: strerror(errno)))")
        }
        let fd = open(eventsPath, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw failure("cannot open") }
        defer { close(fd) }
        let end = lseek(fd, 0, SEEK_END)
        guard end >= 0 else { throw failure("cannot read") }
        guard end > 0 else { return false }
        // Walk back, a block at a time, to the byte after the last newline.
        var tailStart: off_t = 0
        var block = [UInt8](repeating: 0, count: 4096)
        var position = end
        search: while position > 0 {
            let start = max(0, position - off_t(block.count))
            let count = pread(fd, &block, Int(position - start), start)
            guard count == Int(position - start) else { throw failure("cannot read") }
            for offset in stride(from: count - 1, through: 0, by: -1) where block[offset] == 0x0A {
                tailStart = start + off_t(offset) + 1
                break search
            }
            position = start
        }
        guard tailStart < end else { return false }
        var tail = [UInt8](repeating: 0, count: Int(end - tailStart))
        guard pread(fd, &tail, tail.count, tailStart) == tail.count else { throw failure("cannot read") }
        if (try? JSONDecoder().decode(RunEvent.self, from: Data(tail))) != nil {
            var newline: UInt8 = 0x0A
            guard pwrite(fd, &newline, 1, end) == 1 else { throw failure("cannot end the last line") }
            return true
        }
        guard ftruncate(fd, tailStart) == 0 else { throw failure("cannot cut the torn last line") }
        return true
    }

    /// Reads the run's journal.
    public func readJournal() throws(JournalError) -> JournalReader.Contents {
        try JournalReader.read(path: eventsPath)
    }
}
