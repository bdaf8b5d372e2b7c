import BatonEngine

extension AppState {
    /// Whether the steps table shows step `index`: its state passes the state filter
    /// (`tableFilter`) and the finder's query keeps it (`tableNarrowing`).
    public func tableShows(_ index: Int) -> Bool {
        let current = stepState(index)
        if let tableFilter, current != tableFilter { return false }
        if let tableNarrowing, !tableNarrowing.keeps(index, in: current) { return false }
        return true
    }

    /// Whether the steps table leaves any step out.
    public var isTableFiltered: Bool { tableFilter != nil || tableNarrowing != nil }

    /// The steps the open finder lists: those the table shows, the best match first, or in
    /// file order while the query is empty.
    public var finderMatches: [Int] {
        if let tableNarrowing { return tableNarrowing.ranked.filter(tableShows) }
        return workflow.steps.indices.filter(tableShows)
    }

    /// The steps pane title's words on what the table shows: "only failed, matching 'web' ·
    /// 0 shows all", empty when it shows every step.
    public var tableFilterNote: String {
        var parts: [String] = []
        if let tableFilter { parts.append("only \(tableFilter.rawValue)") }
        if let tableNarrowing { parts.append("matching '\(VisibleText.escape(tableNarrowing.query))'") }
        guard !parts.isEmpty else { return "" }
        return " — " + parts.joined(separator: ", ") + " · 0 shows all"
    }

    /// What the steps table says when it shows no step.
    public var emptyTableText: String {
        let what = tableFilter.map { "no \($0.rawValue) step" } ?? "no step"
        if let tableNarrowing { return "\(what) matches '\(VisibleText.escape(tableNarrowing.query))' (0 shows every step)" }
        if let tableFilter { return "no step is \(tableFilter.rawValue) (F changes the filter, 0 shows every step)" }
        return "no steps"
    }
}
