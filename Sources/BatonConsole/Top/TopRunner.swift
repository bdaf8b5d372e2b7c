import BatonEngine
import BatonTerminal
import Foundation
import Synchronization

/// Runs `baton top`: feeds keys, resizes, what `TopFeed` reads and the clock to `TopUpdate`,
/// carries out its effects, and draws `TopView`.
///
/// The loop runs on the thread that owns the terminal backend and sleeps in `poll` on the
/// terminal's input and a `WakeSignal` the feed pokes. It wakes for the clock only while a row
/// shows a running time, and only when that time's text changes.
public final class TopRunner: Sendable {
    private let feed: TopFeed
    private let theme: Theme
    private let user: String
    private let stateDirectory: StateDirectory
    private let inbox = Mutex(TopInbox())
    private let wake: WakeSignal
    private let stopRequested = Atomic<Bool>(false)
    /// The pid of the program that has the terminal now (`baton attach`), or 0.
    private let child = Atomic<Int32>(0)
    /// Whether the terminal reports the mouse; when not, the consoles top opens are told so too.
    private let mouse: Bool
    /// The keys (the config file's `top_keys:` applied).
    private let keymap: TopKeymap

    public init(stateDirectory: StateDirectory, user: String, theme: Theme, mouse: Bool = true, keymap: TopKeymap = .standard) throws {
        self.stateDirectory = stateDirectory
        self.keymap = keymap
        self.user = user
        self.theme = theme
        self.mouse = mouse
        feed = try TopFeed(stateDirectory: stateDirectory, user: user)
        wake = try WakeSignal()
    }

    /// Takes a signal from `SignalWatcher`: quits, after the program on the terminal, which
    /// gets the signal too. A Ctrl-C typed while that program runs was meant for it: the
    /// terminal already sent it there, so it is not a reason to quit.
    public func signal(_ number: Int32) {
        let pid = child.load(ordering: .sequentiallyConsistent)
        if pid > 0 {
            if number == SIGINT { return }
            kill(pid, number)
        }
        stopRequested.store(true, ordering: .sequentiallyConsistent)
        wake.wake()
    }

    /// Runs until the person quits or a signal stops it. Blocks the calling thread, which must
    /// be the thread that owns `backend`.
    public func run(on backend: TerminalBackend) {
        feed.start { [self] messages in
            inbox.withLock { $0.take(messages) }
            wake.wake()
        }
        defer { feed.stop() }
        let unicode = backend.capabilities.unicode
        var theme = unicode ? self.theme : self.theme.asciiOnly
        if backend.capabilities.colors == .none { theme = theme.withoutColour }
        var state = TopState(user: user, stateDirectory: stateDirectory.path, width: backend.width, height: backend.height, now: Self.now(), keymap: keymap)
        state.unicode = unicode
        var dirty = true
        while !stopRequested.load(ordering: .sequentiallyConsistent) {
            if dirty {
                backend.draw(TopView.render(state, theme: theme, unicode: unicode))
                dirty = false
            }
            // At most a minute, so a wall clock set back (by hand, or a large NTP step) delays
            // the times shown by a minute at most.
            let timeout = state.nextClockChange.map { Duration.milliseconds(Int64((min(60, max(0, $0 - Self.now())) * 1000).rounded(.up))) }
            _ = EventWaiter.wait(for: [backend.inputDescriptor, wake.readDescriptor], timeout: timeout)
            wake.drain()
            var messages: [TopMessage] = []
            for event in backend.pendingEvents() {
                switch event {
                case .key(let key): messages.append(.key(key))
                case .paste:
                    // Top has no text field, and pasted text is never keys.
                    break
                case .mouse(let event): messages.append(.mouse(event))
                case .resize(let width, let height): messages.append(.resize(width: width, height: height))
                case .hangup: stopRequested.store(true, ordering: .sequentiallyConsistent)
                }
            }
            messages += inbox.withLock { $0.drain() }
            let now = Self.now()
            if let change = state.nextClockChange, now >= change { messages.append(.tick(now)) }
            // Keys and runs see the time they happen at.
            state.now = now
            for message in messages {
                dirty = true
                for effect in TopUpdate.update(&state, message) {
                    switch effect {
                    case .quit:
                        return
                    case .handOver(let runID, let arguments):
                        let said = handOver(runID: runID, arguments: arguments + (mouse ? [] : ["--no-mouse"]), backend: backend)
                        _ = TopUpdate.update(&state, .resize(width: backend.width, height: backend.height))
                        _ = TopUpdate.update(&state, .childEnded(said.text, isError: said.isError))
                        state.now = Self.now()
                    }
                }
            }
        }
    }

    /// Gives the terminal to `baton ARGUMENTS` (this same executable), waits for it, and takes
    /// the terminal back; returns what to say about how it ended.
    private func handOver(runID: String, arguments: [String], backend: TerminalBackend) -> (text: String, isError: Bool) {
        let executable = ForegroundChild.ownExecutable
        backend.suspend()
        let ending = ForegroundChild.run(
            executable.path, name: executable.name, arguments: arguments,
            started: { child.store($0, ordering: .sequentiallyConsistent) },
            ended: { child.store(0, ordering: .sequentiallyConsistent) })
        backend.resume()
        let command = "baton \(arguments.first ?? "") \(VisibleText.escape(runID))"
        switch ending {
        case .exited(0):
            return ("back from \(command)", false)
        case .exited(1) where arguments.first == "attach":
            // What attach said went to the terminal's normal screen, which top now covers.
            return ("\(command) ended with exit status 1: no Baton serves the run any more, or its socket is not open to you", true)
        case .exited(let status):
            return ("\(command) ended with exit status \(status)", true)
        case .signalled(let signal):
            return ("\(command) was killed by signal \(signal)", true)
        case .notStarted(let reason):
            return ("cannot run \(command): \(reason)", true)
        }
    }

    private static func now() -> Double { Date().timeIntervalSince1970 }
}
