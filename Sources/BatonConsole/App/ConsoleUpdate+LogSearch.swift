import BatonEngine
import BatonTerminal

/// The log pane's search. It searches the lines in memory at once; when they hold no match,
/// or `N` goes back past the first of them, it asks for a search of the step's log file
/// (`LogFileSearch`, an effect the runner carries out off the console's thread) and shows a
/// match that only the file holds as an excerpt of the file around it (`LogExcerpt`).
extension ConsoleUpdate {
    // MARK: - Typing a search

    /// Takes a key while the search prompt is open: Enter searches, Esc (or Ctrl-C) closes the prompt,
    /// and every other key goes to the query's `LineEditor`.
    static func handleSearchInput(_ key: Key, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        guard var prompt = state.panes.log.typing else { return [] }
        switch key {
        case .escape, .control("c"):
            // Ctrl-C drops the line, as in a shell and in the dialogs.
            state.panes.log.typing = nil
        case .enter:
            state.panes.log.typing = nil
            let text = prompt.text
            state.panes.log.query = text
            forgetFileSearch(&state)
            recomputeMatches(&state)
            if text.isEmpty {
                state.status = StatusLine("search cleared", isError: false, time: state.now)
            } else if state.panes.log.matches.isEmpty {
                return searchFile(&state, context: context)
            } else {
                state.panes.log.current = state.panes.log.matches.count - 1
                state.panes.log.scroll.follows = false
                var further = ""
                if let id = state.selectedStep?.id, state.replay == nil, context.logPath(for: id) != nil, state.logs[id]?.dropped ?? 0 > 0 {
                    further = " (N past the first goes on into logs/\(id).log)"
                }
                state.status = StatusLine("\(state.panes.log.matches.count) matching lines; n and N move between them\(further)", isError: false, time: state.now)
                centerOnMatch(&state, context: context)
            }
        default:
            // Every other key edits the query or does nothing: none reaches the console's
            // actions while the prompt is open.
            prompt.apply(key)
            state.panes.log.typing = prompt
        }
        return []
    }

    /// Finds the selected step's lines in memory that match the current query.
    static func recomputeMatches(_ state: inout AppState) {
        let query = state.panes.log.query
        guard !query.isEmpty, let id = state.selectedStep?.id, let lines = state.logs[id]?.lines else {
            state.panes.log.matches = []
            state.panes.log.current = 0
            return
        }
        state.panes.log.matches = lines.indices.filter { LogSearch.matches(lines[$0].text, query: query) }
        state.panes.log.current = min(state.panes.log.current, max(0, state.panes.log.matches.count - 1))
    }

    // MARK: - The log file

    /// Asks for a search of the selected step's log file for the lines before those in
    /// memory; where the console may not read the file, says that only those lines were searched.
    static func searchFile(_ state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        guard let id = state.selectedStep?.id else { return [] }
        let query = state.panes.log.query
        let held = state.logs[id]?.lines.count ?? 0
        guard held > 0 else {
            // The log file is made with the first output: there is nothing to read yet.
            state.status = StatusLine("no line matches '\(query)': '\(id)' has printed nothing", isError: true, time: state.now)
            return []
        }
        guard state.replay == nil, let path = context.logPath(for: id) else {
            let reason = state.replay != nil ? "a replay searches only those, not logs/\(id).log" : "this run keeps no log file to search"
            state.status = StatusLine("no line matches '\(query)' in the \(Format.count(held)) lines in memory (\(reason))", isError: true, time: state.now)
            return []
        }
        state.panes.log.fileReadSerial += 1
        let search = LogFileSearch(
            serial: state.panes.log.fileReadSerial, stepID: id, path: path, query: query, windowLines: held,
            excludesWindow: !state.panes.log.matches.isEmpty)
        state.panes.log.fileSearch = search
        state.panes.log.fileResult = nil
        state.status = StatusLine(
            state.panes.log.matches.isEmpty ? "no line in memory matches '\(query)'; searching logs/\(id).log…"
                : "searching logs/\(id).log for '\(query)' before the window…",
            isError: false, time: state.now)
        return [.searchLogFile(search)]
    }

