import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

@Suite struct PaneRenderTests {
    typealias S = ConsoleTestSupport
    let theme = Theme.builtInDark

    private func render(_ widget: some Widget, width: Int, height: Int) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        widget.render(into: &buffer, area: buffer.area)
        return buffer
    }

    @Test func headerShowsRunStateCountsAndPausedBanner() {
        var state = S.state([S.step("build", .running, attempt: 1), RunEvent(kind: .runPaused)])
        state.now = 1_000_012.5
        let buffer = render(HeaderView(state: state, theme: theme, unicode: true), width: 110, height: 2)
        #expect(buffer.lines[0] == " Baton  shop  run 20261122-101500-abcd   ‖ PAUSED — nothing new starts (p resumes)   12s")
        #expect(buffer.lines[1] == " · 4 pending  ▶ 1 running")
        let paused = buffer.lines[0].distance(from: buffer.lines[0].startIndex, to: buffer.lines[0].range(of: "PAUSED")!.lowerBound)
        #expect(buffer[paused, 0].style == theme.style(.paused))
    }

    @Test func theClockStopsWhenTheRunFinishes() {
        var events: [RunEvent] = []
        for id in ["build", "test", "db", "gate", "ship"] {
            events += [S.step(id, .running, attempt: 1), S.step(id, .succeeded, exitCode: 0)]
        }
        var finished = RunEvent(kind: .runFinished)
        finished.outcome = .succeeded
        events.append(finished)
        var state = S.state(events)  // every event is stamped 10 s after the start
        state.now = 1_000_500
        let buffer = render(HeaderView(state: state, theme: theme, unicode: true), width: 110, height: 2)
        #expect(buffer.lines[0].contains(" SUCCEEDED "))
        #expect(buffer.lines[0].hasSuffix(" 10s"), "the clock shows when the last step ended, not now: \(buffer.lines[0])")
    }

    @Test func headerMarksAttention() {
        var state = S.state([S.step("build", .running, attempt: 1), S.step("build", .failed, exitCode: 1)])
        state.attention = [Attention(step: "build", text: "'build' failed")]
        let buffer = render(HeaderView(state: state, theme: theme, unicode: true), width: 80, height: 2)
        #expect(buffer.lines[1].hasSuffix(" ⚠ 'build' failed — ! jumps"))
    }

    /// Where the counts leave too little room, the mark gives up its hint, then is cut with
    /// "…", and goes when even that would say nothing.
    @Test func theAttentionMarkNarrowsWithAnEllipsis() {
        var state = S.state([S.step("build", .running, attempt: 1), S.step("build", .failed, exitCode: 1),
                             S.step("test", .running, attempt: 1)])
        state.attention = [Attention(step: "build", text: "'build' failed: exited with code 1")]
        let counts = " · 3 pending  ▶ 1 running  ✘ 1 failed"
        func second(_ width: Int) -> String { render(HeaderView(state: state, theme: theme, unicode: true), width: width, height: 2).lines[1] }
        #expect(second(90).hasPrefix(counts) && second(90).hasSuffix("  ⚠ 'build' failed: exited with code 1 — ! jumps"), "\(second(90))")
        #expect(second(80).hasPrefix(counts) && second(80).hasSuffix("  ⚠ 'build' failed: exited with code 1"), "\(second(80))")
        #expect(second(60) == counts + "   ⚠ 'build' failed: …", "\(second(60))")
        #expect(second(48) == counts, "no room for a mark that says something")
    }

    @Test func tableShowsAttemptsDurationsAndNeeds() {
        var state = S.state([S.step("build", .running, attempt: 1), S.step("build", .retrying, exitCode: 1),
                             S.step("build", .running, attempt: 2)])
        state.now = 1_000_013
        let buffer = render(StepTable(state: state, grouping: StepGrouping(workflow: state.workflow), theme: theme, unicode: true), width: 90, height: 7)
        #expect(buffer.lines[0] == "STEP  STATE          TRY  TIME   START    NEEDS")
        #expect(buffer.lines[1].hasPrefix("build ▶ running      2/3  3.0s   "))
        #expect(buffer.lines[4] == "gate  · pending      –    –      –        test, db")
        // The selected row (build) is highlighted.
        #expect(buffer[0, 1].style.background == theme.style(.selection).background)
    }

    @Test func aNarrowTableShowsStatesAsGlyphsAndKeepsEveryColumn() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        state.now = 1_000_013
        let buffer = render(StepTable(state: state, grouping: StepGrouping(workflow: state.workflow), theme: theme, unicode: true), width: 41, height: 7)
        #expect(buffer.lines[0] == "STEP  S TRY  TIME   START    NEEDS")
        #expect(buffer.lines[1].hasPrefix("build ▶ 1/3  3.0s   "))
        #expect(buffer.lines[4].hasSuffix("test, db"))
    }

    @Test func footerKeepsHelpAndQuitWhenHintsDoNotFit() {
        let wide = render(FooterView(theme: theme, searchPrompt: nil), width: 200, height: 1).lines[0]
        let narrow = render(FooterView(theme: theme, searchPrompt: nil), width: 60, height: 1).lines[0]
        #expect(narrow.hasSuffix("? help  q quit"))
        #expect(narrow.count < wide.count)
        #expect(narrow.hasPrefix("Tab pane"))
    }

    @Test func tableFilterShowsOneState() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        state.tableFilter = .pending
        let buffer = render(StepTable(state: state, grouping: StepGrouping(workflow: state.workflow), theme: theme, unicode: true), width: 90, height: 7)
        #expect(buffer.lines.dropFirst().filter { !$0.isEmpty }.count == 4)
        #expect(!buffer.lines.contains { $0.hasPrefix("build") })
    }

    @Test func logSearchHighlightsMatchesAndTheCurrentOne() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        for text in ["alpha", "error: disk full", "beta", "another error here"] {
            state.logs["build", default: StepLog()].append(OutputLine(stepID: "build", stream: text.hasPrefix("error") ? .stderr : .stdout, text: text))
        }
        state.panes.log.query = "error"
        state.panes.log.matches = [1, 3]
        state.panes.log.current = 1
        state.panes.log.scroll.follows = false
        state.panes.log.scroll.top = 0
        let buffer = render(LogView(state: state, theme: theme, unicode: true), width: 30, height: 4)
        #expect(buffer.lines == ["│ alpha", "! error: disk full", "│ beta", "│ another error here"])
        #expect(buffer[2, 1].style == theme.style(.searchMatch))
        #expect(buffer[7, 1].style != theme.style(.searchMatch))
        #expect(buffer[10, 3].style == theme.style(.searchCurrent))
        #expect(buffer[2, 1].style != buffer[10, 3].style)
    }

    @Test func theEarlierLinesNoticeHasARowOfItsOwn() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        // 200,000 lines, each longer than the notice; the console keeps the last 5,000.
        let bytes = Array((1...200_000).map { "line \($0) " + String(repeating: "x", count: 70) + "\n" }.joined().utf8)
        state.logs["build", default: StepLog()].append(OutputChunk(stepID: "build", stream: .stdout, bytes: bytes))
        state.panes.log.scroll.follows = false
        state.panes.log.scroll.top = 0
        let buffer = render(LogView(state: state, theme: theme, unicode: true), width: 80, height: 4)
        // The notice fills its row, the rest of the row cleared, and hides no line: the first
        // line in memory (line 195,001) is on the row below it.
        #expect(buffer.lines[0] == "  195,000 earlier lines in logs/build.log · / searches them too")
        #expect(buffer.lines[1].hasPrefix("│ line 195001 xxxx"))
        #expect(buffer.lines[3].hasPrefix("│ line 195003 xxxx"))
        #expect((0..<80).allSatisfy { buffer[$0, 0].style == theme.style(.muted) })
        // Scrolled down, the row holds a line again.
        state.panes.log.scroll.top = 1
        let scrolled = render(LogView(state: state, theme: theme, unicode: true), width: 80, height: 4)
        #expect(scrolled.lines[0].hasPrefix("│ line 195002 xxxx"))
    }

    @Test func logWrapBreaksLongLines() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        state.logs["build", default: StepLog()].append(OutputLine(stepID: "build", stream: .stdout, text: "one two three four five six"))
        state.panes.log.wrap = true
        let buffer = render(LogView(state: state, theme: theme, unicode: true), width: 14, height: 3)
        #expect(buffer.lines == ["│ one two", "  three four", "  five six"])
        state.panes.log.wrap = false
        let cut = render(LogView(state: state, theme: theme, unicode: true), width: 14, height: 3)
        #expect(cut.lines[0] == "│ one two thr…")
    }

    @Test func dialogShowsPromptApproversAndComment() {
        var dialog = Dialog(kind: .decision(step: "gate", approve: true), title: "Approve 'gate'", lines: ["Ship it?", "Approvers: alice, bob"])
        dialog.comment = LineEditor("ok")
        let buffer = render(DialogView(dialog: dialog, theme: theme, unicode: true), width: 40, height: 9)
        #expect(buffer.lines == [
            "",
            "       ┌─ Approve 'gate' ──────┐",
            "       │ Ship it?              │",
            "       │ Approvers: alice, bob │",
            "       │                       │",
            "       │ comment: ok           │",
            "       └───────────────────────┘",
            "",
            "",
        ])
        // The cursor is the reversed cell after "ok", and only it.
        #expect((0..<40).filter { buffer[$0, 5].style.attributes.contains(.reverse) } == [20])
    }

    @Test func detailsShowAMultiLineCommandLineByLine() throws {
        let workflow = Workflow(name: "w", steps: [Step(id: "loop", run: "for i in 1 2; do\n  echo $i\ndone\n")])
        let state = AppState(workflow: workflow, user: "alice", width: 80, height: 24, now: 0)
        let texts = DetailsView(state: state, plan: Plan(workflow: workflow), theme: theme).lines().map(\.0)
        let start = try #require(texts.firstIndex(of: "run: for i in 1 2; do"))
        #expect(Array(texts[start...].prefix(3)) == ["run: for i in 1 2; do", "    echo $i", "  done"])
        #expect(!texts.contains { $0.contains("\n") })
    }

    @Test func detailsShowRetryLimitsAndMultiLineOutputsIndented() throws {
        let retry = RetryPolicy(
            attempts: 5, backoff: .seconds(2), maxBackoff: .seconds(30), factor: 1.5, onExitCodes: [75, 111], maxDuration: .seconds(600))
        let workflow = Workflow(name: "w", steps: [Step(id: "notes", run: "make notes", retry: retry)])
        var state = AppState(workflow: workflow, user: "alice", width: 80, height: 24, now: 0)
        var started = RunEvent(seq: 1, time: 0, kind: .runStarted)
        started.steps = ["notes"]
        try state.run.apply(started)
        var running = RunEvent.step("notes", .running, attempt: 1)
        running.seq = 2
        try state.run.apply(running)
        var done = RunEvent.step("notes", .succeeded, exitCode: 0, outputs: ["version": "1.4", "changelog": "fix a\n\nfix b", "tag": "v1"])
        done.seq = 3
        try state.run.apply(done)
        let texts = DetailsView(state: state, plan: Plan(workflow: workflow), theme: theme).lines().map(\.0)
        #expect(texts.contains("retry: 5 attempts, backoff 2.0s ×1.5, at most 30s; exit codes 75, 111 only; within 10m00s"), "\(texts)")
        // One output a line, each aligned under the first, a multi-line value's lines under its key.
        let start = try #require(texts.firstIndex(of: "outputs: changelog=fix a"), "\(texts)")
        #expect(Array(texts[start...].prefix(5)) == [
            "outputs: changelog=fix a", "           ", "           fix b", "         tag=v1", "         version=1.4",
        ])
    }

    @Test func aLongConfirmationKeepsItsKeysInView() {
        let lines = ["These steps are rolled back first:"] + (1...30).map { "  ↶ s\($0)" } + ["", "Enter rolls back · Esc keeps everything"]
        let dialog = Dialog(kind: .confirm(.rollback(step: "s0")), title: "Roll back 's0'?", lines: lines)
        let buffer = render(DialogView(dialog: dialog, theme: theme, unicode: true), width: 50, height: 12)
        // The keys and the comment field stay in view; the list gives way.
        #expect(buffer.lines == [
            "",
            "   ┌─ Roll back 's0'? ───────────────────────┐",
            "   │ These steps are rolled back first:      │",
            "   │   ↶ s1                                  │",
            "   │   ↶ s2                                  │",
            "   │   ↶ s3                                  │",
            "   │ … and 28 more                           │",
            "   │ Enter rolls back · Esc keeps everything │",
            "   │                                         │",
            "   │ comment:                                │",
            "   └─────────────────────────────────────────┘",
            "",
        ])
    }

    @Test func tooSmallTerminalSaysWhatItNeeds() {
        let state = S.state(width: 40, height: 10)
        let buffer = S.screen(state)
        #expect(buffer.lines.contains { $0.contains("terminal too small (need 60×16)") })
        #expect(buffer.lines.contains { $0.contains("now 40×10") })
        // Narrower than the sentence, what it needs still shows whole, on a line of its own.
        let narrow = S.screen(S.state(width: 24, height: 8))
        #expect(narrow.lines.map { $0.split(separator: " ").joined(separator: " ") }.filter { !$0.isEmpty }
            == ["terminal too small", "need 60×16", "now 24×8", "q quits"], "\(narrow.lines)")
        for (width, height) in [(1, 1), (0, 0), (2, 50), (300, 3)] {
            let tiny = S.screen(S.state(width: width, height: height))
            #expect(tiny.width == width && tiny.height == height)
        }
    }

    @Test func detailsSayWhyAStepIsNotRunning() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        state.selected = 1
        #expect(StepExplanation.why(1, in: state, plan: S.context.plan) == "waiting for: build (running 1/3)")
        state = S.state([S.step("build", .running, attempt: 1), S.step("build", .failed, exitCode: 1),
                         S.step("test", .blocked, reason: "upstream 'build' failed")])
        #expect(StepExplanation.why(1, in: state, plan: S.context.plan) == "blocked: upstream 'build' failed (r retries · s skips · c cancels)")
        state = S.state([S.step("gate", .held, reason: "held by carol")])
        #expect(StepExplanation.why(3, in: state, plan: S.context.plan) == "held by carol (s skips · c cancels · o releases)")
    }

    @Test func aStepWithAStateFunctionDoesNotSayItWaitsForAFailedNeed() throws {
        let workflow = Workflow(name: "w", steps: [
            Step(id: "test", run: "make test"),
            Step(id: "lint", run: "make lint"),
            Step(id: "report", run: "report", needs: ["test", "lint"], when: try ConditionParser.parse("always()")),
        ])
        var state = AppState(workflow: workflow, user: "alice", width: 120, height: 36, now: 1_000_100)
        var started = RunEvent(seq: 1, time: 1_000_000, kind: .runStarted)
        started.steps = workflow.stepIDs
        try state.run.apply(started)
        for var event in [S.step("test", .running), S.step("test", .failed, exitCode: 1), S.step("lint", .running)] {
            event.seq = state.run.lastSeq + 1
            try state.run.apply(event)
        }
        #expect(StepExplanation.why(2, in: state, plan: Plan(workflow: workflow)) == "waiting for: lint (running)")
    }

    @Test func helpListsEveryBinding() {
        let lines = HelpText.lines()
        for binding in Keymap.defaultBindings {
            #expect(lines.contains { $0.contains(binding.help) }, "missing \(binding.action)")
        }
    }

    @Test func wholeScreenRendersEveryPane() {
        let buffer = S.screen(S.state())
        let text = buffer.lines.joined(separator: "\n")
        for title in ["Graph", "Details", "Steps", "Log"] { #expect(text.contains(title)) }
        #expect(buffer.lines.last?.contains("? help") == true)
    }
}

@Suite struct HelpOverlayTests {
    @Test func aLongHelpSaysHowToScroll() {
        let dialog = Dialog(kind: .help, title: "Keys", lines: HelpText.lines())
        var buffer = Buffer(width: 100, height: 20)
        DialogView(dialog: dialog, theme: .builtInDark, unicode: true).render(into: &buffer, area: buffer.area)
        let bottom = buffer.lines.last { $0.contains("└") } ?? ""
        #expect(bottom.contains("more: j/k or PgDn scroll"))
    }
}
