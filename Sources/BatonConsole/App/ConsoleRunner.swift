import BatonEngine
import BatonTerminal
import Foundation
import Synchronization

/// Runs the console: feeds keys, resizes, engine updates and ticks to `update`, carries out
/// the effects, and draws `view` on the terminal.
///
/// The loop runs on one thread (the one that owns the terminal backend) and sleeps in
/// `poll` until a key arrives, the engine publishes something, or the slow clock ticks.
public final class ConsoleRunner: Sendable {
    private let engine: Engine
    private let context: ConsoleContext
    private let theme: Theme
    private let user: String
    private let bellEnabled: Bool
    private let tick: Duration
    private let inbox = Mutex<[ConsoleMessage]>([])
    private let stopRequests = Mutex<Int>(0)
    private let wake: WakeSignal
    /// What a resumed run already holds: its state before the resumption and its steps' logs.
    private let history: RunState?
    /// For a resumed run, the events recorded before the resumption, for the timeline.
    private let historyEvents: [RunEvent]
    private let earlierLogs: [String: [OutputLine]]
    /// The serial of the latest read of a log file asked for: an older read stops when it
    /// sees a newer one was asked for, so only one goes on at a time.
    private let latestFileRead = Atomic<Int>(0)

    /// - Parameters:
    ///   - history: for a resumed run, its state as recorded (the engine's updates carry only
    ///     what happens from now on); nil for a new run.
    ///   - earlierLogs: for a resumed run, the lines its steps printed before.
    ///   - historyEvents: for a resumed run, the events recorded before, so the timeline shows them.
    ///   - logDirectory: the run's `logs` folder, which the log pane's search reads when the
    ///     lines in memory hold no match; nil searches only those.
    public init(
        engine: Engine, theme: Theme, user: String, bell: Bool, tick: Duration = .seconds(1),
        history: RunState? = nil, historyEvents: [RunEvent] = [], earlierLogs: [String: [OutputLine]] = [:],
        logDirectory: String? = nil
    ) throws {
        self.history = history
        self.historyEvents = historyEvents
        self.earlierLogs = earlierLogs
        self.engine = engine
        // The console shows the workflow with its secrets masked; the engine runs the real one.
        self.context = ConsoleContext(workflow: engine.displayWorkflow, logDirectory: logDirectory)
        self.theme = theme
        self.user = user
        self.bellEnabled = bell
        self.tick = tick
        self.wake = try WakeSignal()
    }

    /// Asks the console to stop the run and quit, as after SIGTERM or SIGHUP. Safe from any thread.
    public func requestStop() {
        stopRequests.withLock { $0 += 1 }
        wake.wake()
    }

