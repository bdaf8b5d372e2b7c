import Foundation
import Synchronization

/// Serves a live run to operators at other terminals: a Unix socket in the run's directory
/// that takes typed commands (`HostMessage`, docs/protocol.md) and answers each with the
/// engine's result.
///
/// Who sends a command is whom the kernel says the peer is (`SO_PEERCRED`); a client cannot
/// claim another name. Who may connect at all is decided by the socket's mode (0660: the
/// run directory's owner and group). Each client is served on a thread of its own, so a
/// client that says nothing, sends garbage or vanishes mid-line never touches the run.
public final class RunHost: Sendable {
    /// Carries out a command as a user.
    public typealias Perform = @Sendable (OperatorCommand, String) async -> CommandResult
    /// The run's status in words and what it waits on.
    public typealias Status = @Sendable () async -> (state: String, waiting: [String])
    /// What a user may do with the run; nil when they may not even watch it.
    public typealias Role = @Sendable (String) async -> RunRole?

    /// The socket's file name in a run's directory.
    public static let socketName = "host.sock"
    /// Bad messages a client may send before it is dropped.
    static let toleratedErrors = 3

    public let path: String
    private let runID: String
    private let listener: Int32
    private let perform: Perform
    private let status: Status
    private let role: Role
    /// The run's events for watchers: its journal so far, then what the engine publishes.
    private let journal: RunDirectory?
    private let updates: UpdateFanOut?
    private let stopped = Atomic<Bool>(false)
    /// The clients' sockets, so that `stop` can wake their threads.
    private let clients = Mutex<Set<Int32>>([])
    /// The watchers being streamed to: `stop` lets them have the run's last events first.
    private let streaming = DispatchGroup()
    /// Writes every watcher what is published, once it has had the journal.
    private let pump: WatcherPump?

    /// Listens on `path`; a socket file a dead host left there is replaced.
    public init(
        path: String, runID: String, perform: @escaping Perform, status: @escaping Status,
        role: @escaping Role = { _ in .operator }, journal: RunDirectory? = nil, updates: UpdateFanOut? = nil
    ) throws(HostError) {
        self.role = role
        self.path = path
        self.runID = runID
        self.perform = perform
        self.status = status
        self.journal = journal
        self.updates = updates
        var address = try Self.address(path)
        pump = updates == nil ? nil : try WatcherPump()
        if FileManager.default.fileExists(atPath: path) {
            // A host that still answers owns the run; one that does not left a stale file.
            if Self.answers(&address) { throw HostError("another Baton serves this run at \(path)") }
            unlink(path)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HostError("cannot make the run's socket: \(String(cString: strerror(errno)))") }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, chmod(path, 0o660) == 0, listen(fd, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            unlink(path)
            throw HostError("cannot serve the run at \(path): \(reason)")
        }
        listener = fd
        pump?.start { [self] fd in
            clients.withLock { _ = $0.remove(fd) }
            close(fd)
            streaming.leave()
        }
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "baton-host"
        thread.start()
    }

    /// Stops serving: no new clients, every client's connection closed, the socket removed.
    ///
    /// When the run's journal has closed, each watcher is first sent what it has not had yet
    /// and the stream's `end`, for at most `drainLimit`: a run that ends a few milliseconds
    /// after an event would otherwise leave watchers without its last events.
    public func stop() {
        guard !stopped.exchange(true, ordering: .sequentiallyConsistent) else { return }
        if updates?.isFinished == true {
            _ = streaming.wait(timeout: .now() + Self.drainLimit)
        }
        shutdown(listener, Int32(SHUT_RDWR))
        unlink(path)
        pump?.stop()
        clients.withLock { for fd in $0 { shutdown(fd, Int32(SHUT_RDWR)) } }
    }

    deinit { stop() }

    /// How many clients are connected now.
    public var clientCount: Int { clients.withLock { $0.count } }

    // MARK: - Serving

