import BatonTerminal

/// The console's keys: input handling, the footer, the help overlay and footer clicks all
/// read the one keymap the console was given (`AppState.keymap`).
///
/// ``defaultBindings`` is the built-in table; a config file's `keys:` makes another keymap from
/// it (`Keymap+Remap`), so the keys can never differ between what acts and what is shown.
public struct Keymap: Sendable, Hashable {
    /// Every binding, in the order the help overlay and the footer list them.
    public let bindings: [KeyBinding]
    private let byKey: [Key: ConsoleAction]

    /// A keymap of `bindings`; a key bound twice acts for the first binding that has it.
    public init(bindings: [KeyBinding]) {
        self.bindings = bindings
        var table: [Key: ConsoleAction] = [:]
        for binding in bindings {
            for key in binding.keys where table[key] == nil { table[key] = binding.action }
        }
        byKey = table
    }

    /// The built-in keys.
    public static let standard = Keymap(bindings: defaultBindings)

    /// The built-in table of keys.
    public static let defaultBindings: [KeyBinding] = [
        KeyBinding([.up, .character("k")], .up, label: "up", help: "Move the selection up", group: "Navigate"),
        KeyBinding([.down, .character("j")], .down, label: "down", help: "Move the selection down", group: "Navigate"),
        KeyBinding([.left, .character("h")], .left, label: "left", help: "Graph: to the steps this one needs", group: "Navigate"),
        KeyBinding([.right, .character("l")], .right, label: "right", help: "Graph: to the steps that need this one", group: "Navigate"),
        KeyBinding([.pageUp], .pageUp, label: "page up", help: "Scroll a page up; in a graph's neighbourhood, go back some layers", group: "Navigate"),
        KeyBinding([.pageDown], .pageDown, label: "page down", help: "Scroll a page down; in a graph's neighbourhood, go on some layers", group: "Navigate"),
        KeyBinding([.character("g"), .home], .top, label: "top", help: "Go to the first step or line", group: "Navigate"),
        KeyBinding([.character("G"), .end], .bottom, label: "bottom", help: "Go to the last step or line", group: "Navigate"),
        KeyBinding([.tab], .nextPane, label: "pane", help: "Focus the next pane", inFooter: true, group: "Navigate"),
        KeyBinding([.backTab], .previousPane, label: "back", help: "Focus the previous pane", group: "Navigate"),
        KeyBinding([.enter], .details, label: "details", help: "Show the selected step's details; on a collapsed fan-out, expand it", group: "Navigate"),
        KeyBinding([.character("Z")], .zoom, label: "zoom", help: "Zoom: the focused pane fills the screen, or goes back to its place", group: "Navigate"),
        KeyBinding([.character(":"), .control("f")], .find, label: "find",
                   help: "Find a step: fuzzy over ids, names and hosts, state:failed and host:web1 filter; the table narrows as you type",
                   inFooter: true, group: "Navigate"),
        KeyBinding([.character("!")], .attention, label: "attention", help: "Jump to the step that needs attention (a waiting gate, a failure)", group: "Navigate"),

        KeyBinding([.character("p")], .pauseRun, label: "pause", help: "Pause the run (nothing new starts) or resume it; asks first, with a comment", inFooter: true, group: "Run"),
        KeyBinding([.character("U")], .rollbackRun, label: "undo run", help: "Roll back the whole run; asks first, with a comment", group: "Run"),
        KeyBinding([.character("C")], .cancelRun, label: "cancel run", help: "Cancel the whole run; asks first, with a comment", group: "Run"),

        KeyBinding([.character("a")], .approve, label: "approve", help: "Approve the selected gate, with a comment", inFooter: true, group: "Step"),
        KeyBinding([.character("x")], .reject, label: "reject", help: "Reject the selected gate, with a comment", group: "Step"),
        KeyBinding([.character("r")], .retry, label: "retry", help: "Retry the selected step (failed, cancelled or blocked); asks first, with a comment", inFooter: true, group: "Step"),
        KeyBinding([.character("u")], .rollback, label: "undo", help: "Roll back the selected step and its dependents; asks first, with a comment", inFooter: true, group: "Step"),
        KeyBinding([.character("c")], .cancel, label: "cancel", help: "Cancel the selected step; asks first, with a comment", inFooter: true, group: "Step"),
        KeyBinding([.character("s")], .skip, label: "skip", help: "Skip the selected step; asks first, with a comment", inFooter: true, group: "Step"),
        KeyBinding([.character("o")], .holdRelease, label: "hold", help: "Hold the selected pending step, or release it; asks first, with a comment", group: "Step"),
        KeyBinding([.character("z")], .suspendResume, label: "suspend", help: "Suspend the selected step's processes (SIGSTOP), or resume them; asks first, with a comment", group: "Step"),

        KeyBinding([.character("f")], .follow, label: "follow", help: "Log: follow new lines on or off", group: "View"),
        KeyBinding([.character("L")], .followActivity, label: "auto", help: "Follow the action: select each step as it starts, fails or waits (moving by hand stops it)", group: "View"),
        KeyBinding([.character("v")], .pager, label: "pager", help: "Log: the selected step's whole log in $PAGER (less -R if unset); quit it to come back", group: "View"),
        KeyBinding([.character("w")], .wrap, label: "wrap", help: "Log (or audit): wrap long lines on or off", group: "View"),
        KeyBinding([.character("/")], .search, label: "search", help: "Log: search, highlighted; goes on into the log file for lines no longer in memory", inFooter: true, group: "View"),
        KeyBinding([.character("n")], .nextMatch, label: "next", help: "Log: next match", group: "View"),
        KeyBinding([.character("N")], .previousMatch, label: "previous", help: "Log: previous match", group: "View"),
        KeyBinding([.character("m")], .compactGraph, label: "compact", help: "Graph: compact lanes, or the layered graph (the selection's neighbourhood when the whole is wider than the pane)", group: "View"),
        KeyBinding([.character("e")], .toggleGroup, label: "expand", help: "Expand the selected fan-out to its instances in the graph, steps and timeline, or collapse it from any of them", group: "View"),
        KeyBinding([.character("E")], .toggleAllGroups, label: "expand all", help: "Expand every fan-out, or collapse them all again", group: "View"),
        KeyBinding([.character("S")], .sort, label: "sort", help: "Steps: change the sort order", group: "View"),
        KeyBinding([.character("F")], .filter, label: "filter", help: "Steps: show only one state, cycling through them", group: "View"),
        KeyBinding([.character("1")], .onlyFailed, label: "failed", help: "Steps: only failed steps (again: every state)", group: "View"),
        KeyBinding([.character("2")], .onlyWaiting, label: "waiting", help: "Steps: only gates waiting for a decision (again: every state)", group: "View"),
        KeyBinding([.character("3")], .onlyRunning, label: "running", help: "Steps: only running steps (again: every state)", group: "View"),
        KeyBinding([.character("0")], .allSteps, label: "all", help: "Steps: every step again, the state filter and the finder's narrowing cleared", group: "View"),
        KeyBinding([.character("t")], .timeline, label: "timeline", help: "Graph pane: the timeline (one bar per attempt, critical path marked) or the graph", group: "View"),
        KeyBinding([.character("i")], .notes, label: "notes", help: "Details pane: the teaching notes (step notes, workflow description, glossary) or the details", group: "View"),
        KeyBinding([.character("A")], .audit, label: "audit", help: "Log pane: the run's audit trail (who did what, refusals included) or the step's log", group: "View"),

        KeyBinding([.character(" ")], .playPause, label: "play", help: "Replay: play or pause", group: "Replay"),
        KeyBinding([.character("]"), .character(".")], .stepForward, label: "step", help: "Replay: one event forward", group: "Replay"),
        KeyBinding([.character("["), .character(",")], .stepBack, label: "back", help: "Replay: one event back", group: "Replay"),
        KeyBinding([.character("{")], .replayStart, label: "start", help: "Replay: jump to the start", group: "Replay"),
        KeyBinding([.character("}")], .replayEnd, label: "end", help: "Replay: jump to the end", group: "Replay"),
        KeyBinding([.character("+")], .faster, label: "faster", help: "Replay: play twice as fast", group: "Replay"),
        KeyBinding([.character("-")], .slower, label: "slower", help: "Replay: play half as fast", group: "Replay"),

        KeyBinding([.character("?")], .help, label: "help", help: "Show every key", inFooter: true, group: "Console"),
        KeyBinding([.character("q"), .control("c")], .quit, label: "quit", help: "Quit (asks first while the run is active)", inFooter: true, group: "Console"),
    ]

    /// The action bound to a key, if any.
    public func action(for key: Key) -> ConsoleAction? { byKey[key] }

    /// The binding of an action.
    public func binding(for action: ConsoleAction) -> KeyBinding? {
        bindings.first { $0.action == action }
    }

    /// The first key of an action as the status line and hints name it ("?" if it has none).
    public func keyName(for action: ConsoleAction) -> String {
        binding(for: action)?.keys.first?.name ?? "?"
    }

    /// The footer's hints, in table order.
    public var footerHints: [FooterHint] {
        bindings.filter(\.inFooter).map(\.footerHint)
    }

    /// The footer's hints during a replay: playback, the teaching views, help and quit.
    public var replayFooterHints: [FooterHint] {
        let shown: [ConsoleAction] = [.playPause, .stepBack, .stepForward, .replayStart, .replayEnd, .faster, .slower, .timeline, .notes, .help, .quit]
        return shown.compactMap(binding(for:)).map(\.footerHint)
    }
}
