/// What `TopFeed` posted that the screen has not taken yet, kept as the latest row per run, so
/// that however long the screen is busy (a `baton attach` on the terminal for hours, say) it
/// holds at most one row per run and not every change on the way.
struct TopInbox: Sendable {
    private var runs: [String: TopRun] = [:]
    private var removed: Set<String> = []
    private var loaded = false
    /// The latest watch notice posted, if one was (an inner nil clears the notice).
    private var notice: String??

    var isEmpty: Bool { runs.isEmpty && removed.isEmpty && !loaded && notice == nil }

    /// Adds what was posted; a later row of a run replaces an earlier one, and a removal and a
    /// row of the same run leave whichever came last.
    mutating func take(_ messages: [TopMessage]) {
        for message in messages {
            switch message {
            case .runs(let changed):
                for run in changed {
                    runs[run.id] = run
                    removed.remove(run.id)
                }
            case .removed(let ids):
                for id in ids { runs[id] = nil }
                removed.formUnion(ids)
            case .loaded:
                loaded = true
            case .watchNotice(let text):
                notice = .some(text)
            case .key, .mouse, .resize, .tick, .childEnded:
                // Not the feed's: the runner gives these to `update` itself.
                break
            }
        }
    }

    /// The messages that bring the screen up to date, and an empty inbox.
    mutating func drain() -> [TopMessage] {
        var messages: [TopMessage] = []
        if !removed.isEmpty { messages.append(.removed(removed)) }
        if !runs.isEmpty { messages.append(.runs(Array(runs.values))) }
        if loaded { messages.append(.loaded) }
        if let notice { messages.append(.watchNotice(notice)) }
        self = TopInbox()
        return messages
    }
}