    /// Takes up what a search of a log file found, if it is still the search the pane waits for.
    static func receive(_ search: LogFileSearch, found result: LogFileSearchResult?, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        guard state.panes.log.fileSearch == search, state.panes.log.fileResult == nil, state.selectedStep?.id == search.stepID else { return [] }
        let name = "logs/\(search.stepID).log"
        guard var result else {
            state.panes.log.fileResult = LogFileSearchResult(totalLines: 0, windowStart: 1, matches: [], matchCount: 0, excerpt: nil)
            state.status = StatusLine("\(name) cannot be read: only the lines in memory were searched", isError: true, time: state.now)
            return []
        }
        let excerpt = result.excerpt
        // The excerpt lives in `LogViewState.excerpt` while shown; the result keeps the matches.
        result.excerpt = nil
        state.panes.log.fileResult = result
        guard let excerpt, !excerpt.lines.isEmpty, let focus = result.matches.last else {
            state.status = state.panes.log.matches.isEmpty
                ? StatusLine("no line matches '\(search.query)', in memory or in \(name) (\(Format.count(result.totalLines)) lines)", isError: true, time: state.now)
                : StatusLine("no line before the window matches '\(search.query)'; N goes round to the newest match", isError: false, time: state.now)
            return []
        }
        show(excerpt, in: &state, context: context)
        state.status = StatusLine(
            result.matchCount == 1
                ? "'\(search.query)' found at line \(Format.count(focus)) of \(name) (\(result.place(of: focus)); the file holds it) — G goes back to the newest lines"
                : "'\(search.query)' found on \(Format.count(result.matchCount)) lines of \(name) that are not in memory; showing the nearest, line \(Format.count(focus)) (\(result.place(of: focus))) — n and N move, G goes back",
            isError: false, time: state.now)
        return []
    }

    /// Takes up the lines read around a match in a log file, if they are still awaited.
    static func receive(_ request: LogExcerptRequest, read excerpt: LogExcerpt?, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        guard state.panes.log.pendingExcerpt == request, state.selectedStep?.id == request.stepID else { return [] }
        state.panes.log.pendingExcerpt = nil
        guard let excerpt, !excerpt.lines.isEmpty else {
            state.status = StatusLine("logs/\(request.stepID).log cannot be read any more: line \(Format.count(request.line)) cannot be shown", isError: true, time: state.now)
            return []
        }
        show(excerpt, in: &state, context: context)
        state.status = StatusLine(fileMatchDescription(state), isError: false, time: state.now)
        return []
    }

    /// Forgets the search of the log file and the excerpt it showed: the query or the step changed.
    static func forgetFileSearch(_ state: inout AppState) {
        state.panes.log.fileSearch = nil
        state.panes.log.fileResult = nil
        leaveExcerpt(&state)
    }

    /// Goes back from an excerpt of the file to the lines in memory.
    static func leaveExcerpt(_ state: inout AppState) {
        state.panes.log.excerpt = nil
        state.panes.log.pendingExcerpt = nil
    }

    private static func show(_ excerpt: LogExcerpt, in state: inout AppState, context: ConsoleContext) {
        state.panes.log.excerpt = excerpt
        state.panes.log.pendingExcerpt = nil
        state.panes.log.scroll.follows = false
        // The pane takes the focus, so the keys the notice names (G, the arrows) act on it.
        state.focus = .logs
        centerOnFileMatch(&state, context: context)
    }

    /// "match 2 of 7 in logs/flood.log: line 12,345, before the window" — where `n` and `N` stand in the file.
    static func fileMatchDescription(_ state: AppState) -> String {
        guard let excerpt = state.shownExcerpt, let result = state.panes.log.fileResult,
              let position = state.panes.log.fileMatchPosition(of: excerpt.focus) else { return "" }
        return "match \(Format.count(position)) of \(Format.count(result.matchCount)) in logs/\(excerpt.stepID).log: line \(Format.count(excerpt.focus)), \(result.place(of: excerpt.focus)) — G goes back to the newest lines"
    }

    // MARK: - Moving between matches

