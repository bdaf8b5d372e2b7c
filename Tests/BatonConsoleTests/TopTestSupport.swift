import BatonEngine
import BatonTerminal
@testable import BatonConsole

/// Runs and states for the tests of `baton top`, without files or a terminal.
enum TopTestSupport {
    static let now: Double = 1_800_010_000

    /// A run with the given standing; `age` is how long ago it started.
    static func run(
        _ id: String, live: Bool = false, finished: Bool = false, age: Double = 60, status: RunStatus? = nil,
        gates: [TopGate] = [], workflow: String = "deploy", done: Int = 1, total: Int = 4, user: String = "alice",
        finishedAgo: Double? = nil, problem: String? = nil
    ) -> TopRun {
        let started = now - age
        return TopRun(
            id: id, directory: "/state/runs/\(id)", workflow: workflow, user: user,
            status: status ?? (finished ? .succeeded : .running), isFinished: finished, doneSteps: done, totalSteps: total,
            startedAt: started, finishedAt: finished ? now - (finishedAgo ?? 0) : nil,
            lastHeard: !live && !finished ? started + 5 : nil, isLive: live, gates: gates, problem: problem)
    }

    static func state(_ runs: [TopRun], width: Int = 120, height: Int = 30, user: String = "me", keymap: TopKeymap = .standard) -> TopState {
        var state = TopState(user: user, stateDirectory: "/state", width: width, height: height, now: now, keymap: keymap)
        state.upsert(runs)
        state.loaded = true
        return state
    }

    /// The screen's rows as text.
    static func screen(_ state: TopState, unicode: Bool = true) -> [String] {
        TopView.render(state, theme: Theme.builtInDark, unicode: unicode).lines
    }

    /// The run ids in display order.
    static func order(_ state: TopState) -> [String] { state.runs.map(\.id) }
}
