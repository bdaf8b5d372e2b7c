import Foundation

/// Follows a run's journal as it grows: each `catchUp()` reads only the bytes appended since
/// the last one and folds their events into `state`, so a screen that watches many runs for
/// days never reads or folds a journal twice.
///
/// Only whole lines are folded; an unfinished last line (a write under way, or a crash's torn
/// line) is read again next time, as `JournalReader` would ignore it. A journal that was cut
/// shorter than what was folded, or replaced by another file, is folded again from its start.
/// A damaged line or an event that does not fit the state stops the follower with `problem`
/// set, until the file is cut or replaced. Nothing here blocks: a pipe or a device in the
/// journal's place is a problem, not a hang.
public struct JournalFollower: Sendable {
    /// The journal's path (`RunDirectory.eventsPath`).
    public let path: String
    /// The fold of every whole line read so far.
    public private(set) var state = RunState()
    /// Why the journal cannot be followed: unreadable, not a file, a damaged line, an event that
    /// does not fit. Nil while all is well, and while the file does not exist yet.
    public private(set) var problem: String?
    /// Whether the journal file existed at the last look.
    public private(set) var exists = false
    /// How many bytes of whole lines have been folded.
    public private(set) var offset: Int64 = 0
    /// Lines folded so far, for the line numbers of problems.
    private var lines = 0
    /// The file's device and inode, to notice a journal replaced by another file.
    private var identity: FileIdentity?

    /// The longest line the follower keeps waiting on: past it, the line is a problem rather than
    /// a write under way (the engine writes whole lines, of a few KiB at most).
    public static let longestLine = 16 << 20

    private struct FileIdentity: Sendable, Hashable {
        var device: UInt64
        var inode: UInt64
    }

    public init(path: String) {
        self.path = path
    }

    /// Reads what was appended since the last call and folds it. Returns whether anything a
    /// reader sees changed: the state, the problem, or whether the file exists.
    @discardableResult
    public mutating func catchUp() -> Bool {
        let before = (state.lastSeq, problem, exists)
        read()
        return before != (state.lastSeq, problem, exists)
    }

    private mutating func read() {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT {
                if exists || problem != nil { restart() }
                exists = false
                problem = nil
            } else {
                exists = true
                problem = "cannot read the journal: \(String(cString: strerror(code)))"
            }
            return
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            problem = "cannot read the journal: \(String(cString: strerror(errno)))"
            return
        }
        exists = true
        guard info.st_mode & S_IFMT == S_IFREG else {
            restart()
            problem = "the journal is not a regular file"
            return
        }
        let identity = FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        // Cut back (a resume cutting a torn line is never cut below a whole line), or replaced.
        if identity != self.identity || Int64(info.st_size) < offset {
            restart()
            self.identity = identity
        }
        guard problem == nil else { return }
        foldAppended(fd)
    }

    /// Forgets everything read, so the next read folds the journal from its start.
    private mutating func restart() {
        state = RunState()
        problem = nil
        offset = 0
        lines = 0
        identity = nil
    }

    /// Reads from `offset` to the end of the file and folds each whole line.
    private mutating func foldAppended(_ fd: Int32) {
        let decoder = JSONDecoder()
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var position = offset
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(position)) }
            if count < 0 {
                if errno == EINTR { continue }
                problem = "cannot read the journal: \(String(cString: strerror(errno)))"
                return
            }
            if count == 0 { break }
            position += Int64(count)
            var start = 0
            for index in 0..<count where chunk[index] == 0x0A {
                pending.append(contentsOf: chunk[start..<index])
                start = index + 1
                lines += 1
                let consumed = Int64(pending.count + 1)
                guard fold(pending, decoder: decoder) else { return }
                offset += consumed
                pending.removeAll(keepingCapacity: true)
            }
            pending.append(contentsOf: chunk[start..<count])
            if pending.count > Self.longestLine {
                problem = "journal line \(lines + 1) is longer than \(Self.longestLine >> 20) MiB"
                return
            }
        }
    }

    /// Folds one whole line (an empty one is skipped, as `JournalReader` skips it); false, with
    /// `problem` set, when it is not an event or does not fit.
    private mutating func fold(_ line: [UInt8], decoder: JSONDecoder) -> Bool {
        guard !line.isEmpty else { return true }
        let event: RunEvent
        do {
            event = try decoder.decode(RunEvent.self, from: Data(line))
        } catch {
            problem = "journal line \(lines) is not a valid event"
            return false
        }
        do {
            try state.apply(event)
        } catch {
            problem = "journal line \(lines): \(error)"
            return false
        }
        return true
    }
}
