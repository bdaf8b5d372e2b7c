import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The kernel's notices of changes to files and folders (inotify), so that a follower sleeps
/// in `poll(2)` until something it reads changes, instead of looking again and again.
///
/// Poll `descriptor` for input, then call `notices()`. Watches are by path, added once each;
/// a folder's watch also reports the names created, moved or removed in it. `baton logs -f`
/// and `RunsWatcher` (`baton top`) both watch through it. Use it from one thread.
package final class FileWatch {
    /// Why the kernel would not watch.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
        /// The system's error number.
        package var code: Int32
    }

    /// One change: the watched path, the name in it (for a folder's watch) and what happened
    /// (`IN_MODIFY`, `IN_CREATE`…).
    package struct Notice {
        /// The watched path; empty for the kernel's notice that its queue overflowed.
        package var path: String
        package var name: String
        package var mask: UInt32

        package func has(_ flag: Int32) -> Bool { mask & UInt32(flag) != 0 }
    }

    /// The inotify descriptor: readable when notices are waiting.
    package let descriptor: Int32
    private var pathByWatch: [Int32: String] = [:]
    private var watchedPaths: Set<String> = []

    package init() throws(Failure) {
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else {
            let code = errno
            throw Failure(description: Self.explain(code, "cannot watch files"), code: code)
        }
    }

    deinit { close(descriptor) }

    /// Watches `path` for `events`; false while there is nothing at `path`. A path already
    /// watched is left as it is.
    @discardableResult
    package func add(_ path: String, events: UInt32) throws(Failure) -> Bool {
        guard !watchedPaths.contains(path) else { return true }
        let watch = inotify_add_watch(descriptor, path, events)
        guard watch >= 0 else {
            let code = errno
            if code == ENOENT { return false }
            throw Failure(description: Self.explain(code, "cannot watch \(path)"), code: code)
        }
        pathByWatch[watch] = path
        watchedPaths.insert(path)
        return true
    }

    /// Stops watching `path`; its notices already queued are not reported.
    package func remove(_ path: String) {
        guard let watch = pathByWatch.first(where: { $0.value == path })?.key else { return }
        inotify_rm_watch(descriptor, watch)
        pathByWatch[watch] = nil
        watchedPaths.remove(path)
    }

    /// Stops watching everything.
    package func removeAll() {
        for watch in pathByWatch.keys { inotify_rm_watch(descriptor, watch) }
        pathByWatch = [:]
        watchedPaths = []
    }

    /// Whether `path` is watched now.
    package func watches(_ path: String) -> Bool { watchedPaths.contains(path) }

    /// The notices waiting, oldest first; none when there are none (it never blocks).
    package func notices() -> [Notice] {
        var found: [Notice] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return found }
            buffer.withUnsafeBytes { raw in
                var offset = 0
                let header = MemoryLayout<inotify_event>.size
                while offset + header <= count {
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let nameBytes = raw[(offset + header)..<(offset + header + Int(event.len))]
                    let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                    if let path = pathByWatch[event.wd] {
                        found.append(Notice(path: path, name: name, mask: event.mask))
                        // The kernel dropped the watch (its file is gone): forget it.
                        if event.mask & UInt32(IN_IGNORED) != 0 {
                            pathByWatch[event.wd] = nil
                            watchedPaths.remove(path)
                        }
                    } else if event.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                        found.append(Notice(path: "", name: "", mask: event.mask))
                    }
                    offset += header + Int(event.len)
                }
            }
        }
    }

    /// The system's reason, with what to do about the limits a busy machine reaches.
    package static func explain(_ code: Int32, _ what: String) -> String {
        let reason = String(cString: strerror(code))
        switch code {
        case EMFILE: return "\(what): \(reason) (too many inotify instances: see fs.inotify.max_user_instances)"
        case ENOSPC: return "\(what): \(reason) (too many inotify watches: see fs.inotify.max_user_watches)"
        default: return "\(what): \(reason)"
        }
    }
}
