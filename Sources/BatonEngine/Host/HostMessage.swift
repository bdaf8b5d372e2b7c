import Foundation

/// One line of the run host's protocol (docs/protocol.md): newline-delimited JSON objects,
/// version 1. Clients send `command`, `status` and `watch`; the host sends `hello` when a
/// client connects, then a `result`, `status` or `error` for each request. A watcher gets the
/// run's journal as `event`s, then `live`, then every `event` as it happens (and, if it asked,
/// the steps' `output` and a `recording_failed`), and, last, `end`.
public struct HostMessage: Sendable, Hashable, Codable {
    /// The protocol's version; a client's requests carry it as `v`.
    public static let version = 1
    /// The longest line either side accepts, newline excluded.
    public static let maximumLineBytes = 64 * 1024

    public enum Kind: String, Sendable, Hashable, Codable {
        case hello, command, result, status, error, watch, event, live, output, end
        case recordingFailed = "recording_failed"
        case notificationFailed = "notification_failed"
    }

    /// Why a watch ended (`end`'s `reason`).
    public enum EndReason: String, Sendable, Hashable, Codable {
        /// The run's journal closed: its Baton is done with it.
        case closed
        /// The watcher fell behind; it may watch again and start from the journal.
        case fellBehind = "fell_behind"
    }

    public var v: Int?
    public var type: Kind
    /// A client's number for its request, echoed in the answer.
    public var id: Int?
    // hello
    public var protocolVersion: Int?
    public var run: String?
    public var user: String?
    /// What the host lets this user do: `operator` or `viewer` (gates go by their approvers).
    public var role: RunRole?
    // command
    public var action: OperatorAction?
    public var step: String?
    public var comment: String?
    /// An approval's values, for the gate's `approval.inputs`.
    public var values: [String: String]?
    // result
    public var accepted: Bool?
    public var message: String?
    // status
    public var state: String?
    public var waiting: [String]?
    // event: a journal event, in the journal's encoding
    public var event: RunEvent?
    // watch: whether the watcher wants the steps' output too
    public var output: Bool?
    // output: a chunk of one step's output (`step`), as the step printed it
    public var stream: OutputLine.Stream?
    public var time: Double?
    /// Where the chunk starts in the step's log file.
    public var offset: Int?
    public var data: Data?
    // live: the last event of the journal as it was read; end: why the stream ended
    public var seq: Int?
    public var reason: EndReason?

    public init(type: Kind, id: Int? = nil) {
        self.type = type
        self.id = id
    }

    enum CodingKeys: String, CodingKey {
        case v, type, id, run, user, role, action, step, comment, values, accepted, message, state, waiting, event
        case output, stream, time, offset, data, seq, reason
        case protocolVersion = "protocol"
    }

    /// The command a `command` request asks for.
    public var command: OperatorCommand? {
        guard type == .command, let action else { return nil }
        return OperatorCommand(action, step: step, comment: comment, values: values)
    }

    /// A `command` request for `command`.
    public static func request(_ command: OperatorCommand, id: Int) -> HostMessage {
        var message = HostMessage(type: .command, id: id)
        message.v = version
        message.action = command.action
        message.step = command.step
        message.comment = command.comment
        message.values = command.values
        return message
    }

    /// The `output` line for a chunk of a step's output.
    public static func output(_ chunk: OutputChunk) -> HostMessage {
        var message = HostMessage(type: .output)
        message.step = chunk.stepID
        message.stream = chunk.stream
        message.time = chunk.time.timeIntervalSince1970
        message.offset = chunk.logOffset
        message.data = Data(chunk.bytes)
        return message
    }

    /// The chunk an `output` line carries.
    public var chunk: OutputChunk? {
        guard type == .output, let step, let stream, let data else { return nil }
        var chunk = OutputChunk(stepID: step, stream: stream, bytes: Array(data), time: Date(timeIntervalSince1970: time ?? 0))
        chunk.logOffset = offset
        return chunk
    }

    /// The message as one line of JSON, newline included.
    public func line() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = (try? encoder.encode(self)) ?? Data(#"{"message":"unencodable message","type":"error"}"#.utf8)
        data.append(0x0A)
        return data
    }

    /// Reads a client's request from one line, or says what is wrong with it.
    public static func request(from line: Data) -> Result<HostMessage, HostProtocolError> {
        guard line.count <= maximumLineBytes else {
            return .failure(HostProtocolError("the message is \(line.count) bytes; at most \(maximumLineBytes) are read"))
        }
        let message: HostMessage
        do {
            message = try JSONDecoder().decode(HostMessage.self, from: line)
        } catch let DecodingError.dataCorrupted(context) {
            guard let field = context.codingPath.last?.stringValue else {
                return .failure(HostProtocolError("not a JSON object: \(context.debugDescription)"))
            }
            return .failure(HostProtocolError("'\(field)' has a value this host does not know"))
        } catch let DecodingError.keyNotFound(key, _) {
            return .failure(HostProtocolError("the message has no '\(key.stringValue)'"))
        } catch let DecodingError.typeMismatch(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return .failure(HostProtocolError("'\(field)' has the wrong type"))
        } catch let DecodingError.valueNotFound(_, context) {
            return .failure(HostProtocolError("'\(context.codingPath.map(\.stringValue).joined(separator: "."))' is null"))
        } catch {
            return .failure(HostProtocolError("not a message of this protocol: \(error)"))
        }
        guard let version = message.v else { return .failure(HostProtocolError("the message has no protocol version 'v'", id: message.id)) }
        guard version == Self.version else {
            return .failure(HostProtocolError("protocol version \(version) is not spoken here; this host speaks version \(Self.version)", id: message.id))
        }
        switch message.type {
        case .command:
            guard message.action != nil else { return .failure(HostProtocolError("a command needs an 'action'", id: message.id)) }
            if message.action?.isStepAction == true && (message.step ?? "").isEmpty {
                return .failure(HostProtocolError("'\(message.action!.rawValue)' needs a 'step'", id: message.id))
            }
        case .status, .watch:
            break
        case .hello, .result, .error, .event, .live, .output, .recordingFailed, .notificationFailed, .end:
            return .failure(HostProtocolError("'\(message.type.rawValue)' is sent by the host, not to it", id: message.id))
        }
        return .success(message)
    }
}

/// What is wrong with a client's message, as the `error` the host answers with.
public struct HostProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var id: Int?

    public init(_ message: String, id: Int? = nil) {
        self.message = message
        self.id = id
    }

    public var description: String { message }

    /// The `error` line for it.
    public var reply: HostMessage {
        var reply = HostMessage(type: .error, id: id)
        reply.message = message
        return reply
    }
}
