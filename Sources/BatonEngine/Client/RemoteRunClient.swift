import Foundation
import Synchronization

/// A run served by another Baton, reached over its run host's socket (`baton attach`).
///
/// It reads what the run directory holds (the stored workflow, the steps' logs up to now)
/// and takes the rest from the host: the journal and every event after it, and the output
/// the steps print from now on. A watcher that falls behind is dropped by the host; this
/// client then starts again from a new snapshot, so the front end never shows a run with
/// a hole in it.
public final class RemoteRunClient: RunClient {
    public let runID: String
    public let workflow: Workflow
    public let user: String
    public let role: RunRole
    public var hostsRun: Bool { false }
    private let directory: RunDirectory
    private let follower: Follower
    private let stream: AsyncStream<ClientUpdate>

    /// Reaches the run's host, starts following the run, and reads the run's stored workflow
    /// meanwhile: on a large run the two take about as long, and the console waits for both.
    public init(directory: RunDirectory) throws(HostError) {
        self.directory = directory
        let connection = try HostConnection(path: directory.hostSocketPath)
        let runID = connection.hello.run ?? directory.runID
        self.runID = runID
        user = connection.hello.user ?? "unknown"
        role = connection.hello.role ?? .viewer
        let (stream, continuation) = AsyncStream<ClientUpdate>.makeStream(bufferingPolicy: .unbounded)
        self.stream = stream
        let follower = Follower(directory: directory, runID: runID)
        self.follower = follower
        continuation.onTermination = { _ in follower.stop() }
        let thread = Thread {
            follower.follow(continuation)
            continuation.finish()
        }
        thread.name = "baton-attach"
        thread.start()
        let stored: Workflow
        do {
            stored = try directory.loadStoredWorkflow()
        } catch {
            follower.stop()
            throw HostError("cannot read the run's stored workflow (\(directory.workflowPath)): \(error)")
        }
        // The stored file holds no secret's value; what this process's environment knows of
        // the secrets is masked all the same.
        workflow = SecretRedactor(workflow: stored, environment: ProcessInfo.processInfo.environment).redact(stored)
    }

    /// The run from the moment this client connected: call it once.
    public func updates() -> AsyncStream<ClientUpdate> { stream }

    public func perform(_ command: OperatorCommand) async -> CommandResult {
        let path = directory.hostSocketPath
        return await withCheckedContinuation { continuation in
            // Socket I/O blocks: it gets a thread of its own, never the cooperative pool.
            Thread.detachNewThread {
                continuation.resume(returning: Self.send(command, to: path))
            }
        }
    }

    public func interrupt() async -> CommandResult {
        .refused("only the Baton that runs the run can interrupt it; this one is attached")
    }

    /// Stops following the run.
    public func stop() { follower.stop() }

    private static func send(_ command: OperatorCommand, to path: String) -> CommandResult {
        do {
            let answer = try HostConnection(path: path).send(command)
            switch answer.type {
            case .result where answer.accepted == true: return .accepted(answer.message ?? "accepted")
            case .result: return .refused(answer.message ?? "refused")
            default: return .refused("the run's host did not take the command: \(answer.message ?? answer.type.rawValue)")
            }
        } catch {
            return .refused(error.reason == .gone ? "the run's host is gone" : error.message)
        }
    }

    /// The part of a chunk the logs read for the snapshot did not hold, or nil.
    static func unseen(_ chunk: OutputChunk, logEnds: [String: Int]) -> OutputChunk? {
        guard let offset = chunk.logOffset, let end = logEnds[chunk.stepID], offset < end else { return chunk }
        let seen = end - offset
        guard seen < chunk.bytes.count else { return nil }
        var rest = chunk
        rest.bytes = Array(chunk.bytes[seen...])
        rest.logOffset = end
        return rest
    }
}

/// What follows a run for a `RemoteRunClient`, on a thread of its own.
private final class Follower: Sendable {
    let directory: RunDirectory
    let runID: String
    /// The connection that streams the run now, so that ending the stream can hang it up.
    private let watching = Mutex<HostConnection?>(nil)
    private let stopped = Atomic<Bool>(false)

    init(directory: RunDirectory, runID: String) {
        self.directory = directory
        self.runID = runID
    }

