import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a watched process ended.
enum ProcessExit: Sendable, Hashable {
    case exited(Int32)
    case signalled(Int32)
    /// Someone else reaped the process, so its status is unknown.
    case lost
}

/// One running step process: its exit descriptor, its two output pipes and their line
/// splitters, and what is known of its end. Output is delivered as it is read, in pieces of
/// whole lines (see `ProcessLineSplitter`), not line by line.
///
/// A watch ends when the shell has exited and both pipes reached end-of-file, or, if a
/// process the step left running in the background still holds a pipe open, a grace period
/// after the exit: what is already in the pipes is read, the rest is dropped, and the pipes
/// are closed. (ninja waits for end-of-file instead, so `sleep 100 &` holds a ninja build
/// for 100 s; a workflow step that starts a daemon should not.)
///
/// The shell stays an unreaped zombie until the watch ends, which keeps its process group id
/// reserved: until then engine signals still reach whatever is left of the group, and no
/// new process can be given that id. When the watch ends after a terminate or kill was
/// requested (or the task was cancelled), the rest of the group is killed: nothing of a
/// stopped step survives it. Otherwise background processes are left running, as a shell
/// would leave them.
///
/// One thread at a time uses a watch: first the caller (`waitBriefly`), then, if the
/// process is still going, the reactor thread it is handed to.
final class ProcessWatch: @unchecked Sendable {
    struct Pipe {
        var descriptor: Int32
        var stream: OutputLine.Stream
        var splitter = ProcessLineSplitter()
        var open = true
    }

    /// How long, in nanoseconds, the pipes are still read after the shell exited.
    struct Grace {
        /// After a normal exit.
        var normal: UInt64
        /// After a terminate or kill: time for what the step started to finish shutting down.
        var stopping: UInt64
    }

    let group: ProcessGroup
    private let exitDescriptor: Int32
    private let grace: Grace
    private var pipes: [Pipe]
    /// Whether the shell has exited (it is a zombie until the watch ends).
    private(set) var shellExited = false
    /// When to stop waiting for the pipes, once the shell has exited.
    private(set) var deadline: UInt64 = 0
    private let deliver: @Sendable (OutputLine.Stream, UnsafeRawBufferPointer) -> Void
    private let ending: @Sendable () -> Void
    /// How the shell ended, once the watch has ended.
    private(set) var exit: ProcessExit?
    /// Set when the watch is handed to the reactor; resumed when the watch ends.
    var continuation: CheckedContinuation<ProcessExit, Never>?
    var ended: Bool { exit != nil }

    /// - Parameters:
    ///   - deliver: called with each piece of output (whole lines, see `ProcessLineSplitter`),
    ///     on whichever thread is watching, then with no bytes when the stream has ended;
    ///     the bytes are valid only during the call.
    ///   - ending: called when the watch ends, before the shell is reaped; no signal is sent
    ///     to the group after it.
    ///   - keepWhole: texts an overlong line is not cut inside (see `ProcessLineSplitter`).
    init(
        process: SpawnedProcess, group: ProcessGroup, grace: Grace, keepWhole: [String] = [],
        deliver: @escaping @Sendable (OutputLine.Stream, UnsafeRawBufferPointer) -> Void,
        ending: @escaping @Sendable () -> Void
    ) {
        self.group = group
        self.exitDescriptor = process.exitDescriptor
        self.grace = grace
        let splitter = ProcessLineSplitter(keepWhole: keepWhole)
        self.pipes = [
            Pipe(descriptor: process.standardOutput, stream: .stdout, splitter: splitter),
            Pipe(descriptor: process.standardError, stream: .stderr, splitter: splitter),
        ]
        self.deliver = deliver
        self.ending = ending
        // A larger pipe lets a chatty step write on while the reactor is busy elsewhere, and
        // lets each read take more at once. The kernel may refuse (pipe-max-size): then the
        // default 64 KiB stays, which works, only with more wake-ups.
        for pipe in pipes { _ = fcntl(pipe.descriptor, Self.setPipeSize, Self.pipeBytes) }
    }

    /// Linux's F_SETPIPE_SZ, which Glibc's module does not export.
    private static let setPipeSize: Int32 = 1031
    private static let pipeBytes: Int32 = 1 << 20

