import Foundation

/// Watches a state directory's runs with inotify, without polling: run directories that
/// appear or go, appends to their journals, and their hosts' sockets coming and going.
///
/// `descriptor` becomes readable when something changed; `drain()` then says what. One watch
/// covers the runs folder (or, while it does not exist, the nearest folder above it, so that
/// its creation is seen), and one each run directory: the journal and `host.sock` are files in
/// it, and the logs, a folder below it, are not watched at all. Use it from one thread.
public final class RunsWatcher {
    public let stateDirectory: StateDirectory
    /// The inotify descriptor to poll (non-blocking, close-on-exec).
    public var descriptor: Int32 { watch.descriptor }
    private let watch: FileWatch
    /// The runs folder, or the folder above it that exists, as watched.
    private var folderPath: String?
    /// What the next missing folder on the way to the runs folder is called, while an ancestor is watched.
    private var awaitedName: String?
    /// The watched run directories, by path.
    private var runByPath: [String: String] = [:]
    /// Runs that could not be watched, with the reason (the watch limit, a folder not open to this user).
    public private(set) var unwatched: [String: String] = [:]
    /// Why the runs folder itself is not watched, or nil.
    public private(set) var folderProblem: String?

    private static let runMask = UInt32(
        IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF
            | IN_ONLYDIR)
    private static let runsFolderMask = UInt32(
        IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
    private static let ancestorMask = UInt32(IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

    /// The file names in a run directory that matter here.
    private static let journalName = "events.jsonl"

    /// Opens an inotify instance; nothing is watched until `rescan()`.
    public init(stateDirectory: StateDirectory) throws(RunsWatchError) {
        self.stateDirectory = stateDirectory
        do {
            watch = try FileWatch()
        } catch {
            throw RunsWatchError("cannot watch \(stateDirectory.runsPath): \(error.description)")
        }
    }

    /// Whether the runs folder exists and is watched.
    public var watchesRunsFolder: Bool { folderPath == stateDirectory.runsPath }

    /// Watches everything afresh: the runs folder (or the folder above it that exists) and every
    /// run directory in it. Returns the names of the run directories there now, sorted.
    ///
    /// Watches are set before anything is read, so a change made while the caller reads the
    /// runs comes as an event: nothing is missed between the two.
    public func rescan() -> [String] {
        watch.removeAll()
        folderPath = nil
        awaitedName = nil
        runByPath = [:]
        unwatched = [:]
        folderProblem = nil
        guard watchFolder() else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: stateDirectory.runsPath)) ?? []
        var runs: [String] = []
        for name in names.sorted() where isDirectory("\(stateDirectory.runsPath)/\(name)") {
            watchRun(name)
            runs.append(name)
        }
        return runs
    }

    /// Watches the runs folder, or the nearest folder above it that exists; true when it is
    /// the runs folder.
    private func watchFolder() -> Bool {
        let target = stateDirectory.runsPath
        // Folders may be made while this walks up: start again from the top when one appears.
        for _ in 0..<64 {
            var path = target
            var child: String?
            while !isDirectory(path) {
                child = (path as NSString).lastPathComponent
                let parent = (path as NSString).deletingLastPathComponent
                guard parent != path, !parent.isEmpty else { break }
                path = parent
            }
            do {
                guard try watch.add(path, events: path == target ? Self.runsFolderMask : Self.ancestorMask) else { continue }
            } catch {
                folderProblem = error.description
                return false
            }
            folderPath = path
            awaitedName = path == target ? nil : child
            if path == target { return true }
            // Made between the look and the watch? Then walk again.
            guard let child, isDirectory("\(path)/\(child)") else { return false }
            watch.remove(path)
            folderPath = nil
        }
        return false
    }

    private func watchRun(_ name: String) {
        let path = "\(stateDirectory.runsPath)/\(name)"
        do {
            guard try watch.add(path, events: Self.runMask) else { return }
        } catch {
            unwatched[name] = error.description
            return
        }
        unwatched[name] = nil
        runByPath[path] = name
    }

    private func forgetRun(_ name: String) {
        let path = "\(stateDirectory.runsPath)/\(name)"
        guard runByPath.removeValue(forKey: path) != nil else { return }
        watch.remove(path)
    }

    /// Reads every event queued, without blocking, and says what they mean.
    public func drain() -> RunsChanges {
        var changes = RunsChanges()
        for notice in watch.notices() { take(notice, into: &changes) }
        return changes
    }

    private func take(_ notice: FileWatch.Notice, into changes: inout RunsChanges) {
        let name = notice.name
        if notice.has(IN_Q_OVERFLOW) {
            changes.rescan = true
            return
        }
        if let folderPath, notice.path == folderPath {
            if notice.has(IN_DELETE_SELF) || notice.has(IN_MOVE_SELF) || notice.has(IN_IGNORED) {
                changes.rescan = true
                self.folderPath = nil
                return
            }
            guard watchesRunsFolder else {
                // An ancestor: only the folder on the way to the runs folder matters.
                if name == awaitedName { changes.rescan = true }
                return
            }
            guard notice.has(IN_ISDIR) else { return }
            if notice.has(IN_CREATE) || notice.has(IN_MOVED_TO) {
                forgetRun(name)
                watchRun(name)
                changes.added.insert(name)
                changes.removed.remove(name)
            } else if notice.has(IN_DELETE) || notice.has(IN_MOVED_FROM) {
                forgetRun(name)
                unwatched[name] = nil
                changes.removed.insert(name)
            }
            return
        }
        guard let run = runByPath[notice.path] else { return }
        if notice.has(IN_IGNORED) {
            // The directory is gone (or unmounted); the runs folder's event says which.
            runByPath[notice.path] = nil
            return
        }
        if notice.has(IN_DELETE_SELF) || notice.has(IN_MOVE_SELF) {
            changes.removed.insert(run)
            return
        }
        if name == Self.journalName {
            changes.journals.insert(run)
            if notice.has(IN_CLOSE_WRITE) || notice.has(IN_DELETE) || notice.has(IN_MOVED_FROM) { changes.hosts.insert(run) }
        } else if name == RunHost.socketName {
            changes.hosts.insert(run)
        }
    }

    private func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }
}
