import BatonEngine
import BatonTerminal

/// `baton top`'s `update`: applies one message to the state and says what the runner must do.
/// It calls nothing itself, so keys and ordering are tested without a terminal or files.
public enum TopUpdate {
    public static func update(_ state: inout TopState, _ message: TopMessage) -> [TopEffect] {
        switch message {
        case .key(let key):
            return handle(key, in: &state)
        case .mouse(let event):
            return handle(event, in: &state)
        case .resize(let width, let height):
            state.width = max(0, width)
            state.height = max(0, height)
            state.keepSelectionVisible()
        case .tick(let now):
            state.now = now
        case .runs(let runs):
            state.upsert(runs)
        case .removed(let ids):
            state.remove(ids)
        case .loaded:
            state.loaded = true
        case .watchNotice(let notice):
            state.watchNotice = notice
        case .childEnded(let text, let isError):
            state.status = StatusLine(text, isError: isError, time: state.now)
        }
        return []
    }

    static func handle(_ key: Key, in state: inout TopState) -> [TopEffect] {
        if state.help != nil { return handleHelp(key, in: &state) }
        guard let action = state.keymap.action(for: key) else { return [] }
        // A key answers the last message: it goes.
        state.status = nil
        let page = max(1, state.visibleRows - 1)
        switch action {
        case .up: state.move(by: -1)
        case .down: state.move(by: 1)
        case .pageUp: state.move(by: -page)
        case .pageDown: state.move(by: page)
        case .first: state.move(by: -state.runs.count)
        case .last: state.move(by: state.runs.count)
        case .help: state.help = Dialog(kind: .help, title: "baton top — keys", lines: TopHelpText.lines(keymap: state.keymap, user: state.user, unicode: state.unicode))
        case .quit: return [.quit]
        case .open: return open(in: &state)
        }
        return []
    }

    /// j/k and the page keys scroll the help; any other key closes it.
    private static func handleHelp(_ key: Key, in state: inout TopState) -> [TopEffect] {
        guard var help = state.help else { return [] }
        let visible = DialogView.visibleHelpRows(rows: DialogView.helpRowCount(help, screenWidth: state.width), screenHeight: state.height)
        let most = DialogView.helpScrollLimit(rows: DialogView.helpRowCount(help, screenWidth: state.width), screenHeight: state.height)
        switch state.keymap.action(for: key) {
        case .down: help.scroll = min(most, help.scroll + 1)
        case .up: help.scroll = max(0, help.scroll - 1)
        case .pageDown: help.scroll = min(most, help.scroll + visible)
        case .pageUp: help.scroll = max(0, help.scroll - visible)
        default:
            state.help = nil
            return []
        }
        state.help = help
        return []
    }

    /// Enter: a live run's console (`baton attach`); a run nobody serves, its replay opened at
    /// its end; an unreadable run or one that never started, a word on the status line.
    private static func open(in state: inout TopState) -> [TopEffect] {
        guard let run = state.selectedRun else {
            state.status = StatusLine("no run to open", isError: true, time: state.now)
            return []
        }
        if run.isLive { return [.handOver(runID: run.id, arguments: ["attach", run.directory])] }
        if let problem = run.problem {
            state.status = StatusLine("run \(VisibleText.escape(run.id)) cannot be replayed: \(problem)", isError: true, time: state.now)
            return []
        }
        guard run.startedAt != nil else {
            state.status = StatusLine("run \(VisibleText.escape(run.id)) has not started: nothing to show yet", isError: true, time: state.now)
            return []
        }
        return [.handOver(runID: run.id, arguments: ["replay", run.directory, "--speed", "0"])]
    }
}
