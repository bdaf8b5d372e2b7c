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
        guard var prompt = state.logView.typing else { return [] }
        switch key {
        case .escape, .control("c"):
            // Ctrl-C drops the line, as in a shell and in the dialogs.
            state.logView.typing = nil
        case .enter:
            state.logView.typing = nil
            let text = prompt.text
            state.logView.query = text
            forgetFileSearch(&state)
            recomputeMatches(&state)
            if text.isEmpty {
                state.status = StatusLine("search cleared", isError: false, time: state.now)
            } else if state.logView.matches.isEmpty {
                return searchFile(&state, context: context)
            } else {
                state.logView.current = state.logView.matches.count - 1
                state.logView.follow = false
                var further = ""
                if let id = state.selectedStep?.id, state.replay == nil, context.logPath(for: id) != nil, state.logs[id]?.dropped ?? 0 > 0 {
                    further = " (N past the first goes on into logs/\(id).log)"
                }
                state.status = StatusLine("\(state.logView.matches.count) matching lines; n and N move between them\(further)", isError: false, time: state.now)
                centerOnMatch(&state, context: context)
            }
        default:
            // Every other key edits the query or does nothing: none reaches the console's
            // actions while the prompt is open.
            prompt.apply(key)
            state.logView.typing = prompt
        }
        return []
    }

    /// Finds the selected step's lines in memory that match the current query.
    static func recomputeMatches(_ state: inout AppState) {
        let query = state.logView.query
        guard !query.isEmpty, let id = state.selectedStep?.id, let lines = state.logs[id]?.lines else {
            state.logView.matches = []
            state.logView.current = 0
            return
        }
        state.logView.matches = lines.indices.filter { LogSearch.matches(lines[$0].text, query: query) }
        state.logView.current = min(state.logView.current, max(0, state.logView.matches.count - 1))
    }

    // MARK: - The log file

    /// Asks for a search of the selected step's log file for the lines before those in
    /// memory; where the console may not read the file, says that only those lines were searched.
    static func searchFile(_ state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        guard let id = state.selectedStep?.id else { return [] }
        let query = state.logView.query
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
        state.logView.fileReadSerial += 1
        let search = LogFileSearch(
            serial: state.logView.fileReadSerial, stepID: id, path: path, query: query, windowLines: held,
            excludesWindow: !state.logView.matches.isEmpty)
        state.logView.fileSearch = search
        state.logView.fileResult = nil
        state.status = StatusLine(
            state.logView.matches.isEmpty ? "no line in memory matches '\(query)'; searching logs/\(id).log…"
                : "searching logs/\(id).log for '\(query)' before the window…",
            isError: false, time: state.now)
        return [.searchLogFile(search)]
    }

    /// Takes up what a search of a log file found, if it is still the search the pane waits for.
    static func receive(_ search: LogFileSearch, found result: LogFileSearchResult?, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        guard state.logView.fileSearch == search, state.logView.fileResult == nil, state.selectedStep?.id == search.stepID else { return [] }
        let name = "logs/\(search.stepID).log"
        guard var result else {
            state.logView.fileResult = LogFileSearchResult(totalLines: 0, windowStart: 1, matches: [], matchCount: 0, excerpt: nil)
            state.status = StatusLine("\(name) cannot be read: only the lines in memory were searched", isError: true, time: state.now)
            return []
        }
        let excerpt = result.excerpt
        // The excerpt lives in `LogViewState.excerpt` while shown; the result keeps the matches.
        result.excerpt = nil
        state.logView.fileResult = result
        guard let excerpt, !excerpt.lines.isEmpty, let focus = result.matches.last else {
            state.status = state.logView.matches.isEmpty
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
        guard state.logView.pendingExcerpt == request, state.selectedStep?.id == request.stepID else { return [] }
        state.logView.pendingExcerpt = nil
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
        state.logView.fileSearch = nil
        state.logView.fileResult = nil
        leaveExcerpt(&state)
    }

    /// Goes back from an excerpt of the file to the lines in memory.
    static func leaveExcerpt(_ state: inout AppState) {
        state.logView.excerpt = nil
        state.logView.pendingExcerpt = nil
    }

    private static func show(_ excerpt: LogExcerpt, in state: inout AppState, context: ConsoleContext) {
        state.logView.excerpt = excerpt
        state.logView.pendingExcerpt = nil
        state.logView.follow = false
        // The pane takes the focus, so the keys the notice names (G, the arrows) act on it.
        state.focus = .logs
        centerOnFileMatch(&state, context: context)
    }

    /// "match 2 of 7 in logs/flood.log: line 12,345, before the window" — where `n` and `N` stand in the file.
    static func fileMatchDescription(_ state: AppState) -> String {
        guard let excerpt = state.shownExcerpt, let result = state.logView.fileResult,
              let position = state.logView.fileMatchPosition(of: excerpt.focus) else { return "" }
        return "match \(Format.count(position)) of \(Format.count(result.matchCount)) in logs/\(excerpt.stepID).log: line \(Format.count(excerpt.focus)), \(result.place(of: excerpt.focus)) — G goes back to the newest lines"
    }

    // MARK: - Moving between matches

    /// Moves to the next or previous match: through the lines in memory, then on into the
    /// matches only the file holds, which come before them.
    static func jumpToMatch(forward: Bool, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        let window = state.logView.matches
        let file = state.logView.fileMatches
        guard !window.isEmpty || !file.isEmpty else {
            let query = state.logView.query
            if query.isEmpty {
                state.status = StatusLine("no search yet: press / to search", isError: true, time: state.now)
            } else if let search = state.logView.fileSearch, state.logView.fileResult == nil {
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
        let current = min(state.logView.current, max(0, window.count - 1))
        if forward {
            if current + 1 < window.count { return goToWindowMatch(current + 1, in: &state, context: context) }
            if let first = file.first { return goToFileMatch(first, in: &state, context: context) }
            return goToWindowMatch(0, in: &state, context: context)
        }
        if current > 0, !window.isEmpty { return goToWindowMatch(current - 1, in: &state, context: context) }
        // Back past the first match in memory: the earlier lines are in the file.
        if state.logView.fileResult != nil {
            if let last = file.last { return goToFileMatch(last, in: &state, context: context) }
        } else if let search = state.logView.fileSearch {
            state.status = StatusLine("still searching logs/\(search.stepID).log for '\(state.logView.query)'…", isError: false, time: state.now)
            return []
        } else if state.replay == nil, let id = state.selectedStep?.id, context.logPath(for: id) != nil {
            return searchFile(&state, context: context)
        }
        return goToWindowMatch(window.count - 1, in: &state, context: context)
    }

    private static func goToWindowMatch(_ index: Int, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        leaveExcerpt(&state)
        state.logView.current = index
        state.logView.follow = false
        centerOnMatch(&state, context: context)
        let inFile = state.logView.fileResult?.matchCount ?? 0
        state.status = StatusLine(
            "match \(index + 1) of \(state.logView.matches.count)" + (inFile > 0 ? " in memory (\(Format.count(inFile)) more in the file)" : ""),
            isError: false, time: state.now)
        return []
    }

    /// Shows the match at `line` of the file: in the excerpt shown when it holds the line with
    /// a screenful around it, else by reading the lines around it.
    private static func goToFileMatch(_ line: Int, in state: inout AppState, context: ConsoleContext) -> [ConsoleEffect] {
        guard let search = state.logView.fileSearch else { return [] }
        if let excerpt = state.shownExcerpt, excerpt.shows(line, margin: context.logRows(state)) {
            state.logView.excerpt?.focus = line
            centerOnFileMatch(&state, context: context)
            state.status = StatusLine(fileMatchDescription(state), isError: false, time: state.now)
            return []
        }
        state.logView.fileReadSerial += 1
        let request = LogExcerptRequest(serial: state.logView.fileReadSerial, stepID: search.stepID, path: search.path, line: line)
        state.logView.pendingExcerpt = request
        state.status = StatusLine("reading line \(Format.count(line)) of logs/\(search.stepID).log…", isError: false, time: state.now)
        return [.readLogExcerpt(request)]
    }

    /// Scrolls so the current match sits in the middle of the log pane, with the lines around it visible.
    static func centerOnMatch(_ state: inout AppState, context: ConsoleContext) {
        guard state.logView.matches.indices.contains(state.logView.current) else { return }
        let line = state.logView.matches[state.logView.current]
        state.logView.top = max(0, line - context.logRows(state) / 2)
    }

    /// Scrolls the excerpt shown so its focus sits in the middle of the log pane.
    private static func centerOnFileMatch(_ state: inout AppState, context: ConsoleContext) {
        guard let excerpt = state.shownExcerpt else { return }
        state.logView.top = max(0, excerpt.focus - excerpt.firstLine - context.logRows(state) / 2)
    }
}
