/// The order of `baton top`'s rows: runs waiting on you first, then live runs, then the rest.
///
/// Within the first two groups the newest run (latest start) comes first; among runs nobody
/// serves, the one that ended (or was last heard of) most recently comes first. Ties go to the
/// greater id, which is the later start.
public enum TopOrder {
    /// The groups, in the order they are shown.
    public enum Group: Int, Sendable, Comparable {
        case waitingOnYou = 0, live, ended

        public static func < (lhs: Group, rhs: Group) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public static func group(of run: TopRun) -> Group {
        if run.waitsOnMe { return .waitingOnYou }
        return run.isLive ? .live : .ended
    }

    /// The runs in display order.
    public static func sorted(_ runs: [TopRun]) -> [TopRun] {
        runs.sorted(by: precedes)
    }

    /// Whether `a` is shown above `b`.
    public static func precedes(_ a: TopRun, _ b: TopRun) -> Bool {
        let (groupA, groupB) = (group(of: a), group(of: b))
        if groupA != groupB { return groupA < groupB }
        let (timeA, timeB) = (recency(a, in: groupA), recency(b, in: groupB))
        if timeA != timeB { return timeA > timeB }
        return a.id > b.id
    }

    /// What "newest" means in a run's group: its start while it is live, else its end (or the
    /// last thing it recorded). A run whose journal tells no time sorts last in its group.
    private static func recency(_ run: TopRun, in group: Group) -> Double {
        let time = group == .ended ? (run.isFinished ? run.finishedAt : nil) ?? run.lastHeard ?? run.startedAt : run.startedAt
        return time ?? -.infinity
    }
}
