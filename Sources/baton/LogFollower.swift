import BatonEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Follows a step's log while the step writes it (`baton logs -f`): prints what the log holds,
/// then sleeps in `poll(2)` until something changes, and prints what was added.
///
/// Nothing is looked at on a timer. The kernel's notices (inotify) of changes to the log, its
/// index, the logs folder (where the log appears), the run's journal and the run's folder
/// wake it, and so does the connection it keeps to the run's host (`host.sock`): the host
/// closes it when the run's session ends, and the kernel when its Baton dies. Where no host
/// answers (it is not up yet, or the socket is not open to this user) the journal's lock says
/// whether a Baton still writes the run, and a Baton closing the journal wakes the follower.
///
/// It stops, once it printed everything the log holds:
/// - when the step succeeded, was skipped or was rolled back, and the log holds the line that
///   closes its last attempt (Baton writes it just after the step's event);
/// - when the run finished, with the log's last attempt closed;
/// - when no Baton serves the run any more (it ended, or died).
/// A step that failed or was cancelled is followed on while the run is live: an operator may
/// still retry it, and the new attempt's output goes to the same log.
final class LogFollower {
    /// Why following stopped.
    enum Ending {
        case stepEnded
        case runFinished
        /// No Baton serves the run any more, and it has not finished.
        case runGone
    }

    /// Why following cannot go on: a log or journal that was truncated or removed, a watch
    /// the kernel refused, a stdout that takes no more.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// States in which a step's log gets nothing more unless an operator acts on the
    /// finished run (a rollback, a retry after a rollback).
    static let endStates: Set<StepState> = [.succeeded, .skipped, .rolledBack]

    /// How long to wait, once, before asking the journal's lock again after a Baton closed the
    /// journal and the lock was still held: the kernel reports the close just before it
    /// releases the lock of a process that is exiting.
    private static let lockRecheck = 200

    private let run: RunDirectory
    private let stepID: String
    private var journal: JournalFollower
    private let cursor: StepLogCursor
    private let printer: LogPrinter
    private let watch: FileWatch
    /// The connection to the run's host, kept open only to learn when the host goes.
    private var host: HostConnection?
    /// Whether a Baton holds the journal's lock: what tells a live run when no host answers.
    private var writerHoldsJournal = false
    private var lockRecheckDue: ContinuousClock.Instant?
    /// Whether the log's last marker opens an attempt or rollback that has not closed yet.
    private var attemptOpen = false

    init(run: RunDirectory, stepID: String, journal: JournalFollower, cursor: StepLogCursor, printer: LogPrinter) throws(Failure) {
        self.run = run
        self.stepID = stepID
        self.journal = journal
        self.cursor = cursor
        self.printer = printer
        do {
            watch = try FileWatch()
        } catch {
            throw Failure(description: error.description)
        }
    }

    /// Prints the log and what is added to it until the step or the run ends (see the type's
    /// notes); the tail, if one was asked for, is taken from what the log holds at first.
    func follow() throws(Failure) -> Ending {
        // Watch first, then read: whatever is written after the reads wakes the loop.
        try addWatches()
        try readJournal()
        try drain()
        printer.endTail()
        try flush()
        connectHost()
        while true {
            try readJournal()
            try drain()
            try flush()
            if let ending = decide() {
                try finishLog()
                return ending
            }
            try wait()
        }
    }

    /// Whether to stop, and why; nil to go on following.
    private func decide() -> Ending? {
        let state = journal.state
        guard host != nil || writerHoldsJournal else { return state.isFinished ? .runFinished : .runGone }
        guard !attemptOpen else { return nil }
        if state.isFinished { return .runFinished }
        if let record = state[stepID], Self.endStates.contains(record.state) { return .stepEnded }
        return nil
    }

