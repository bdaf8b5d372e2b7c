import BatonEngine

/// The whole state of the console: a value, changed only by `ConsoleUpdate.update`.
public struct AppState: Sendable {
    public var workflow: Workflow
    /// The run as the console knows it: the fold of the events it has received.
    public var run: RunState
    public var width: Int
    public var height: Int
    public var focus: Pane = .graph
    /// The selected step's file-order position.
    public var selected = 0
    /// Layered, compact, or whichever fits (`m` switches between the two it does not show).
    public var graphMode: GraphMode = .automatic
    public var tableSort: StepSort = .file
    /// Show only steps in this state, if set (`F`, and `1`, `2`, `3`).
    public var tableFilter: StepState?
    /// Show only the steps a step finder query keeps, if set: while the finder is open, and
    /// after Enter left it with a query (`0` clears it).
    public var tableNarrowing: StepNarrowing?
    /// The step finder (`:`), while it is open.
    public var finder: StepFinder?
    public var logs: [String: StepLog] = [:]
    /// Each pane's scroll, and the log's search: see `ConsolePane` for who moves them.
    public var panes = PaneStates()
    public var dialog: Dialog?
    public var status: StatusLine?
    /// What failed when the run could no longer be recorded; from then on the console shows
    /// the run as it stood at its last recorded event.
    public var recordingFailure: String?
    /// Steps that need an operator's eye: a gate that opened or a step that failed, newest last.
    public var attention: [Attention] = []
    /// The clock for elapsed times, in seconds since 1970.
    public var now: Double
    /// The operating-system user at the console.
    public var user: String
    /// True once the operator asked to quit while the run stops.
    public var quitting = false
    /// Ring the bell on attention.
    public var bellEnabled = true
    /// The keys: the built-in table with the config file's remaps applied. Input, the footer,
    /// its clicks and the help overlay all read this one.
    public var keymap = Keymap.standard
    /// Whether the selection (and so the log, Details and the graph's highlight) follows the
    /// step that most recently started, failed or began to wait (`L`); moving the selection
    /// by hand turns it off. On in demos.
    public var followsActivity = false
    /// Whether the focused pane fills the screen (`Z`); Tab moves the zoom with the focus.
    public var zoomed = false
    /// The layered graph's natural size in cells, which decides the pane layout.
    public var graphNaturalSize = (width: 0, height: 0)
    /// The fan-out groups the operator expanded (`e`, `E`), by group id: the graph, the steps
    /// table and the timeline show their instances; every other group is one node, one row.
    public var expandedGroups: Set<String> = []
    /// Every attempt, gate wait and rollback as a bar in time, for the timeline view.
    public var timeline: RunTimeline
    /// What each slot shows (`PaneKind`); a slot missing here shows its standard content.
    public var slotContents: [Pane: PaneKind] = [:]
    /// Set when the console replays a recorded run: read-only, driven by the journal.
    public var replay: ReplayState?
    /// Whether this console hosts the run or is attached to another Baton's.
    public var seat: ConsoleSeat = .host
    /// What the engine lets this console's user do: a viewer acts only on the gates they approve.
    public var role: RunRole = .operator
    /// Set when an attached console's run host closed the run or went away: nothing more
    /// will come, and nothing can be done from here.
    public var hostEnding: ClientEnding?

    public init(workflow: Workflow, run: RunState = RunState(), user: String, width: Int, height: Int, now: Double) {
        self.workflow = workflow
        self.run = run
        self.timeline = RunTimeline(workflow: workflow, events: [])
        self.user = user
        self.width = width
        self.height = height
        self.now = now
    }

    /// The selected step's definition.
    public var selectedStep: Step? {
        workflow.steps.indices.contains(selected) ? workflow.steps[selected] : nil
    }

    /// The lines of the selected step's log file that the log pane shows in place of the
    /// lines in memory, after a search found a match only the file holds.
    public var shownExcerpt: LogExcerpt? {
        guard let excerpt = panes.log.excerpt, excerpt.stepID == selectedStep?.id else { return nil }
        return excerpt
    }

    /// The selected step's record in the run.
    public var selectedRecord: StepRecord? {
        guard let step = selectedStep else { return nil }
        return run[step.id]
    }

    /// The state of the step at a position, `pending` before the run has started.
    public func stepState(_ index: Int) -> StepState {
        guard run.steps.indices.contains(index) else { return .pending }
        return run.steps[index].state
    }

    /// True while the run has work in flight, which quitting would stop.
    public var runIsActive: Bool {
        switch run.status {
        case .running, .stopping: return true
        case .paused: return run.steps.contains { $0.state.hasProcess || $0.state == .retrying }
        default: return false
        }
    }

    /// When the gate of step `index` times out, if it waits and has a timeout.
    public func gateDeadline(_ index: Int) -> Double? {
        guard run.steps.indices.contains(index), workflow.steps.indices.contains(index),
              let gate = workflow.steps[index].approval else { return nil }
        return gate.deadline(of: run.steps[index])
    }
}

/// A step that needs an operator's eye, and why.
public struct Attention: Sendable, Hashable {
    public var step: String
    public var text: String

    public init(step: String, text: String) {
        self.step = step
        self.text = text
    }
}

/// Where the graph pane is scrolled to.
public struct GraphScroll: Sendable, Hashable {
    public var x = 0
    public var y = 0
    public init(x: Int = 0, y: Int = 0) {
        self.x = x
        self.y = y
    }
}

/// The orders of the steps table.
public enum StepSort: String, Sendable, CaseIterable, Hashable {
    case file
    case state
    case started
    case duration

    /// The next order in the cycle.
    public var next: StepSort {
        let all = StepSort.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}
