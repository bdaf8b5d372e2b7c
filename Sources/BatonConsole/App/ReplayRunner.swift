import BatonEngine
import BatonTerminal
import Foundation
import Synchronization

/// Runs the console over a recorded run: plays its journal through `update`, one event at a
/// time, and draws `view` as the live console does. Nothing reaches an engine: a replay is
/// read-only.
///
/// The loop sleeps in `poll` until a key arrives, the next event is due, a stop is requested,
/// or the slow clock ticks.
public final class ReplayRunner: Sendable {
    private let workflow: Workflow
    private let events: [RunEvent]
    private let logs: [String: [OutputLine]]
    private let speed: Double
    private let theme: Theme
    private let user: String
    private let tick: Duration
    private let keymap: Keymap
    private let followsActivity: Bool
    private let stopRequests = Mutex<Int>(0)
    private let wake: WakeSignal

    /// - Parameters:
    ///   - events: the run's journal.
    ///   - logs: every step's recorded output lines.
    ///   - speed: how many times faster than recorded to play; 0 opens at the end.
    ///   - keymap: the keys, the config file's remaps applied.
    ///   - followsActivity: start with the selection following the action (`L`), as the run's
    ///     steps start, fail and wait in the replay.
    public init(
        workflow: Workflow, events: [RunEvent], logs: [String: [OutputLine]], speed: Double, theme: Theme, user: String,
        tick: Duration = .seconds(1), keymap: Keymap = .standard, followsActivity: Bool = false
    ) throws {
        self.keymap = keymap
        self.followsActivity = followsActivity
        self.workflow = workflow
        self.events = events
        self.logs = logs
        self.speed = speed
        self.theme = theme
        self.user = user
        self.tick = tick
        self.wake = try WakeSignal()
    }

    /// Asks the replay to quit, as after SIGTERM or SIGHUP. Safe from any thread.
    public func requestStop() {
        stopRequests.withLock { $0 += 1 }
        wake.wake()
    }

    /// Runs until the viewer quits. Blocks the calling thread, which must own `backend`.
    public func run(on backend: TerminalBackend) {
        let context = ConsoleContext(workflow: workflow)
        let unicode = backend.capabilities.unicode
        var theme = unicode ? self.theme : self.theme.asciiOnly
        if backend.capabilities.colors == .none { theme = theme.withoutColour }
        var state = AppState(workflow: workflow, user: user, width: backend.width, height: backend.height, now: events.first?.time ?? 0)
        state.bellEnabled = false
        state.keymap = keymap
        state.followsActivity = followsActivity
        state.graphNaturalSize = context.shownGraph(state).size
        ConsoleUpdate.beginReplay(&state, events: events, logs: logs, speed: speed, context: context)
        var dirty = true
        var done = false
        // When the replay last moved (or was told to): the next event is due a pause after it.
        var anchor = ContinuousClock.now
        var anchorKey = Self.progressKey(state)
        while !done {
            if dirty {
                backend.draw(ConsoleView.render(state, context: context, theme: theme, unicode: unicode))
                dirty = false
            }
            var timeout = tick
            if let replay = state.replay, replay.playing, let pause = replay.pauseBeforeNext {
                let due = anchor + .milliseconds(Int64(pause * 1000))
                timeout = min(tick, max(.zero, ContinuousClock.now.duration(to: due)))
            }
            _ = EventWaiter.wait(for: [backend.inputDescriptor, wake.readDescriptor], timeout: timeout)
            wake.drain()
            if stopRequests.withLock({ $0 }) > 0 { break }
            var messages: [ConsoleMessage] = []
            for event in backend.pendingEvents() {
                switch event {
                case .key(let key): messages.append(.key(key))
                case .paste(let text): messages.append(.paste(text))
                case .mouse(let event): messages.append(.mouse(event))
                case .resize(let width, let height): messages.append(.resize(width: width, height: height))
                case .hangup: done = true
                }
            }
            if let replay = state.replay, replay.playing, let pause = replay.pauseBeforeNext,
               ContinuousClock.now >= anchor + .milliseconds(Int64(pause * 1000)) {
                messages.append(.replayAdvance)
            }
            for message in messages {
                for effect in ConsoleUpdate.update(&state, message, context: context) {
                    if case .quit = effect { done = true }
                    // A replay sends no commands and rings no bell.
                }
                dirty = true
            }
            let key = Self.progressKey(state)
            if key != anchorKey {
                anchor = ContinuousClock.now
                anchorKey = key
            }
        }
    }

    /// What restarts the wait for the next event when it changes: the position and play state.
    private static func progressKey(_ state: AppState) -> [Int] {
        guard let replay = state.replay else { return [] }
        return [replay.position, replay.playing ? 1 : 0]
    }
}
