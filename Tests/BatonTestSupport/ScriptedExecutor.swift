import BatonEngine
import Synchronization

/// An executor that runs nothing: it records every job it is handed and ends each one as the
/// test's script says, at once or when the test releases it.
///
/// Tests that need an engine's decisions but no processes use it: which step was started
/// (or rolled back), with which attempt, and in what order, is in `jobs`.
public final class ScriptedExecutor: StepExecutor {
    /// Scripted steps start no process.

    /// How a job ends.
    public enum Ending: Sendable, Hashable {
        /// Exits 0 with these outputs.
        case succeed([String: String])
        /// Exits with this code.
        case fail(Int32)
        /// Runs until the engine stops it (SIGTERM or SIGKILL) or the test calls `release`.
        case hold
    }

    /// One job as the engine asked for it.
    public struct Job: Sendable, Hashable, CustomStringConvertible {
        public var stepID: String
        public var attempt: Int
        public var purpose: ExecutionJob.Purpose
        /// How many jobs of the same step and purpose came before this one.
        public var earlier: Int

        public var description: String { "\(stepID)#\(attempt)\(purpose == .rollback ? " rollback" : "")" }
    }

    private struct Storage {
        var jobs: [Job] = []
        /// Held jobs by step, with the way to end them.
        var held: [String: @Sendable (ExecutionResult) -> Void] = [:]
    }

    private let script: @Sendable (Job) -> Ending
    private let storage = Mutex(Storage())

    /// An executor that ends each job with `script(job)`; by default every job succeeds.
    public init(script: @escaping @Sendable (Job) -> Ending = { _ in .succeed([:]) }) {
        self.script = script
    }

    /// Every job handed over so far, in order.
    public var jobs: [Job] { storage.withLock { $0.jobs } }

    /// The steps whose jobs are held right now.
    public var heldSteps: Set<String> { storage.withLock { Set($0.held.keys) } }

    /// Ends the held job of `step` with `ending` (which must not be `.hold`); false if none is held.
    @discardableResult
    public func release(_ step: String, with ending: Ending = .succeed([:])) -> Bool {
        guard let end = storage.withLock({ $0.held.removeValue(forKey: step) }) else { return false }
        end(Self.result(of: ending))
        return true
    }

    public func execute(
        _ job: ExecutionJob, control: ExecutionControl, output: @escaping @Sendable (OutputChunk) -> Void
    ) async -> ExecutionResult {
        let recorded = storage.withLock { storage in
            let earlier = storage.jobs.filter { $0.stepID == job.stepID && $0.purpose == job.purpose }.count
            let recorded = Job(stepID: job.stepID, attempt: job.attempt, purpose: job.purpose, earlier: earlier)
            storage.jobs.append(recorded)
            return recorded
        }
        let ending = script(recorded)
        defer { control.finish() }
        guard ending == .hold else { return Self.result(of: ending) }
        return await withCheckedContinuation { continuation in
            let once = Once(continuation)
            storage.withLock { $0.held[job.stepID] = { once.resume($0) } }
            control.install { [weak self] signal in
                let code: Int32
                switch signal {
                case .terminate: code = 15
                case .kill: code = 9
                case .suspend, .resume: return
                }
                self?.storage.withLock { _ = $0.held.removeValue(forKey: job.stepID) }
                once.resume(ExecutionResult(termination: .signalled(code)))
            }
        }
    }

    private static func result(of ending: Ending) -> ExecutionResult {
        switch ending {
        case .succeed(let outputs): return ExecutionResult(termination: .exited(0), outputs: outputs)
        case .fail(let code): return ExecutionResult(termination: .exited(code))
        case .hold: preconditionFailure("a held job is released with how it ends")
        }
    }

    /// Resumes a continuation the first time only: a signal and a release may race.
    private final class Once: Sendable {
        private let continuation: Mutex<CheckedContinuation<ExecutionResult, Never>?>

        init(_ continuation: CheckedContinuation<ExecutionResult, Never>) {
            self.continuation = Mutex(continuation)
        }

        func resume(_ result: ExecutionResult) {
            continuation.withLock { stored in
                defer { stored = nil }
                return stored
            }?.resume(returning: result)
        }
    }
}
