import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// The log pane's search goes on into the step's log file when the lines in memory run out,
/// as effects whose results come back as messages, and shows what only the file holds.
@Suite struct LogSearchUpdateTests {
    typealias S = ConsoleTestSupport

    /// A console whose run keeps its logs in `/runs/r/logs`.
    static let context = ConsoleContext(workflow: S.workflow, logDirectory: "/runs/r/logs")

    /// A state whose step `build` printed 20,000 numbered lines, of which the console holds the last 5,000.
    func floodedState() -> AppState {
        var state = S.state([S.step("build", .running, attempt: 1)])
        let bytes = Array((1...20_000).map { "line \($0)\n" }.joined().utf8)
        _ = ConsoleUpdate.update(&state, .engine(.output(OutputChunk(stepID: "build", stream: .stdout, bytes: bytes))), context: Self.context)
        state.focus = .logs
        return state
    }

    func update(_ state: inout AppState, _ messages: ConsoleMessage..., context: ConsoleContext = Self.context) -> [ConsoleEffect] {
        messages.flatMap { ConsoleUpdate.update(&state, $0, context: context) }
    }

    func search(_ text: String, in state: inout AppState, context: ConsoleContext = Self.context) -> [ConsoleEffect] {
        var effects = update(&state, .key(.character("/")), context: context)
        for character in text { effects += update(&state, .key(.character(character)), context: context) }
        return effects + update(&state, .key(.enter), context: context)
    }

    /// The lines a file search would read around `line`, numbered as the flooded log's are.
    func excerpt(around line: Int) -> LogExcerpt {
        let first = max(1, line - LogExcerpt.radius)
        let lines = (first...(line + LogExcerpt.radius)).map { OutputLine(stepID: "build", stream: .stdout, text: $0 == line ? "needle \($0)" : "line \($0)") }
        return LogExcerpt(stepID: "build", firstLine: first, lines: lines, focus: line, reachesEnd: false)
    }

    @Test func aSearchWithNoMatchInMemorySearchesTheLogFile() throws {
        var state = floodedState()
        state.focus = .graph
        let effects = search("needle", in: &state)
        let expected = LogFileSearch(serial: 1, stepID: "build", path: "/runs/r/logs/build.log", query: "needle", windowLines: StepLog.limit, excludesWindow: false)
        #expect(effects == [.searchLogFile(expected)])
        #expect(state.status?.text == "no line in memory matches 'needle'; searching logs/build.log…")
        #expect(state.shownExcerpt == nil)

        // The file holds it at line 3: the pane shows the lines around it, from the file.
        let result = LogFileSearchResult(totalLines: 20_000, windowStart: 15_001, matches: [3], matchCount: 1, excerpt: excerpt(around: 3))
        #expect(update(&state, .logFileSearched(expected, result)).isEmpty)
        #expect(state.status?.text == "'needle' found at line 3 of logs/build.log (before the window; the file holds it) — G goes back to the newest lines")
        #expect(state.shownExcerpt?.focus == 3)
        #expect(!state.panes.log.scroll.follows)
        #expect(state.focus == .logs, "the log pane takes the focus, so G acts on it")
        let screen = S.screen(state).lines
        #expect(screen.contains { $0.contains("file lines 1–203 of 20,000 in logs/build.log") })
        #expect(screen.contains { $0.contains("│ needle 3") })

        // G goes back to the newest lines in memory.
        _ = update(&state, .key(.character("G")))
        #expect(state.shownExcerpt == nil)
        #expect(state.panes.log.scroll.follows)
    }

    @Test func anAnswerToAnOlderSearchIsIgnored() {
        var state = floodedState()
        guard case .searchLogFile(let first)? = search("needle", in: &state).first else {
            Issue.record("no file search")
            return
        }
        _ = search("other", in: &state)
        let result = LogFileSearchResult(totalLines: 20_000, windowStart: 15_001, matches: [3], matchCount: 1, excerpt: excerpt(around: 3))
        _ = update(&state, .logFileSearched(first, result))
        #expect(state.shownExcerpt == nil)
        #expect(state.panes.log.fileResult == nil)
        #expect(state.status?.text == "no line in memory matches 'other'; searching logs/build.log…")
    }