    /// Sleeps until a notice, the host's end or a due recheck of the journal's lock.
    private func wait() throws(Failure) {
        var descriptors = [pollfd(fd: watch.descriptor, events: Int16(POLLIN), revents: 0)]
        if let host { descriptors.append(pollfd(fd: host.descriptor, events: Int16(POLLIN), revents: 0)) }
        var timeout: Int32 = -1
        if let due = lockRecheckDue {
            let left = ContinuousClock.now.duration(to: due)
            timeout = Int32(max(0, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
        }
        let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
        if ready < 0 && errno != EINTR {
            throw Failure(description: "cannot wait for the log: \(String(cString: strerror(errno)))")
        }
        if let due = lockRecheckDue, ContinuousClock.now >= due {
            lockRecheckDue = nil
            writerHoldsJournal = run.isBeingWritten
        }
        if descriptors.count > 1, descriptors[1].revents != 0 { checkHost() }
        if descriptors[0].revents != 0 { try takeNotices() }
    }

    /// Acts on the kernel's notices: new files to watch, a host to reach, a journal closed.
    private func takeNotices() throws(Failure) {
        for notice in watch.notices() {
            if notice.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                // The kernel dropped notices: look at what they would have said.
                connectHost()
                if host == nil { writerHoldsJournal = run.isBeingWritten }
            }
            if notice.path == run.path && notice.name == RunHost.socketName { connectHost() }
            if notice.path == run.eventsPath && notice.mask & UInt32(IN_CLOSE_WRITE) != 0 && host == nil {
                // A Baton closed the journal: the run's, when it ended or died, or one that
                // only tried the lock (a refused `baton resume`).
                writerHoldsJournal = run.isBeingWritten
                if writerHoldsJournal {
                    lockRecheckDue = ContinuousClock.now + .milliseconds(Self.lockRecheck)
                }
            }
        }
        try addWatches()
    }

    /// Watches the run's folder, journal and logs folder, and the log and its index once they exist.
    private func addWatches() throws(Failure) {
        do {
            try watch.add(run.path, events: UInt32(IN_CREATE | IN_MOVED_TO | IN_ATTRIB))
            try watch.add(run.eventsPath, events: UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB))
            if try watch.add(run.logsPath, events: UInt32(IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM)) {
                try watch.add(cursor.path, events: UInt32(IN_MODIFY | IN_ATTRIB))
                try watch.add(StepLogStore.indexPath(forLog: cursor.path), events: UInt32(IN_MODIFY | IN_ATTRIB))
            }
        } catch {
            throw Failure(description: error.description)
        }
    }

    /// Connects to the run's host, if none is connected; without one, asks the journal's lock.
    private func connectHost() {
        guard host == nil else { return }
        host = try? HostConnection(path: run.hostSocketPath)
        if host == nil { writerHoldsJournal = run.isBeingWritten }
    }

    /// Reads from the host's connection; its end means the host, and so the run's session, went.
    private func checkHost() {
        guard let host else { return }
        var scratch = [UInt8](repeating: 0, count: 4096)
        let count = read(host.descriptor, &scratch, scratch.count)
        if count < 0 && (errno == EINTR || errno == EAGAIN) { return }
        guard count <= 0 else { return }
        self.host = nil
        // The host stops only as its Baton leaves the run, after the last event and log line.
        writerHoldsJournal = false
    }

    private func readJournal() throws(Failure) {
        journal.catchUp()
        if let problem = journal.problem { throw Failure(description: problem) }
        if !journal.exists { throw Failure(description: "\(journal.path) was removed") }
    }

    /// Hands the printer every chunk the index lists that it has not had.
    private func drain() throws(Failure) {
        do {
            try cursor.read(take)
        } catch {
            throw Failure(description: error.description)
        }
    }

    /// Hands the printer the rest of the log, indexed or not: nothing more will be written.
    private func finishLog() throws(Failure) {
        do {
            try cursor.finish(take)
        } catch {
            throw Failure(description: error.description)
        }
        printer.endTail()
        try flush()
    }

    private func take(_ piece: StepLogCursor.Piece) {
        if piece.stream == .baton {
            for line in piece.bytes.split(separator: 0x0A) {
                let text = String(decoding: line, as: UTF8.self)
                if AttemptMarker.isMarker(text) { attemptOpen = AttemptMarker.isOpening(text) }
            }
        }
        printer.take(piece)
    }

    private func flush() throws(Failure) {
        do {
            try printer.flush()
        } catch {
            throw Failure(description: error.description)
        }
    }
}