    /// Which descriptor a poll entry stands for.
    enum Source {
        case exit
        case pipe(Int)
    }

    /// Appends a poll entry for every descriptor still worth waiting on.
    func addDescriptors(to descriptors: inout [pollfd], sources: inout [(ProcessWatch, Source)]) {
        if !shellExited {
            descriptors.append(pollfd(fd: exitDescriptor, events: Int16(POLLIN), revents: 0))
            sources.append((self, .exit))
        }
        for index in pipes.indices where pipes[index].open {
            descriptors.append(pollfd(fd: pipes[index].descriptor, events: Int16(POLLIN), revents: 0))
            sources.append((self, .pipe(index)))
        }
    }

    /// Handles a ready descriptor; ends the watch if that was the last thing it waited for.
    func handle(_ source: Source, buffer: UnsafeMutableRawBufferPointer) {
        guard !ended else { return }
        switch source {
        case .exit: checkShellExited()
        case .pipe(let index): readPipe(index, buffer: buffer)
        }
        if shellExited, !pipes.contains(where: \.open) { end() }
    }

    /// Ends the watch if its grace after the shell's exit has run out.
    func expireIfDue(now: UInt64, buffer: UnsafeMutableRawBufferPointer) {
        guard !ended, shellExited, deadline <= now else { return }
        for index in pipes.indices where pipes[index].open {
            // Take what is already in the pipe (bounded: a writer might never stop).
            var reads = 0
            while reads < 16, pipes[index].open, readPipe(index, buffer: buffer) { reads += 1 }
            closePipe(index)
        }
        end()
    }

    /// Watches on the calling thread for up to `window` nanoseconds; returns how the shell
    /// ended if the watch ended meanwhile, else nil (the caller then hands it to the reactor).
    ///
    /// Starting a process already holds the caller for a fraction of a millisecond; waiting
    /// about as long again lets a trivial command (`true`, `mkdir -p`) finish without two
    /// thread hand-offs, which are most of the cost of a short step.
    func waitBriefly(window: UInt64) -> ProcessExit? {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        let stop = ProcessLibc.monotonicNanoseconds() + window
        var descriptors: [pollfd] = []
        var sources: [(ProcessWatch, Source)] = []
        while !ended {
            let now = ProcessLibc.monotonicNanoseconds()
            // A shell whose pipes outlive it waits out its grace on the reactor.
            guard now < stop, !shellExited else { return nil }
            descriptors.removeAll(keepingCapacity: true)
            sources.removeAll(keepingCapacity: true)
            addDescriptors(to: &descriptors, sources: &sources)
            let milliseconds = Int32((stop - now + 999_999) / 1_000_000)
            let count = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
            guard count > 0 else { continue }
            for (descriptor, (_, source)) in zip(descriptors, sources) where descriptor.revents != 0 {
                handle(source, buffer: buffer)
            }
        }
        return exit
    }

    /// Reads once from a pipe (poll is level-triggered, so more data wakes us again).
    /// Returns false once the pipe is closed or has nothing more right now.
    @discardableResult
    private func readPipe(_ index: Int, buffer: UnsafeMutableRawBufferPointer) -> Bool {
        guard pipes[index].open else { return false }
        let count = read(pipes[index].descriptor, buffer.baseAddress, buffer.count)
        if count > 0 {
            let stream = pipes[index].stream
            let deliver = self.deliver
            pipes[index].splitter.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) { deliver(stream, $0) }
            return true
        }
        if count < 0, errno == EAGAIN || errno == EINTR { return false }
        closePipe(index)
        return false
    }

    private func closePipe(_ index: Int) {
        guard pipes[index].open else { return }
        pipes[index].open = false
        let stream = pipes[index].stream
        let deliver = self.deliver
        pipes[index].splitter.finish { deliver(stream, $0) }
        // An empty piece says the stream has ended (see `StepExecutor`).
        deliver(stream, UnsafeRawBufferPointer(start: nil, count: 0))
        close(pipes[index].descriptor)
    }

    /// Notes the shell's exit, without reaping it.
    private func checkShellExited() {
        guard !shellExited else { return }
        // The exit descriptor is readable only once the shell is a zombie; check all the
        // same, so that a spurious wake-up changes nothing.
        var info = siginfo_t()
        var checked = waitid(P_PID, id_t(group.id), &info, WEXITED | WNOHANG | WNOWAIT)
        while checked < 0, errno == EINTR {
            checked = waitid(P_PID, id_t(group.id), &info, WEXITED | WNOHANG | WNOWAIT)
        }
        if checked == 0, info.si_signo == 0 { return }
        shellExited = true
        close(exitDescriptor)
        deadline = ProcessLibc.monotonicNanoseconds() + (group.stopRequested ? grace.stopping : grace.normal)
    }

    /// Ends the watch: closes the pipes, stops signalling, kills the rest of the group if the
    /// step was being stopped, reaps the shell and resumes the continuation.
    private func end() {
        guard !ended else { return }
        for index in pipes.indices { closePipe(index) }
        ending()
        group.release()
        var status: Int32 = 0
        var reaped = waitpid(group.id, &status, 0)
        while reaped < 0, errno == EINTR { reaped = waitpid(group.id, &status, 0) }
        let exit: ProcessExit
        if reaped <= 0 {
            exit = .lost
        } else if status & 0x7F == 0 {
            exit = .exited((status >> 8) & 0xFF)
        } else {
            exit = .signalled(status & 0x7F)
        }
        self.exit = exit
        if let continuation {
            self.continuation = nil
            continuation.resume(returning: exit)
        }
    }
}

