/// The step finder while it is open (`:`): the query being typed, the match chosen, and
/// where the console stood when it opened, which Esc goes back to.
///
/// The steps it matches are the table's narrowing (`AppState.tableNarrowing`), made afresh
/// for each change of the query; the finder lists the steps the table shows, best first
/// (`AppState.finderMatches`).
public struct StepFinder: Sendable {
    /// The query as typed. `ConsoleUpdate.editFinderQuery` is the one place that edits it.
    public var query: String
    /// The chosen match, by file position, which Enter jumps to: the best match as the query
    /// changes, then whichever ↑ and ↓ move to; nil while the query is empty and nothing
    /// was chosen.
    public var chosen: Int?
    /// What Esc puts back.
    public var origin: FinderOrigin

    public init(query: String, chosen: Int?, origin: FinderOrigin) {
        self.query = query
        self.chosen = chosen
        self.origin = origin
    }
}
