/// The step finder while it is open (`:`): the query being typed, the match chosen, and
/// where the console stood when it opened, which Esc goes back to.
///
/// The steps it matches are the table's narrowing (`AppState.tableNarrowing`), made afresh
/// for each change of the query; the finder lists the steps the table shows, best first
/// (`AppState.finderMatches`).
public struct StepFinder: Sendable {
    /// The query being typed, with its cursor: it edits like every text field (`LineEditor`).
    public var editor: LineEditor
    /// The query as typed.
    public var query: String { editor.text }
    /// The chosen match, by file position, which Enter jumps to: the best match as the query
    /// changes, then whichever ↑ and ↓ move to; nil while the query is empty and nothing
    /// was chosen.
    public var chosen: Int?
    /// What Esc puts back.
    public var origin: FinderOrigin

    public init(query: String, chosen: Int?, origin: FinderOrigin) {
        editor = LineEditor(query, limit: 200)
        self.chosen = chosen
        self.origin = origin
    }
}
