import BatonTerminal

/// The columns of `baton top`'s list at a width: all of them on a wide screen, and as the
/// terminal narrows, first who started the run, then the hosts, the progress bar (its count
/// stays), the workflow, what the run waits for, the count and the elapsed time give way, so
/// the run id and its state always show. The hosts column shows only when a run has hosts.
public struct TopColumns: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case run, workflow, state, progressBar, progressCount, elapsed, hosts, waiting, user

        public var title: String {
            switch self {
            case .run: return "RUN"
            case .workflow: return "WORKFLOW"
            case .state: return "STATE"
            case .progressBar: return "PROGRESS"
            case .progressCount: return "DONE"
            case .elapsed: return "ELAPSED"
            case .hosts: return "HOSTS"
            case .waiting: return "WAITS FOR"
            case .user: return "BY"
            }
        }
    }

    public struct Column: Sendable, Hashable {
        public var kind: Kind
        public var x: Int
        public var width: Int
    }

    /// The liveness mark's columns, before the first column.
    public static let markWidth = 2
    /// Cells of the progress bar.
    public static let barCells = 10
    static let gap = 2

    public private(set) var columns: [Column] = []

    /// The sets tried, widest first; the first whose narrowest widths fit is used.
    static let candidates: [[Kind]] = [
        [.run, .workflow, .state, .progressBar, .elapsed, .waiting, .user],
        [.run, .workflow, .state, .progressBar, .elapsed, .waiting],
        [.run, .workflow, .state, .progressCount, .elapsed, .waiting],
        [.run, .state, .progressCount, .elapsed, .waiting],
        [.run, .state, .progressCount, .elapsed],
        [.run, .state, .elapsed],
        [.run, .state],
    ]

    /// Lays the columns out in `width` columns for these runs (their texts decide how wide a
    /// column would like to be).
    public init(width: Int, runs: [TopRun]) {
        self.init(width: width, wanted: Self.preferredWidths(runs))
    }

    /// Lays the columns out in `width` columns for the widths their texts want
    /// (`preferredWidths`, which `TopState` keeps as the runs change, so that a key or a tick
    /// does not measure every row again).
    public init(width: Int, wanted: [Kind: Int]) {
        let available = width - Self.markWidth
        let narrowest = Self.minimumWidths(wanted)
        func fits(_ kinds: [Kind], _ widths: (Kind) -> Int) -> Bool {
            kinds.map(widths).reduce(0, +) + Self.gap * (kinds.count - 1) <= available
        }
        // Whole texts before more columns: the first set whose texts fit whole (what the run
        // waits for, the longest, at its narrowest); else the first that fits at all.
        let whole = { (kind: Kind) in kind == .waiting ? narrowest[kind] ?? 0 : wanted[kind] ?? 0 }
        // When a run has hosts, the two widest sets show them after the elapsed time: who
        // started the run goes first, then the hosts.
        let withHosts = Self.candidates.prefix(2).map { kinds in kinds.flatMap { $0 == .elapsed ? [$0, .hosts] : [$0] } }
        let candidates = wanted[.hosts] == nil ? Self.candidates : withHosts + Self.candidates.dropFirst()
        let chosen = candidates.first { fits($0, whole) }
            ?? candidates.first { fits($0) { narrowest[$0] ?? 0 } }
            ?? [.run, .state]
        var widths = Dictionary(uniqueKeysWithValues: chosen.map { ($0, narrowest[$0] ?? 0) })
        var spare = available - widths.values.reduce(0, +) - Self.gap * (chosen.count - 1)
        // Room left grows the columns toward what their texts want, the essential ones first;
        // what is still left goes to what the run waits for, the longest text.
        let growth: [Kind] = [.run, .state, .elapsed, .hosts, .progressCount, .progressBar, .user, .workflow, .waiting]
        for kind in growth where spare > 0 {
            guard let current = widths[kind] else { continue }
            let add = min(spare, max(0, (wanted[kind] ?? current) - current))
            widths[kind] = current + add
            spare -= add
        }
        if spare > 0, let flexible = [.waiting, .workflow].first(where: { widths[$0] != nil }) {
            widths[flexible, default: 0] += spare
        }
        var x = Self.markWidth
        for kind in chosen {
            let columnWidth = max(0, widths[kind] ?? 0)
            columns.append(Column(kind: kind, x: x, width: columnWidth))
            x += columnWidth + Self.gap
        }
    }

    /// Whether a column of this kind is shown.
    public func shows(_ kind: Kind) -> Bool { columns.contains { $0.kind == kind } }

    /// The widths the columns' texts want, titles included.
    public static func preferredWidths(_ runs: [TopRun]) -> [Kind: Int] {
        // As drawn: escaped, so a control character in an id takes the columns its escape does.
        func widest(_ kind: Kind) -> Int {
            max(TextWidth.of(kind.title), runs.map { TextWidth.of(TopRow.text(kind, $0, now: 0, unicode: true)) }.max() ?? 0)
        }
        let count = max(3, runs.map { TextWidth.of(TopRow.countText($0)) }.max() ?? 0)
        var widths: [Kind: Int] = [
            .run: widest(.run),
            .workflow: min(30, widest(.workflow)),
            .state: min(23, widest(.state)),
            .progressBar: max(TextWidth.of(Kind.progressBar.title), barCells + 1 + count),
            .progressCount: max(TextWidth.of(Kind.progressCount.title), count),
            .elapsed: max(TextWidth.of(Kind.elapsed.title), TopDuration.width),
            .waiting: widest(.waiting),
            .user: min(12, widest(.user)),
        ]
        if runs.contains(where: { $0.hosts > 0 }) { widths[.hosts] = widest(.hosts) }
        return widths
    }

    /// The narrowest each column may get before the layout drops it.
    private static func minimumWidths(_ wanted: [Kind: Int]) -> [Kind: Int] {
        [
            .run: min(wanted[.run] ?? 20, 20),
            .workflow: min(wanted[.workflow] ?? 8, 8),
            .state: min(wanted[.state] ?? 10, 10),
            .progressBar: wanted[.progressBar] ?? 14,
            .progressCount: wanted[.progressCount] ?? 5,
            .elapsed: wanted[.elapsed] ?? 7,
            .waiting: min(wanted[.waiting] ?? 12, 12),
            .user: min(wanted[.user] ?? 6, 6),
            .hosts: wanted[.hosts] ?? 5,
        ]
    }
}
