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
    /// The connection that streams the run now, so that ending the stream can hang it up.
    private let watching = Mutex<HostConnection?>(nil)
    private let stopped = Atomic<Bool>(false)

    /// Reaches the run's host and reads the run's stored workflow.
    public init(directory: RunDirectory) throws(HostError) {
        self.directory = directory
        let connection = try HostConnection(path: directory.hostSocketPath)
        runID = connection.hello.run ?? directory.runID
        user = connection.hello.user ?? "unknown"
        role = connection.hello.role ?? .viewer
        let stored: Workflow
        do {
            let text = try WorkflowLoader.readText(contentsOf: directory.workflowPath)
            stored = try WorkflowLoader.load(yaml: text, file: directory.workflowPath)
        } catch {
            throw HostError("cannot read the run's stored workflow (\(directory.workflowPath)): \(error)")
        }
        // The stored file holds no secret's value; what this process's environment knows of
        // the secrets is masked all the same.
        workflow = SecretRedactor(workflow: stored, environment: ProcessInfo.processInfo.environment).redact(stored)
    }

    public func updates() -> AsyncStream<ClientUpdate> {
        let (stream, continuation) = AsyncStream<ClientUpdate>.makeStream(bufferingPolicy: .unbounded)
        continuation.onTermination = { [weak self] _ in self?.stop() }
        let thread = Thread { [self] in
            follow(continuation)
            continuation.finish()
        }
        thread.name = "baton-attach"
        thread.start()
        return stream
    }

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
    public func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        watching.withLock { $0?.hangUp() }
    }

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

    /// Streams the run into `continuation` until the host closes it, goes away, or the front
    /// end stops; starts again from a snapshot whenever the host drops this watcher.
    private func follow(_ continuation: AsyncStream<ClientUpdate>.Continuation) {
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
            let end: HostMessage?
            do {
                end = try connection.watch(output: true) { message in
                    switch message.type {
                    case .event:
                        guard let event = message.event else { break }
                        if live {
                            continuation.yield(.engine(.event(event)))
                        } else {
                            recorded.append(event)
                        }
                    case .live:
                        let snapshot = makeSnapshot(recorded)
                        logEnds = snapshot.ends
                        recorded = []
                        live = true
                        continuation.yield(.snapshot(snapshot.snapshot))
                    case .output:
                        guard let chunk = message.chunk.flatMap({ Self.unseen($0, logEnds: logEnds) }) else { break }
                        continuation.yield(.engine(.output(chunk)))
                    case .recordingFailed:
                        continuation.yield(.engine(.recordingFailed(message.message ?? "a write failed")))
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

    /// The run as the journal's events and the logs on disk show it, and where each log
    /// read ended.
    private func makeSnapshot(_ events: [RunEvent]) -> (snapshot: RunSnapshot, ends: [String: Int]) {
        let state = (try? JournalReader.fold(events)) ?? RunState()
        var logs: [String: [OutputLine]] = [:]
        var ends: [String: Int] = [:]
        // Only logs that exist are read: a run of thousands of steps has few.
        let names = Set((try? FileManager.default.contentsOfDirectory(atPath: directory.logsPath)) ?? [])
        for step in workflow.steps where names.contains("\(step.id).log") {
            let tail = StepLogStore.readTail(path: "\(directory.logsPath)/\(step.id).log", stepID: step.id)
            ends[step.id] = tail.end
            if !tail.lines.isEmpty { logs[step.id] = tail.lines }
        }
        return (RunSnapshot(state: state, events: events, logs: logs), ends)
    }

    private func goneText(_ error: HostError) -> String {
        switch error.reason {
        case .gone: return "the run's Baton is gone (it died or was killed): baton resume \(runID) takes the run up"
        case .forbidden: return "the run's socket is not open to this user: \(error.message)"
        case .notAllowed, .other: return error.message
        }
    }
}
