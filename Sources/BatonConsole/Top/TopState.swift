import BatonEngine

/// Everything `baton top` shows: the runs in display order, the selection, the size of the
/// screen and the overlays. A value, changed only by `TopUpdate`.
public struct TopState: Sendable {
    /// The person at the screen (`OperatorIdentity.current`), whom "waiting on you" means.
    public var user: String
    /// The state directory shown (its runs folder is watched).
    public var stateDirectory: String
    public var width: Int
    public var height: Int
    /// The clock, seconds since 1970.
    public var now: Double
    /// The runs, in display order (`TopOrder`).
    public private(set) var runs: [TopRun] = []
    /// The widths the columns' texts want for these runs (`TopColumns.preferredWidths`),
    /// measured when the runs change.
    public private(set) var columnWidths = TopColumns.preferredWidths([])
    /// The selected run's id: the selection follows the run as rows move, unless it is on the
    /// first row, where it stays (a wall screen nobody touches keeps the top row selected, and
    /// a run that comes to the top, one waiting on you, is the one Enter opens).
    public private(set) var selectedID: String?
    /// The first row shown in the list.
    public private(set) var top = 0
    /// The help overlay, while it is open.
    public var help: Dialog?
    /// The status line: the last action's result, or why it could not be done.
    public var status: StatusLine?
    /// Whether the first reading of the runs is over (until then the list says it is reading).
    public var loaded = false
    /// What keeps the watch from being complete (no runs folder yet, runs beyond the watch
    /// limit); nil when everything is watched.
    public var watchNotice: String?
    /// Whether the terminal shows UTF-8 (the help's marks are drawn as the list draws them).
    public var unicode = true
    /// The run the last click selected and when (`now` then): a second click on it soon after
    /// opens it, as Enter does.
    public var lastClick: (runID: String, time: Double)?
    /// The keys: the built-in table with the config file's `top_keys:` applied.
    public let keymap: TopKeymap

    public init(user: String, stateDirectory: String, width: Int, height: Int, now: Double, keymap: TopKeymap = .standard) {
        self.user = user
        self.keymap = keymap
        self.stateDirectory = stateDirectory
        self.width = width
        self.height = height
        self.now = now
    }

    /// The selected row's index in `runs`.
    public var selectedIndex: Int? {
        guard let selectedID else { return nil }
        return runs.firstIndex { $0.id == selectedID }
    }

    public var selectedRun: TopRun? { selectedIndex.map { runs[$0] } }

    /// How many runs wait on the person at the screen.
    public var waitingOnMe: Int { runs.count { $0.waitsOnMe } }

    /// How many runs a Baton serves.
    public var liveCount: Int { runs.count { $0.isLive } }

    // MARK: Changing the runs

    /// Adds the runs, or replaces the ones already shown, and puts them in order. The selection
    /// stays on its run; without one, the first row is selected.
    public mutating func upsert(_ changed: [TopRun]) {
        guard !changed.isEmpty else { return }
        var byID = Dictionary(runs.map { ($0.id, $0) }, uniquingKeysWith: { _, new in new })
        for run in changed { byID[run.id] = run }
        reorder(Array(byID.values))
    }

    /// Takes runs off the list (their directories went away). A selected run that goes leaves
    /// the selection on the row that took its place.
    public mutating func remove(_ ids: Set<String>) {
        guard !ids.isEmpty else { return }
        let oldIndex = selectedIndex
        let kept = runs.filter { !ids.contains($0.id) }
        if let selectedID, ids.contains(selectedID), let oldIndex {
            self.selectedID = kept.isEmpty ? nil : kept[min(oldIndex, kept.count - 1)].id
        }
        reorder(kept)
    }

    private mutating func reorder(_ all: [TopRun]) {
        let onFirstRow = selectedIndex == 0
        runs = TopOrder.sorted(all)
        columnWidths = TopColumns.preferredWidths(runs)
        if onFirstRow || selectedIndex == nil { selectedID = runs.first?.id }
        keepSelectionVisible()
    }

    // MARK: Moving

    /// Rows the list shows at the current size.
    public var visibleRows: Int { TopLayout(width: width, height: height).list.height }

    /// Selects the run at a position of the list (a click on its row).
    public mutating func select(_ index: Int) {
        guard runs.indices.contains(index) else { return }
        selectedID = runs[index].id
        keepSelectionVisible()
    }

    /// Moves the selection by `delta` rows, stopping at the ends.
    public mutating func move(by delta: Int) {
        guard !runs.isEmpty else { return }
        let index = max(0, min(runs.count - 1, (selectedIndex ?? 0) + delta))
        selectedID = runs[index].id
        keepSelectionVisible()
    }

    /// Scrolls so the selected row is on screen, and never leaves rows empty below the last run
    /// that could be filled.
    public mutating func keepSelectionVisible() {
        let rows = max(1, visibleRows)
        top = max(0, min(top, runs.count - rows))
        guard let index = selectedIndex else { return }
        if index < top { top = index }
        if index >= top + rows { top = index - rows + 1 }
    }

    // MARK: The clock

    /// When a shown time next changes, in seconds since 1970, rounded up to a whole second so
    /// that runs started at different fractions of a second share one redraw; nil when no row
    /// shows a running clock, so the screen sleeps until something happens.
    public var nextClockChange: Double? {
        var earliest: Double?
        for run in runs where run.hasRunningClock {
            guard let startedAt = run.startedAt else { continue }
            let change = startedAt + TopDuration.nextChange(after: now - startedAt)
            earliest = min(earliest ?? change, change)
        }
        return earliest.map { $0.rounded(.up) }
    }
}
