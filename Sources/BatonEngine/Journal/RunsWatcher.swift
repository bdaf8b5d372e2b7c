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
    public let descriptor: Int32
    /// The watch on the runs folder, or on the folder above it that exists.
    private var folderWatch: (descriptor: Int32, path: String)?
    /// What the next missing folder on the way to the runs folder is called, while an ancestor is watched.
    private var awaitedName: String?
    private var runByWatch: [Int32: String] = [:]
    private var watchByRun: [String: Int32] = [:]
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
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else {
            let code = errno
            let hint = code == EMFILE ? " (the limit is fs.inotify.max_user_instances)" : ""
            throw RunsWatchError("cannot watch \(stateDirectory.runsPath): inotify_init1: \(String(cString: strerror(code)))\(hint)")
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Whether the runs folder exists and is watched.
    public var watchesRunsFolder: Bool { folderWatch?.path == stateDirectory.runsPath }

    /// Watches everything afresh: the runs folder (or the folder above it that exists) and every
    /// run directory in it. Returns the names of the run directories there now, sorted.
    ///
    /// Watches are set before anything is read, so a change made while the caller reads the
    /// runs comes as an event: nothing is missed between the two.
    public func rescan() -> [String] {
        if let folderWatch { inotify_rm_watch(descriptor, folderWatch.descriptor) }
        for watch in runByWatch.keys { inotify_rm_watch(descriptor, watch) }
        folderWatch = nil
        awaitedName = nil
        runByWatch = [:]
        watchByRun = [:]
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
            let wd = inotify_add_watch(descriptor, path, path == target ? Self.runsFolderMask : Self.ancestorMask)
            guard wd >= 0 else {
                folderProblem = "cannot watch \(path): \(Self.explain(errno))"
                return false
            }
            folderWatch = (wd, path)
            awaitedName = path == target ? nil : child
            if path == target { return true }
            // Made between the look and the watch? Then walk again.
            guard let child, isDirectory("\(path)/\(child)") else { return false }
            inotify_rm_watch(descriptor, wd)
            folderWatch = nil
        }
        return false
    }

    private func watchRun(_ name: String) {
        let wd = inotify_add_watch(descriptor, "\(stateDirectory.runsPath)/\(name)", Self.runMask)
        guard wd >= 0 else {
            unwatched[name] = Self.explain(errno)
            return
        }
        unwatched[name] = nil
        runByWatch[wd] = name
        watchByRun[name] = wd
    }

    private func forgetRun(_ name: String) {
        guard let wd = watchByRun.removeValue(forKey: name) else { return }
        runByWatch[wd] = nil
        inotify_rm_watch(descriptor, wd)
    }

    /// Reads every event queued, without blocking, and says what they mean.
    public func drain() -> RunsChanges {
        var changes = RunsChanges()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            var offset = 0
            while offset + 16 <= count {
                let (wd, mask, nameLength) = buffer.withUnsafeBytes { raw in
                    (raw.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                     raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                     Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
                }
                let nameBytes = buffer[(offset + 16)..<min(count, offset + 16 + nameLength)].prefix { $0 != 0 }
                let name = String(decoding: nameBytes, as: UTF8.self)
                offset += 16 + nameLength
                take(wd: wd, mask: mask, name: name, into: &changes)
            }
        }
        return changes
    }

    private func take(wd: Int32, mask: UInt32, name: String, into changes: inout RunsChanges) {
        func has(_ flag: Int32) -> Bool { mask & UInt32(flag) != 0 }
        if has(IN_Q_OVERFLOW) {
            changes.rescan = true
            return
        }
        if let folderWatch, wd == folderWatch.descriptor {
            if has(IN_DELETE_SELF) || has(IN_MOVE_SELF) || has(IN_IGNORED) {
                changes.rescan = true
                self.folderWatch = nil
                return
            }
            guard watchesRunsFolder else {
                // An ancestor: only the folder on the way to the runs folder matters.
                if name == awaitedName { changes.rescan = true }
                return
            }
            guard has(IN_ISDIR) else { return }
            if has(IN_CREATE) || has(IN_MOVED_TO) {
                forgetRun(name)
                watchRun(name)
                changes.added.insert(name)
                changes.removed.remove(name)
            } else if has(IN_DELETE) || has(IN_MOVED_FROM) {
                forgetRun(name)
                unwatched[name] = nil
                changes.removed.insert(name)
            }
            return
        }
        guard let run = runByWatch[wd] else { return }
        if has(IN_IGNORED) {
            // The directory is gone (or unmounted); the runs folder's event says which.
            runByWatch[wd] = nil
            if watchByRun[run] == wd { watchByRun[run] = nil }
            return
        }
        if has(IN_DELETE_SELF) || has(IN_MOVE_SELF) {
            changes.removed.insert(run)
            return
        }
        if name == Self.journalName {
            changes.journals.insert(run)
            if has(IN_CLOSE_WRITE) || has(IN_DELETE) || has(IN_MOVED_FROM) { changes.hosts.insert(run) }
        } else if name == RunHost.socketName {
            changes.hosts.insert(run)
        }
    }

    private func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    private static func explain(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return code == ENOSPC ? "\(text) (the inotify watch limit, fs.inotify.max_user_watches, is reached)" : text
    }
}