    private func acceptLoop() {
        defer { close(listener) }
        while !stopped.load(ordering: .sequentiallyConsistent) {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE {
                    // Out of descriptors: the clients that hold them will go; try again shortly.
                    usleep(10_000)
                    continue
                }
                return
            }
            // Step processes must not inherit a client's connection.
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            clients.withLock { _ = $0.insert(fd) }
            if stopped.load(ordering: .sequentiallyConsistent) { shutdown(fd, Int32(SHUT_RDWR)) }
            let thread = Thread { [self] in serve(fd) }
            thread.name = "baton-host-client"
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        // A watcher's connection passes to the pump, which closes it when done.
        var handedOver = false
        defer {
            if !handedOver {
                clients.withLock { _ = $0.remove(fd) }
                close(fd)
            }
        }
        let user = PeerCredentials(socket: fd)?.userName ?? "unknown"
        guard let role = waitFor({ [role] in await role(user) }) else {
            // The workflow's access rules leave this user out: they learn why, and nothing more.
            _ = send(HostProtocolError("\(user) may not watch run \(runID): its workflow's access.viewers leaves them out").reply, to: fd)
            return
        }
        var hello = HostMessage(type: .hello)
        hello.protocolVersion = HostMessage.version
        hello.run = runID
        hello.user = user
        hello.role = role
        guard send(hello, to: fd) else { return }
        var pending = Data()
        var errors = 0
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = read(fd, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            pending.append(contentsOf: chunk[0..<count])
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = pending[pending.startIndex..<newline]
                pending = Data(pending[(newline + 1)...])
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) { continue }
                switch HostMessage.request(from: Data(line)) {
                case .success(let request) where request.type == .watch:
                    // From here on the connection carries the run's events, until either side ends it.
                    guard let updates, let journal, let pump else {
                        guard send(HostProtocolError("this host has no events to watch", id: request.id).reply, to: fd) else { return }
                        continue
                    }
                    handedOver = stream(to: fd, request: request, updates: updates, journal: journal, pump: pump)
                    return
                case .success(let request):
                    guard send(answer(request, user: user), to: fd) else { return }
                case .failure(let problem):
                    errors += 1
                    guard send(problem.reply, to: fd), errors < Self.toleratedErrors else {
                        _ = send(HostProtocolError("\(errors) bad messages: closing the connection").reply, to: fd)
                        return
                    }
                }
            }
            if pending.count > HostMessage.maximumLineBytes {
                _ = send(HostProtocolError("a line longer than \(HostMessage.maximumLineBytes) bytes: closing the connection").reply, to: fd)
                return
            }
        }
    }

    /// Sends a watcher the run's journal so far and `live`, on this client's thread, then
    /// hands it to the pump, which sends it everything published after it until the run's
    /// journal closes, the watcher falls behind (it is told so and dropped rather than let
    /// slow the run) or it leaves. True when the pump took the connection.
    private func stream(to fd: Int32, request: HostMessage, updates: UpdateFanOut, journal: RunDirectory, pump: WatcherPump) -> Bool {
        streaming.enter()
        // Subscribe before reading the journal, so that no event falls between the two.
        let subscription = updates.subscribe { [pump] in pump.wake() }
        func abandon() -> Bool {
            subscription.cancel()
            streaming.leave()
            return false
        }
        // A watcher that stops reading the journal holds this thread at most this long per
        // write; the run meanwhile goes on.
        var timeout = timeval(tv_sec: Self.journalSendTimeoutSeconds, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var pending = Data()
        func flush() -> Bool {
            defer { pending.removeAll(keepingCapacity: true) }
            return pending.isEmpty || DescriptorIO.sendAll(pending, to: fd)
        }
        var last = 0
        // The journal's lines are already the events' encoding: they are wrapped, not decoded
        // and encoded again (a 10,000-step run's journal has tens of thousands).
        for line in Self.completeLines(ofFile: journal.eventsPath) {
            HostLines.appendEvent(journalLine: line, to: &pending)
            guard pending.count < 64 * 1024 || flush() else { return abandon() }
            last = Self.sequenceNumber(in: line) ?? last
        }
        var live = HostMessage(type: .live)
        live.seq = last
        pending.append(live.line())
        guard flush() else { return abandon() }
        let watcher = WatcherPump.Watcher(descriptor: fd, subscription: subscription, lastSequence: last, withOutput: request.output == true)
        return pump.adopt(watcher) || abandon()
    }

    /// The lines of a file that end with a newline: a torn last line (a crash mid-write) is
    /// left out, as the journal's reader leaves it out.
    static func completeLines(ofFile path: String) -> [ArraySlice<UInt8>] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let bytes = [UInt8](data)
        guard let lastNewline = bytes.lastIndex(of: 0x0A) else { return [] }
        return bytes[..<lastNewline].split(separator: 0x0A, omittingEmptySubsequences: true)
    }

    /// The `seq` of a journal line, read without decoding the rest of it.
    static func sequenceNumber(in line: ArraySlice<UInt8>) -> Int? {
        let key = Array(#""seq":"#.utf8)
        guard let start = line.firstRange(of: key)?.upperBound else { return nil }
        var value = 0
        var index = start
        while index < line.endIndex, (0x30...0x39).contains(line[index]) {
            value = value * 10 + Int(line[index] - 0x30)
            index += 1
        }
        return index > start ? value : nil
    }

    /// How long `stop` waits for watchers to be sent the run's last events.
    static let drainLimit = DispatchTimeInterval.seconds(2)

    /// How long a write of the journal to a watcher may wait for room in its socket.
    static let journalSendTimeoutSeconds = 5

    /// Waits on this client's thread for what `body` finds on the engine's side.
    private func waitFor<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let box = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let value = await body()
            box.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return box.withLock { $0 }!
    }

    /// The answer to a well-formed request, waited for on this client's thread.
    private func answer(_ request: HostMessage, user: String) -> HostMessage {
        let perform = self.perform
        let status = self.status
        let box = Mutex<HostMessage?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            var reply: HostMessage
            if let command = request.command {
                let result = await perform(command, user)
                reply = HostMessage(type: .result, id: request.id)
                reply.accepted = result.isAccepted
                reply.message = result.message
            } else {
                let (state, waiting) = await status()
                reply = HostMessage(type: .status, id: request.id)
                reply.state = state
                reply.waiting = waiting
            }
            let answer = reply
            box.withLock { $0 = answer }
            done.signal()
        }
        done.wait()
        return box.withLock { $0 } ?? HostProtocolError("no answer", id: request.id).reply
    }

    /// Writes a message whole; false when the client is gone.
    private func send(_ message: HostMessage, to fd: Int32) -> Bool {
        DescriptorIO.sendAll(message.line(), to: fd)
    }

    // MARK: - Addresses

    /// The socket address of `path`, which must fit `sun_path`.
    static func address(_ path: String) throws(HostError) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            throw HostError("the run's socket path is \(bytes.count) bytes, more than a Unix socket allows (\(capacity - 1)): \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        return address
    }

    /// Whether something listens at `address`.
    private static func answers(_ address: inout sockaddr_un) -> Bool {
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { return false }
        defer { close(probe) }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 }
        }
    }
}

/// The run's host could not start, or a client could not reach it.
public struct HostError: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// Nothing serves the run (no socket, or a stale one): its Baton is gone.
        case gone
        /// The socket's mode or folders do not let this user connect.
        case forbidden
        /// The run's access rules do not let this user watch it.
        case notAllowed
        case other
    }

    public var message: String
    public var reason: Reason

    public init(_ message: String, reason: Reason = .other) {
        self.message = message
        self.reason = reason
    }

    public var description: String { message }
}