    @Test func withoutALogFileOnlyTheLinesInMemoryAreSearchedAndTheStatusSaysSo() {
        var state = floodedState()
        #expect(search("needle", in: &state, context: S.context).isEmpty)
        #expect(state.status?.text == "no line matches 'needle' in the 5,000 lines in memory (this run keeps no log file to search)")

        var replay = floodedState()
        replay.replay = ReplayState(events: [], logs: [:], speed: 1, playing: false)
        #expect(search("needle", in: &replay).isEmpty)
        #expect(replay.status?.text == "no line matches 'needle' in the 5,000 lines in memory (a replay searches only those, not logs/build.log)")

        // A step that printed nothing has no file yet.
        var quiet = S.state()
        quiet.selected = 1
        #expect(search("needle", in: &quiet).isEmpty)
        #expect(quiet.status?.text == "no line matches 'needle': 'test' has printed nothing")
    }

    @Test func goingBackPastTheFirstMatchInMemorySearchesTheFileAndMovesThroughItsMatches() throws {
        var state = floodedState()
        // "line 1999" matches lines 19,990 to 19,999, all in memory.
        #expect(search("line 1999", in: &state).isEmpty)
        #expect(state.panes.log.matches.count == 10)
        for _ in 0..<9 { _ = update(&state, .key(.character("N"))) }
        #expect(state.panes.log.current == 0)
        // Back past the first of them: the file is searched.
        let effects = update(&state, .key(.character("N")))
        let search = LogFileSearch(serial: 1, stepID: "build", path: "/runs/r/logs/build.log", query: "line 1999", windowLines: StepLog.limit, excludesWindow: true)
        #expect(effects == [.searchLogFile(search)])
        let result = LogFileSearchResult(totalLines: 20_000, windowStart: 15_001, matches: [1_950, 1_999, 9_000], matchCount: 3, excerpt: excerpt(around: 9_000))
        _ = update(&state, .logFileSearched(search, result))
        #expect(state.shownExcerpt?.focus == 9_000)
        #expect(state.status?.text == "'line 1999' found on 3 lines of logs/build.log that are not in memory; showing the nearest, line 9,000 (before the window) — n and N move, G goes back")

        // The excerpt around line 9,000 does not hold line 1,999: it is read.
        let read = update(&state, .key(.character("N")))
        let request = LogExcerptRequest(serial: 2, stepID: "build", path: "/runs/r/logs/build.log", line: 1_999)
        #expect(read == [.readLogExcerpt(request)])
        #expect(state.shownExcerpt?.focus == 9_000, "the pane shows the old excerpt until the new one is read")
        _ = update(&state, .logExcerptRead(request, excerpt(around: 1_999)))
        #expect(state.shownExcerpt?.focus == 1_999)
        #expect(state.status?.text == "match 2 of 3 in logs/build.log: line 1,999, before the window — G goes back to the newest lines")

        // The excerpt around line 1,999 holds line 1,950 with the lines around it: no read.
        #expect(update(&state, .key(.character("N"))).isEmpty)
        #expect(state.shownExcerpt?.focus == 1_950)
        // Before the oldest match the search goes round to the newest, in memory.
        #expect(update(&state, .key(.character("N"))).isEmpty)
        #expect(state.shownExcerpt == nil)
        #expect(state.panes.log.current == 9)
        #expect(state.status?.text == "match 10 of 10 in memory (3 more in the file)")
        // And n from the newest goes round to the oldest, in the file.
        #expect(update(&state, .key(.character("n"))) == [.readLogExcerpt(LogExcerptRequest(serial: 3, stepID: "build", path: "/runs/r/logs/build.log", line: 1_950))])
    }

    @Test func selectingAnotherStepForgetsTheFileSearch() {
        var state = floodedState()
        let search = LogFileSearch(serial: 1, stepID: "build", path: "/runs/r/logs/build.log", query: "needle", windowLines: StepLog.limit, excludesWindow: false)
        #expect(self.search("needle", in: &state) == [.searchLogFile(search)])
        _ = update(&state, .logFileSearched(search, LogFileSearchResult(totalLines: 20_000, windowStart: 15_001, matches: [3], matchCount: 1, excerpt: excerpt(around: 3))))
        #expect(state.shownExcerpt != nil)
        ConsoleUpdate.select(1, in: &state, context: Self.context)
        #expect(state.panes.log.excerpt == nil)
        #expect(state.panes.log.fileSearch == nil)
    }
}
