import Foundation

/// A client's connection to a run's host (`RunHost`): sends requests, reads the answers.
///
/// Unchecked `Sendable`: one thread uses it at a time; the only call from another thread is
/// `hangUp()`, which touches nothing but the descriptor, through the kernel's own locking.
public final class HostConnection: @unchecked Sendable {
    private let fd: Int32
    /// Bytes read and not yet taken as messages, from `consumed` on.
    private var pending: [UInt8] = []
    private var consumed = 0
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    private var nextID = 1
    /// What the host said when the client connected: the run and who the host takes us for.
    public private(set) var hello = HostMessage(type: .hello)

    /// Connects to the host listening at `path` and reads its `hello`.
    public init(path: String) throws(HostError) {
        var address = try RunHost.address(path)
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HostError("cannot make a socket: \(String(cString: strerror(errno)))") }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(fd)
            switch code {
            case ENOENT, ECONNREFUSED: throw HostError("nothing serves the run at \(path)", reason: .gone)
            case EACCES, EPERM: throw HostError("\(path): \(String(cString: strerror(code)))", reason: .forbidden)
            default: throw HostError("cannot reach \(path): \(String(cString: strerror(code)))")
            }
        }
        let first = try readMessage()
        if first.type == .error { throw HostError(first.message ?? "the host refused this user", reason: .notAllowed) }
        guard first.type == .hello else { throw HostError("the host did not greet: \(first.message ?? first.type.rawValue)") }
        hello = first
    }

    deinit { close(fd) }

    private let decoder = JSONDecoder()
    private static let eventPrefix = Array(#"{"event":"#.utf8)
    private static let eventSuffix = Array(#","type":"event"}"#.utf8)

    /// An `event` line as the host writes it (the journal's line, wrapped), decoded as the
    /// event alone: decoding the wrapper costs several times more, and a 10,000-step run's
    /// journal is tens of thousands of lines. Nil for any other line.
    static func wrappedEvent(_ line: ArraySlice<UInt8>, decoder: JSONDecoder) throws -> HostMessage? {
        guard line.count > eventPrefix.count + eventSuffix.count, line.starts(with: eventPrefix),
              line.suffix(eventSuffix.count).elementsEqual(eventSuffix) else { return nil }
        let inner = line.dropFirst(eventPrefix.count).dropLast(eventSuffix.count)
        var message = HostMessage(type: .event)
        message.event = try RunEvent(journalLine: inner) ?? decoder.decode(RunEvent.self, from: Data(inner))
        return message
    }

    /// The longest line read from a host: far past any journal event's.
    static let longestHostLine = 64 << 20

    /// The connection's socket, for a client that only waits on it with `poll(2)`: it turns
    /// readable at end of file when the host goes away (its run's session ended, or its Baton
    /// died), which `baton logs -f` takes as the run no longer being live.
    package var descriptor: Int32 { fd }

    /// Sends a command and returns the host's answer: a `result`, or an `error`.
    public func send(_ command: OperatorCommand) throws(HostError) -> HostMessage {
        let id = nextID
        nextID += 1
        try write(HostMessage.request(command, id: id))
        return try readMessage()
    }

    /// Asks for the run's status.
    public func status() throws(HostError) -> HostMessage {
        var request = HostMessage(type: .status, id: nextID)
        request.v = HostMessage.version
        nextID += 1
        try write(request)
        return try readMessage()
    }

    /// Watches the run: hands `body` every message of the stream (the journal's `event`s,
    /// `live`, then what happens: `event`, and with `output` the steps' `output` and a
    /// `recording_failed`) until it returns false; returns the host's `end`, or nil when
    /// `body` stopped the watch.
    public func watch(output: Bool = false, _ body: (HostMessage) -> Bool) throws(HostError) -> HostMessage? {
        var request = HostMessage(type: .watch, id: nextID)
        request.v = HostMessage.version
        request.output = output ? true : nil
        nextID += 1
        try write(request)
        while true {
            let message = try readMessage()
            switch message.type {
            case .event, .live, .output, .recordingFailed, .notificationFailed:
                if !body(message) { return nil }
            case .end:
                return message
            case .error:
                throw HostError(message.message ?? "the host refused to be watched")
            default:
                continue
            }
        }
    }

    /// Ends the connection from another thread: a read waiting in `watch` returns at once.
    public func hangUp() {
        shutdown(fd, Int32(SHUT_RDWR))
    }

    private func write(_ message: HostMessage) throws(HostError) {
        guard DescriptorIO.sendAll(message.line(), to: fd) else { throw HostError("the run's host closed the connection", reason: .gone) }
    }

    private func readMessage() throws(HostError) -> HostMessage {
        while true {
            if let newline = pending[consumed...].firstIndex(of: 0x0A) {
                let line = pending[consumed..<newline]
                consumed = newline + 1
                do {
                    if let event = try Self.wrappedEvent(line, decoder: decoder) { return event }
                    return try decoder.decode(HostMessage.self, from: Data(line))
                } catch {
                    throw HostError("the host sent something that is not a message: \(error)")
                }
            }
            // What was read is consumed up to here: keep only the partial line.
            pending.removeFirst(consumed)
            consumed = 0
            let count = read(fd, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw HostError("the run's host closed the connection", reason: .gone) }
            pending.append(contentsOf: chunk[0..<count])
            // A journal line can be long (`run_started` names every step), but not without end.
            if pending.count > Self.longestHostLine { throw HostError("the host sent a line longer than \(Self.longestHostLine) bytes") }
        }
    }

}