    /// Moves to the next or previous match: through the lines in memory, then on into the
    /// matches only the file holds, which come before them.
    static func jumpToMatch(forward: Bool, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        let window = state.panes.log.matches
        let file = state.panes.log.fileMatches
        guard !window.isEmpty || !file.isEmpty else {
            let query = state.panes.log.query
            if query.isEmpty {
                state.status = StatusLine("no search yet: press / to search", isError: true, time: state.now)
            } else if let search = state.panes.log.fileSearch, state.panes.log.fileResult == nil {
                state.status = StatusLine("still searching logs/\(search.stepID).log for '\(query)'…", isError: false, time: state.now)
            } else {
                state.status = StatusLine("no line matches '\(query)'", isError: true, time: state.now)
            }
            return []
        }
        if let excerpt = state.shownExcerpt, let position = file.firstIndex(of: excerpt.focus) {
            if forward {
                if position + 1 < file.count { return goToFileMatch(file[position + 1], in: &state, context: context) }
                // After the last match before the window come those in it.
                if !window.isEmpty { return goToWindowMatch(0, in: &state, context: context) }
                return goToFileMatch(file[0], in: &state, context: context)
            }
            if position > 0 { return goToFileMatch(file[position - 1], in: &state, context: context) }
            if !window.isEmpty { return goToWindowMatch(window.count - 1, in: &state, context: context) }
            return goToFileMatch(file[file.count - 1], in: &state, context: context)
        }
        let current = min(state.panes.log.current, max(0, window.count - 1))
        if forward {
            if current + 1 < window.count { return goToWindowMatch(current + 1, in: &state, context: context) }
            if let first = file.first { return goToFileMatch(first, in: &state, context: context) }
            return goToWindowMatch(0, in: &state, context: context)
        }
        if current > 0, !window.isEmpty { return goToWindowMatch(current - 1, in: &state, context: context) }
        // Back past the first match in memory: the earlier lines are in the file.
        if state.panes.log.fileResult != nil {
            if let last = file.last { return goToFileMatch(last, in: &state, context: context) }
        } else if let search = state.panes.log.fileSearch {
            state.status = StatusLine("still searching logs/\(search.stepID).log for '\(state.panes.log.query)'…", isError: false, time: state.now)
            return []
        } else if state.replay == nil, let id = state.selectedStep?.id, context.logPath(for: id) != nil {
            return searchFile(&state, context: context)
        }
        return goToWindowMatch(window.count - 1, in: &state, context: context)
    }

    private static func goToWindowMatch(_ index: Int, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        leaveExcerpt(&state)
        state.panes.log.current = index
        state.panes.log.scroll.follows = false
        centerOnMatch(&state, context: context)
        let inFile = state.panes.log.fileResult?.matchCount ?? 0
        state.status = StatusLine(
            "match \(index + 1) of \(state.panes.log.matches.count)" + (inFile > 0 ? " in memory (\(Format.count(inFile)) more in the file)" : ""),
            isError: false, time: state.now)
        return []
    }

    /// Shows the match at `line` of the file: in the excerpt shown when it holds the line with
    /// a screenful around it, else by reading the lines around it.
    private static func goToFileMatch(_ line: Int, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        guard let search = state.panes.log.fileSearch else { return [] }
        if let excerpt = state.shownExcerpt, excerpt.shows(line, margin: context.logRows(state)) {
            state.panes.log.excerpt?.focus = line
            centerOnFileMatch(&state, context: context)
            state.status = StatusLine(fileMatchDescription(state), isError: false, time: state.now)
            return []
        }
        state.panes.log.fileReadSerial += 1
        let request = LogExcerptRequest(serial: state.panes.log.fileReadSerial, stepID: search.stepID, path: search.path, line: line)
        state.panes.log.pendingExcerpt = request
        state.status = StatusLine("reading line \(Format.count(line)) of logs/\(search.stepID).log…", isError: false, time: state.now)
        return [.readLogExcerpt(request)]
    }

    /// Scrolls so the current match sits in the middle of the log pane, with the lines around it visible.
    static func centerOnMatch(_ state: inout AppState, context: ConsoleContext) {
        guard state.panes.log.matches.indices.contains(state.panes.log.current) else { return }
        let line = state.panes.log.matches[state.panes.log.current]
        state.panes.log.scroll.top = max(0, line - context.logRows(state) / 2)
    }

    /// Scrolls the excerpt shown so its focus sits in the middle of the log pane.
    private static func centerOnFileMatch(_ state: inout AppState, context: ConsoleContext) {
        guard let excerpt = state.shownExcerpt else { return }
        state.panes.log.scroll.top = max(0, excerpt.focus - excerpt.firstLine - context.logRows(state) / 2)
    }
}
