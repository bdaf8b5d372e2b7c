import Foundation
import Synchronization

/// The exclusive lock on a run's journal: whoever holds it is the one Baton process writing the run.
///
/// `baton resume` takes it before it reads or repairs the journal and hands it to the
/// `JournalWriter`, so two resumes of one run cannot both get past their checks: the second
/// is refused at once, with the same answer whatever the timing. The kernel drops the lock
/// when the process ends, however it ends. A lock nobody took over is released when it is freed.
public final class JournalLock: Sendable {
    public let path: String
    private let descriptor: Mutex<Int32>

    /// Opens (creating if needed) the journal at `path` for appending and locks it.
    public init(path: String) throws(JournalError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw JournalError(path: path, message: "cannot open for writing: \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            Foundation.close(fd)
            if code == EWOULDBLOCK {
                throw JournalError(path: path, message: Self.heldElsewhere)
            }
            throw JournalError(path: path, message: "cannot lock: \(String(cString: strerror(code)))")
        }
        self.path = path
        self.descriptor = Mutex(fd)
    }

    /// What a lock held by another process is reported as.
    public static let heldElsewhere = "another Baton process is writing this run"

    /// Hands the locked descriptor over to its new owner, once; nil if it was already taken.
    func take() -> Int32? {
        descriptor.withLock { fd in
            defer { fd = -1 }
            return fd >= 0 ? fd : nil
        }
    }

    deinit {
        let fd = descriptor.withLock { $0 }
        if fd >= 0 {
            _ = flock(fd, LOCK_UN)
            Foundation.close(fd)
        }
    }
}