    func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        watching.withLock { $0?.hangUp() }
    }

    /// Streams the run into `continuation` until the host closes it, goes away, or the front
    /// end stops; starts again from a snapshot whenever the host drops this watcher.
    func follow(_ continuation: AsyncStream<ClientUpdate>.Continuation) {
        while !stopped.load(ordering: .sequentiallyConsistent) {
            let connection: HostConnection
            do {
                connection = try HostConnection(path: directory.hostSocketPath)
            } catch {
                continuation.yield(.ended(.hostGone(goneText(error))))
                return
            }
            watching.withLock { $0 = connection }
            var recorded: [RunEvent] = []
            var logEnds: [String: Int] = [:]
            var live = false
            var logs: LogRead?
            let end: HostMessage?
            do {
                end = try connection.watch(output: true) { message in
                    // The host subscribed before it sent anything: from here on, what the logs
                    // lack comes in the stream. They are read while the journal comes in.
                    if logs == nil { logs = LogRead(directory: directory.logsPath) }
                    switch message.type {
                    case .event:
                        guard let event = message.event else { break }
                        if live {
                            continuation.yield(.engine(.event(event)))
                        } else {
                            recorded.append(event)
                        }
                    case .live:
                        let read = logs!.wait()
                        logEnds = read.ends
                        let state = (try? JournalReader.fold(recorded)) ?? RunState()
                        continuation.yield(.snapshot(RunSnapshot(state: state, events: recorded, logs: read.lines)))
                        recorded = []
                        live = true
                    case .output:
                        guard let chunk = message.chunk.flatMap({ RemoteRunClient.unseen($0, logEnds: logEnds) }) else { break }
                        continuation.yield(.engine(.output(chunk)))
                    case .recordingFailed:
                        continuation.yield(.engine(.recordingFailed(message.message ?? "a write failed")))
                    case .notificationFailed:
                        continuation.yield(.engine(.notificationFailed(message.message ?? "a notification failed")))
                    default:
                        break
                    }
                    return !stopped.load(ordering: .sequentiallyConsistent)
                }
            } catch {
                watching.withLock { $0 = nil }
                if !stopped.load(ordering: .sequentiallyConsistent) {
                    continuation.yield(.ended(.hostGone(goneText(error))))
                }
                return
            }
            watching.withLock { $0 = nil }
            guard let end, end.reason == .fellBehind else {
                if end != nil { continuation.yield(.ended(.closed("the run's Baton closed the run: it is no longer live"))) }
                return
            }
            // Dropped for falling behind: start again from the journal.
        }
    }

    private func goneText(_ error: HostError) -> String {
        switch error.reason {
        case .gone: return "the run's Baton is gone (it died or was killed): baton resume \(runID) takes the run up"
        case .forbidden: return "the run's socket is not open to this user: \(error.message)"
        case .notAllowed, .other: return error.message
        }
    }
}

/// The steps' logs as they stand, read on a thread of its own: the latest lines of each, and
/// the offset each read ended at.
private final class LogRead: Sendable {
    private let result = Mutex<(lines: [String: [OutputLine]], ends: [String: Int])>(([:], [:]))
    private let done = DispatchSemaphore(value: 0)

    init(directory: String) {
        Thread.detachNewThread { [self] in
            var lines: [String: [OutputLine]] = [:]
            var ends: [String: Int] = [:]
            // Only logs that exist are read; a step's id is its log's name.
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            let folder = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            defer { if folder >= 0 { close(folder) } }
            for name in names where name.hasSuffix(".log") {
                let step = String(name.dropLast(4))
                let tail = folder >= 0
                    ? StepLogStore.readTail(path: name, relativeTo: folder, stepID: step)
                    : StepLogStore.readTail(path: "\(directory)/\(name)", stepID: step)
                ends[step] = tail.end
                if !tail.lines.isEmpty { lines[step] = tail.lines }
            }
            let read = (lines, ends)
            result.withLock { $0 = read }
            done.signal()
        }
    }

    /// Waits for the read to end and gives what it found.
    func wait() -> (lines: [String: [OutputLine]], ends: [String: Int]) {
        done.wait()
        done.signal()
        return result.withLock { $0 }
    }
}