    /// Runs until the operator quits (and, if asked, the run has stopped). Blocks the calling thread,
    /// which must be the thread that owns `backend`.
    public func run(on backend: TerminalBackend) {
        let engine = self.engine
        let listener = Task { [self] in
            for await update in engine.updates {
                self.post(.engine(update))
            }
        }
        defer { listener.cancel() }
        // A search still reading a file when the console closes has no one to tell.
        defer { latestFileRead.store(-1, ordering: .relaxed) }
        let unicode = backend.capabilities.unicode
        var theme = unicode ? self.theme : self.theme.asciiOnly
        if backend.capabilities.colors == .none { theme = theme.withoutColour }
        var state = AppState(workflow: engine.displayWorkflow, user: user, width: backend.width, height: backend.height, now: Self.now())
        if let history {
            state.run = history
            state.timeline = RunTimeline(workflow: engine.displayWorkflow, events: historyEvents)
            // What waited for an operator before the resumption still does.
            for record in history.steps where record.state == .interrupted {
                state.attention.append(Attention(step: record.id, text: "'\(record.id)' was interrupted — r runs it again"))
            }
        }
        for (step, lines) in earlierLogs {
            for line in lines { state.logs[step, default: StepLog()].append(line) }
        }
        state.bellEnabled = bellEnabled
        state.graphNaturalSize = context.graph.size
        state.status = StatusLine("? shows every key · Tab moves between panes · q quits", isError: false, time: state.now)
        var stopsSeen = 0
        var dirty = true
        var done = false
        var lastTick = ContinuousClock.now
        while !done {
            if dirty {
                backend.draw(ConsoleView.render(state, context: context, theme: theme, unicode: unicode))
                dirty = false
            }
            _ = EventWaiter.wait(for: [backend.inputDescriptor, wake.readDescriptor], timeout: tick)
            wake.drain()
            var messages: [ConsoleMessage] = []
            for event in backend.pendingEvents() {
                switch event {
                case .key(let key): messages.append(.key(key))
                case .resize(let width, let height): messages.append(.resize(width: width, height: height))
                case .hangup:
                    // No one is watching any more: stop the run as after SIGHUP, then quit.
                    stopRequests.withLock { $0 += 1 }
                }
            }
            messages += inbox.withLock { pending in
                defer { pending.removeAll(keepingCapacity: true) }
                return pending
            }
            let stops = stopRequests.withLock { $0 }
            if stops > stopsSeen {
                stopsSeen = stops
                state.quitting = true
                state.status = StatusLine("stopping the run before quitting…", isError: false, time: state.now)
                dirty = true
                // A signal is a quit: what runs is interrupted; a run with nothing in flight is
                // left as it stands (`Engine.close(by:)`), and nothing is asked of a finished one.
                if state.runIsActive {
                    run(.cancelRun, interrupted: true)
                } else {
                    done = true
                }
            }
            if ContinuousClock.now - lastTick >= tick || messages.isEmpty {
                lastTick = ContinuousClock.now
                messages.append(.tick(Self.now()))
            }
            for message in messages {
                for effect in ConsoleUpdate.update(&state, message, context: context) {
                    switch effect {
                    case .bell:
                        backend.bell()
                    case .command(let command):
                        run(command, interrupted: false)
                    case .searchLogFile(let search):
                        readLogFile(serial: search.serial) { isCancelled in
                            .logFileSearched(search, search.run(isCancelled: isCancelled))
                        }
                    case .readLogExcerpt(let request):
                        readLogFile(serial: request.serial) { isCancelled in
                            .logExcerptRead(request, request.run(isCancelled: isCancelled))
                        }
                    case .quit(let cancelRun):
                        if cancelRun && !state.run.isFinished {
                            run(.cancelRun, interrupted: true)
                        } else {
                            done = true
                        }
                    }
                }
                dirty = true
            }
        }
    }

    /// Sends a command to the engine on a task; its result comes back through the inbox.
    private func run(_ command: OperatorCommand, interrupted: Bool) {
        let engine = self.engine
        let user = self.user
        Task { [self] in
            // Quitting interrupts the run; a cancel the operator asked for cancels it.
            let result = command.action == .cancelRun && interrupted
                ? await engine.cancelRun(by: user, outcome: .interrupted)
                : await engine.perform(command, by: user)
            self.post(.commandResult(command, result))
        }
    }

    /// Reads a log file on a thread of its own, so the console stays responsive however large
    /// the file, and posts what `read` makes of it, unless a newer read was asked for meanwhile
    /// (the older one then stops at its next look at `isCancelled`).
    private func readLogFile(serial: Int, _ read: @escaping @Sendable (_ isCancelled: () -> Bool) -> ConsoleMessage) {
        latestFileRead.store(serial, ordering: .relaxed)
        Thread.detachNewThread { [self] in
            let isCancelled = { self.latestFileRead.load(ordering: .relaxed) != serial }
            let message = read(isCancelled)
            if !isCancelled() { self.post(message) }
        }
    }

    /// Queues a message for the loop and wakes it.
    private func post(_ message: ConsoleMessage) {
        inbox.withLock { $0.append(message) }
        wake.wake()
    }

    private static func now() -> Double { Date().timeIntervalSince1970 }
}
