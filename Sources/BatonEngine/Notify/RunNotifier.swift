import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the workflow's `notify:` commands on the run's events, off the engine's actor.
///
/// The engine hands it each batch of events once they are durable (`observe`), so a command
/// hears only of what the journal holds, and only of live events: a resumed run's history is
/// never handed over again. A command is not a step: it runs with `/bin/sh -c` (through
/// `ShellExecutor`, in a process group of its own), reads the event as JSON
/// (`NotificationPayload`) on stdin, and is killed with its group after its timeout, counted
/// on the engine's clock. A command that fails runs again after its backoff while its
/// `retry:` allows (`RetryPolicy`, as a step's), with `BATON_NOTIFY_ATTEMPT` counting. Each
/// `notify:` entry runs one process at a time and gets its events in order, an event's retries
/// before the next event; at most `queueLimit` wait behind it, later ones are dropped and logged.
///
/// Nothing here is awaited by the engine. What each command printed (bounded, secrets
/// masked) and how it ended goes to the run's `notifications.log`; a failure (an exit status
/// other than 0, a timeout, a command that could not start) is also logged by the process's
/// logger and handed to `report`, which the engine publishes as `EngineUpdate.notificationFailed`.
/// A failure never changes the run and is not journaled: a notification is not something the
/// run did.
package final class RunNotifier: Sendable {
    /// The most events that wait for one command while it runs.
    static let queueLimit = 100
    /// The most bytes of a command's output kept in the log.
    static let outputLimit = 4_096

    private struct Delivery: Sendable {
        var event: NotificationEvent
        var subject: String
        var document: Data
    }

    private struct State {
        var queues: [[Delivery]]
        var busy: [Bool]
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        /// Set by `stopRetrying`: no failed attempt runs again.
        var retriesStopped = false
        /// Each entry's wait before its next attempt, while it waits.
        var backoffs: [Int: Task<Void, Never>] = [:]
        var isIdle: Bool { !busy.contains(true) }
    }

    private let commands: [NotificationCommand]
    private let run: NotificationRun
    private let environment: [String: String]
    private let clock: any EngineClock
    private let logPath: String?
    private let report: @Sendable (String) -> Void
    private let logger = Logger(label: "baton.notify")
    private let state: Mutex<State>
    /// Serialises the writes to `notifications.log`.
    private let logLock = Mutex(())

    /// - Parameters:
    ///   - environment: variables added to the inherited ones (the workflow's `env:`).
    ///   - logPath: the run's `notifications.log`; nil for a run kept in memory.
    ///   - report: called with a sentence for each failed notification.
    init(
        commands: [NotificationCommand], run: NotificationRun, environment: [String: String], clock: any EngineClock,
        logPath: String?, report: @escaping @Sendable (String) -> Void
    ) {
        self.commands = commands
        self.run = run
        self.environment = environment
        self.clock = clock
        self.logPath = logPath
        self.report = report
        state = Mutex(State(queues: Array(repeating: [], count: commands.count), busy: Array(repeating: false, count: commands.count)))
    }

    /// Starts (or queues) the commands that `events`, durable and in order, call for.
    func observe(_ events: [RunEvent]) {
        for event in events {
            guard let payload = NotificationPayload(event: event, run: run) else { continue }
            let delivery = Delivery(event: payload.event, subject: payload.step.map { " of '\($0.id)'" } ?? "", document: payload.json())
            for (index, command) in commands.enumerated() where command.events.contains(payload.event) {
                enqueue(delivery, for: index)
            }
        }
    }

    /// Whether a command runs, waits to run again, or has events waiting for it.
    package var isBusy: Bool {
        state.withLock { !$0.isIdle }
    }

    /// Runs no failed attempt again from now on, and ends the backoffs under way at once: a
    /// Baton interrupted (Ctrl-C, SIGTERM) waits for no retry before it exits. Attempts that
    /// run go on to their end or their timeout, and events that wait still get one attempt.
    package func stopRetrying() {
        let waits = state.withLock { state in
            state.retriesStopped = true
            return Array(state.backoffs.values)
        }
        for wait in waits { wait.cancel() }
    }

    /// Waits until no command runs and none waits. A front end calls this before its process
    /// exits, so that `run_finished` is told; each command's timeout bounds the wait.
    package func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state in
                if state.isIdle { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    private func enqueue(_ delivery: Delivery, for index: Int) {
        enum Step { case start, queued, dropped }
        let step: Step = state.withLock { state in
            if !state.busy[index] {
                state.busy[index] = true
                return .start
            }
            guard state.queues[index].count < Self.queueLimit else { return .dropped }
            state.queues[index].append(delivery)
            return .queued
        }
        switch step {
        case .start:
            Task.detached { [self] in await drain(index, first: delivery) }
        case .queued:
            break
        case .dropped:
            fail(index, delivery, "dropped: \(Self.queueLimit) events already wait for it")
        }
    }

    /// Runs the command for `first`, then for each event that queued meanwhile.
    private func drain(_ index: Int, first: Delivery) async {
        var next: Delivery? = first
        while let delivery = next {
            await deliverWithRetries(delivery, with: index)
            next = state.withLock { state in
                if !state.queues[index].isEmpty { return state.queues[index].removeFirst() }
                state.busy[index] = false
                return nil
            }
        }
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            guard state.isIdle else { return [] }
            defer { state.idleWaiters.removeAll() }
            return state.idleWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// How one attempt of a command ended.
    private struct Attempt {
        /// How it ended, for the log: "exited 0", "exited 22", "timed out after 10s; …".
        var ending: String
        /// Whether it failed; `ending` says how.
        var failed: Bool
        /// Its exit status, when it exited.
        var exitCode: Int32?
        /// What it printed, secrets masked, at most `outputLimit` bytes.
        var printed: Substring
    }

    /// Runs the command for one event, and again after its backoff while it fails and its
    /// `retry:` allows; logs and reports every failed attempt, saying whether it runs again.
    private func deliverWithRetries(_ delivery: Delivery, with index: Int) async {
        let policy = commands[index].retry
        let firstStart = clock.now
        var attempt = 1
        while true {
            let ended = await deliver(delivery, with: index, attempt: attempt)
            let count = " (attempt \(attempt) of \(policy.attempts))"
            let line = logPrefix(delivery, index) + ended.ending + (policy.attempts > 1 ? count : "")
            guard ended.failed else {
                writeLog(line, printed: ended.printed)
                return
            }
            let delay = policy.delay(afterAttempt: attempt)
            var refusal: String?
            if attempt < policy.attempts {
                refusal = retriesStopped
                    ? Self.stoppedRetrying
                    : policy.refusal(exitCode: ended.exitCode, nextStartAfterFirst: clock.now + delay.inSeconds - firstStart)
                if refusal == nil {
                    let again = "again in \(Engine.describe(delay))"
                    writeLog(line + "; " + again, printed: ended.printed)
                    // Said too, so that a front end waiting on it to exit says why.
                    announce(index, delivery, ended.ending + count + "; it runs " + again)
                    if await backOff(delay, index: index) {
                        attempt += 1
                        continue
                    }
                    // Interrupted in the backoff: the attempt's end is in the log already.
                    writeLog(logPrefix(delivery, index) + Self.stoppedRetrying, printed: "")
                    announce(index, delivery, ended.ending + count + "; " + Self.stoppedRetrying)
                    return
                }
            }
            writeLog(line + (refusal.map { "; \($0)" } ?? ""), printed: ended.printed)
            announce(index, delivery, ended.ending + (attempt > 1 ? count : "") + (refusal.map { "; \($0)" } ?? ""))
            return
        }
    }

    /// How a line of `notifications.log` starts: when, the event, and which command.
    private func logPrefix(_ delivery: Delivery, _ index: Int) -> String {
        "\(Self.now(clock)) \(delivery.event.rawValue)\(delivery.subject) → notify[\(index + 1)] "
    }

    /// Why a failed attempt did not run again after `stopRetrying`.
    static let stoppedRetrying = "not run again: Baton was interrupted"

    private var retriesStopped: Bool { state.withLock { $0.retriesStopped } }

    /// Waits `delay` before entry `index`'s next attempt; false when `stopRetrying` ended the
    /// wait, or came before it.
    private func backOff(_ delay: Duration, index: Int) async -> Bool {
        let clock = self.clock
        let wait = Task<Void, Never> { _ = try? await clock.sleep(for: delay) }
        let waiting = state.withLock { state in
            guard !state.retriesStopped else { return false }
            state.backoffs[index] = wait
            return true
        }
        guard waiting else {
            wait.cancel()
            return false
        }
        await wait.value
        return state.withLock { state in
            state.backoffs[index] = nil
            return !state.retriesStopped
        }
    }

    /// Runs one attempt of a command with one event on its stdin, and kills it at its timeout.
    private func deliver(_ delivery: Delivery, with index: Int, attempt: Int) async -> Attempt {
        let command = commands[index]
        var pipe: [Int32] = [-1, -1]
        guard ProcessSpawner.makePipe(&pipe) else {
            return Attempt(ending: "could not start: no pipe for its stdin (\(ProcessLibc.describe(errno)))", failed: true, printed: "")
        }
        // The document is far smaller than a pipe's buffer (`NotificationPayload.textLimit`):
        // the write never waits for the command.
        var document = Array(delivery.document)
        document.append(0x0A)
        var written = 0
        while written < document.count {
            let count = document[written...].withUnsafeBytes { write(pipe[1], $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            written += count
        }
        close(pipe[1])

        var variables = environment
        variables["BATON_NOTIFY_EVENT"] = delivery.event.rawValue
        variables["BATON_NOTIFY_ATTEMPT"] = String(attempt)
        let job = ExecutionJob(
            stepID: "notify[\(index + 1)]", attempt: attempt, purpose: .run, command: command.run, environment: variables,
            directory: nil, outputFile: "", simulation: nil)
        let control = ExecutionControl()
        let clock = self.clock
        let timer = Task { () -> Bool in
            do { try await clock.sleep(for: command.timeout) } catch { return false }
            control.send(.kill)
            return true
        }
        let output = NotificationOutput(limit: Self.outputLimit)
        let result = await ShellExecutor().execute(
            job, arguments: ["/bin/sh", "-c", command.run], standardInput: pipe[0], control: control,
            output: { output.append($0.bytes) })
        close(pipe[0])
        timer.cancel()
        let timedOut = await timer.value

        var printed = Substring(run.redactor.redact(output.text))
        while printed.last?.isNewline == true { printed = printed.dropLast() }
        switch result.termination {
        case .exited(0):
            return Attempt(ending: "exited 0", failed: false, exitCode: 0, printed: printed)
        case .notStarted:
            return Attempt(ending: "could not start: \(result.failureReason ?? "unknown reason")", failed: true, printed: printed)
        case .signalled where timedOut:
            return Attempt(
                ending: "timed out after \(DurationFormatter.format(command.timeout)); its process group was killed", failed: true, printed: printed)
        case .exited(let code):
            return Attempt(ending: "exited \(code)", failed: true, exitCode: code, printed: printed)
        case .signalled(let signal):
            return Attempt(ending: "was killed by signal \(signal)", failed: true, printed: printed)
        }
    }

    /// Logs and reports a notification that failed before its command ran.
    private func fail(_ index: Int, _ delivery: Delivery, _ problem: String) {
        writeLog(logPrefix(delivery, index) + problem, printed: "")
        announce(index, delivery, problem)
    }

    /// Tells the process's log and the front ends of a notification that failed.
    private func announce(_ index: Int, _ delivery: Delivery, _ problem: String) {
        let logged = logPath.map { "; see \($0)" } ?? ""
        let sentence = "notification notify[\(index + 1)] on \(delivery.event.rawValue)\(delivery.subject) failed: \(problem)\(logged)"
        // Front ends say it; at the default level stderr stays quiet, as it may be under the console.
        logger.info("\(sentence)")
        report(sentence)
    }

    /// Appends `line` to `notifications.log`, then what the command printed, each of its
    /// lines indented under it.
    private func writeLog(_ line: String, printed: Substring) {
        guard let logPath else { return }
        let lines = printed.isEmpty ? [] : printed.split(separator: "\n", omittingEmptySubsequences: false)
        let text = line + "\n" + lines.map { "  | \($0)\n" }.joined()
        logLock.withLock { _ in
            let descriptor = open(logPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                logger.info("cannot write \(logPath): \(ProcessLibc.describe(errno))")
                return
            }
            defer { close(descriptor) }
            let bytes = Array(text.utf8)
            var written = 0
            while written < bytes.count {
                let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return }
                written += count
            }
        }
    }

    private static func now(_ clock: any EngineClock) -> String {
        Date(timeIntervalSince1970: clock.now).ISO8601Format()
    }
}