/// One thread that waits, with `poll`, on the pipes and exit descriptors of the step
/// processes handed to it, and resumes each watch's continuation when it ends. (A step uses
/// three descriptors and a run has a handful of steps going at once, so `poll` over a
/// rebuilt array costs next to nothing.)
final class ProcessReactor: @unchecked Sendable {
    static let shared = ProcessReactor()

    /// Watches handed over by other threads, taken by the reactor thread when woken.
    private let incoming = Mutex<[ProcessWatch]>([])
    /// The pipe that wakes the reactor thread out of `poll`.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    /// Used by the reactor thread only.
    private var watches: [ProcessWatch] = []
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)

    private init() {
        var fds: [Int32] = [-1, -1]
        precondition(ProcessSpawner.makePipe(&fds), "could not create the process reactor's wake-up pipe")
        _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
        _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
        wakeRead = fds[0]
        wakeWrite = fds[1]
        let thread = Thread { [self] in self.run() }
        thread.name = "baton-process-reactor"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Hands `watch` (with its continuation set) to the reactor thread.
    func watch(_ watch: ProcessWatch) {
        let wasIdle = incoming.withLock { incoming in
            incoming.append(watch)
            return incoming.count == 1
        }
        if wasIdle {
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    private func run() {
        var descriptors: [pollfd] = []
        var sources: [(ProcessWatch, ProcessWatch.Source)] = []
        while true {
            descriptors.removeAll(keepingCapacity: true)
            sources.removeAll(keepingCapacity: true)
            descriptors.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            for watch in watches { watch.addDescriptors(to: &descriptors, sources: &sources) }

            let count = poll(&descriptors, nfds_t(descriptors.count), timeout())
            if count < 0 {
                precondition(errno == EINTR || errno == EAGAIN, "poll failed: \(ProcessLibc.describe(errno))")
                continue
            }
            if count > 0 {
                for (descriptor, (watch, source)) in zip(descriptors.dropFirst(), sources) where descriptor.revents != 0 {
                    watch.handle(source, buffer: buffer)
                }
                if descriptors[0].revents != 0 {
                    var drain = [UInt8](repeating: 0, count: 64)
                    while read(wakeRead, &drain, drain.count) > 0 {}
                    watches.append(contentsOf: incoming.withLock { incoming in
                        defer { incoming.removeAll() }
                        return incoming
                    })
                }
            }
            if watches.contains(where: \.shellExited) {
                let now = ProcessLibc.monotonicNanoseconds()
                for watch in watches { watch.expireIfDue(now: now, buffer: buffer) }
            }
            watches.removeAll { $0.ended }
        }
    }

    /// The poll timeout in milliseconds: until the earliest grace deadline, or forever.
    private func timeout() -> Int32 {
        guard let earliest = watches.lazy.filter(\.shellExited).map(\.deadline).min() else { return -1 }
        let now = ProcessLibc.monotonicNanoseconds()
        guard earliest > now else { return 0 }
        return Int32(min((earliest - now + 999_999) / 1_000_000, 60_000))
    }
}
