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
    private let client: any RunClient
    private let context: ConsoleContext
    private let theme: Theme
    private let bellEnabled: Bool
    private let followsActivity: Bool
    private let readOnly: Bool
    private let keymap: Keymap
    private let tick: Duration
    private let inbox = Mutex<[ConsoleMessage]>([])
    private let stopRequests = Mutex<Int>(0)
    private let wake: WakeSignal
    /// The serial of the latest read of a log file asked for: an older read stops when it
    /// sees a newer one was asked for, so only one goes on at a time.
    private let latestFileRead = Atomic<Int>(0)

    /// - Parameters:
    ///   - client: the run: the engine in this process, or a run host this console attached to.
    ///   - readOnly: a view with no actions (`baton attach --read-only`).
    ///   - logDirectory: the run's `logs` folder, which the log pane's search reads when the
    ///     lines in memory hold no match; nil searches only those.
    ///   - followsActivity: start with the selection following the action (`L`), as demos do.
    ///   - keymap: the keys, the config file's remaps applied.
    ///   - prepared: the workflow's plan and layout, when made ahead of the console.
    public init(
        client: any RunClient, theme: Theme, bell: Bool, readOnly: Bool = false, tick: Duration = .seconds(1),
        logDirectory: String? = nil, followsActivity: Bool = false, keymap: Keymap = .standard, prepared: PreparedGraph? = nil
    ) throws {
        self.followsActivity = followsActivity
        self.keymap = keymap
        self.client = client
        // The console shows the workflow with its secrets masked; the engine runs the real one.
        self.context = ConsoleContext(workflow: client.workflow, logDirectory: logDirectory, prepared: prepared)
        self.theme = theme
        self.bellEnabled = bell
        self.readOnly = readOnly
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
        // Worked out again when a dynamic fan-out adds steps (`.workflowGrew`).
        var context = self.context
        let updates = client.updates()
        let listener = Task { [self] in
            for await update in updates {
                switch update {
                case .snapshot(let snapshot): self.post(.snapshot(snapshot))
                case .engine(let update): self.post(.engine(update))
                case .ended(let ending): self.post(.clientEnded(ending))
                }
            }
        }
        defer { listener.cancel() }
        // A search still reading a file when the console closes has no one to tell.
        defer { latestFileRead.store(-1, ordering: .relaxed) }
        let unicode = backend.capabilities.unicode
        var theme = unicode ? self.theme : self.theme.asciiOnly
        if backend.capabilities.colors == .none { theme = theme.withoutColour }
        var state = AppState(workflow: client.workflow, user: client.user, width: backend.width, height: backend.height, now: Self.now())
        state.seat = client.hostsRun ? .host : readOnly ? .attachedReadOnly : .attached
        state.role = client.role
        state.bellEnabled = bellEnabled
        state.followsActivity = followsActivity
        state.keymap = keymap
        state.graphNaturalSize = context.shownGraph(state).size
        let (help, pane, quit) = (keymap.keyName(for: .help), keymap.keyName(for: .nextPane), keymap.keyName(for: .quit))
        state.status = StatusLine(
            client.hostsRun ? "\(help) shows every key · \(pane) moves between panes · \(quit) quits"
                : "attached to run \(client.runID) as \(client.user)\(readOnly ? ", read-only" : client.role == .viewer ? ", a viewer" : "") · \(help) shows every key · \(quit) detaches (the run goes on)",
            isError: false, time: state.now)
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
                case .paste(let text): messages.append(.paste(text))
                case .mouse(let event): messages.append(.mouse(event))
                case .resize(let width, let height): messages.append(.resize(width: width, height: height))
                case .hangup:
                    // No one is watching any more: stop the run as after SIGHUP (an attached
                    // console only leaves), then quit.
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
                if state.runIsActive && client.hostsRun {
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
                    case .page(let stepID):
                        // The whole log (its last 256 MiB): the file has every line, the memory the last ones.
                        let inMemory = state.logs[stepID]?.lines ?? []
                        let fromFile = context.logPath(for: stepID).map {
                            StepLogStore.readLines(path: $0, stepID: stepID, limit: .max, maximumBytes: 256 << 20)
                        } ?? []
                        let paged = LogPager.show(fromFile.count >= inMemory.count ? fromFile : inMemory, of: stepID, backend: backend)
                        state.status = StatusLine(paged.text, isError: paged.isError, time: state.now)
                    case .workflowGrew:
                        context = ConsoleContext(workflow: state.workflow, logDirectory: context.logDirectory)
                        state.graphNaturalSize = context.shownGraph(state).size
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
                        if cancelRun && !state.run.isFinished && client.hostsRun {
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

    /// Sends a command to the run on a task; its result comes back through the inbox.
    private func run(_ command: OperatorCommand, interrupted: Bool) {
        let client = self.client
        Task { [self] in
            // Quitting interrupts the run; a cancel the operator asked for cancels it.
            let result = command.action == .cancelRun && interrupted
                ? await client.interrupt()
                : await client.perform(command)
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
