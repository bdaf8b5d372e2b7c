import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

@Suite struct TimelineViewTests {
    let theme = Theme.builtInDark
    /// Three steps with ids of one and two cells: the id column is 2 wide, bars start at column 5.
    let workflow = Workflow(name: "w", steps: [
        Step(id: "a", run: "true"),
        Step(id: "bb", run: "true", needs: ["a"]),
        Step(id: "c", run: "true", needs: ["bb"]),
    ])

    /// A step event at a time (seconds after 1000).
    private func event(_ offset: Double, _ id: String, _ state: StepState, attempt: Int? = nil) -> RunEvent {
        var event = RunEvent.step(id, state, attempt: attempt)
        event.time = 1000 + offset
        return event
    }

    private var started: RunEvent { RunEvent(time: 1000, kind: .runStarted) }

    /// a runs 0–5 s, bb 5–15 s, c 15–20 s.
    private var chain: [RunEvent] {
        [started, event(0, "a", .running, attempt: 1), event(5, "a", .succeeded),
         event(5, "bb", .running, attempt: 1), event(15, "bb", .succeeded),
         event(15, "c", .running, attempt: 1), event(20, "c", .succeeded)]
    }

    private func view(
        _ events: [RunEvent], in workflow: Workflow? = nil, critical: Set<Int> = [], selected: Int = -1, top: Int = 0,
        now: Double = 1020, unicode: Bool = true
    ) -> TimelineView {
        let workflow = workflow ?? self.workflow
        return TimelineView(
            workflow: workflow, grouping: StepGrouping(workflow: workflow), timeline: RunTimeline(workflow: workflow, events: events), critical: critical,
            states: Array(repeating: .pending, count: workflow.steps.count), selected: selected, top: top, now: now,
            theme: theme, unicode: unicode)
    }

    private func render(_ view: TimelineView, width: Int, height: Int) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        view.render(into: &buffer, area: buffer.area)
        return buffer
    }

    @Test func barsSitAtTheColumnsOfTheirTimes() {
        // 20 s over 20 bar cells: one cell a second.
        let buffer = render(view(chain), width: 25, height: 5)
        #expect(buffer.lines == [
            "     0s   5s   10s    20s",
            "  a  █████",
            "  bb      ██████████",
            "  c                 █████",
            "",
        ])
        #expect(buffer[5, 1].style == theme.style(for: .succeeded))
    }

    @Test func theCriticalPathIsMarkedAndBold() {
        let buffer = render(view(chain, critical: [0, 2]), width: 25, height: 4)
        #expect(buffer.lines[1].hasPrefix("◆ a  █"))
        #expect(buffer.lines[2].hasPrefix("  bb "))
        #expect(buffer.lines[3].hasPrefix("◆ c  "))
        #expect(buffer[5, 1].style.attributes.contains(.bold))
        #expect(buffer[2, 1].style.attributes.contains(.bold), "the id of a critical step is bold")
        #expect(!buffer[10, 2].style.attributes.contains(.bold))
        #expect(!buffer[2, 2].style.attributes.contains(.bold))
    }

    @Test func aRetryGapStaysBlank() {
        let events = [started, event(0, "a", .running, attempt: 1), event(4, "a", .retrying),
                      event(8, "a", .running, attempt: 2), event(20, "a", .succeeded)]
        let buffer = render(view(events), width: 25, height: 2)
        #expect(buffer.lines[1] == "  a  ████    ████████████")
        #expect(buffer[5, 1].style == theme.style(for: .retrying))
        #expect(buffer[13, 1].style == theme.style(for: .succeeded))
    }

    @Test func retriesThatWouldTouchKeepABlankBetweenThem() {
        // The gap of 0.2 s is less than a cell; the first bar gives up its last cell for it.
        let events = [started, event(0, "a", .running, attempt: 1), event(10, "a", .retrying),
                      event(10.2, "a", .running, attempt: 2), event(20, "a", .succeeded)]
        let buffer = render(view(events), width: 25, height: 2)
        #expect(buffer.lines[1] == "  a  █████████ ██████████")
    }

    @Test func aShortSegmentStillShowsOneCell() {
        let events = [started, event(0, "a", .running, attempt: 1), event(20, "a", .succeeded),
                      event(12, "c", .running, attempt: 1), event(12.01, "c", .failed)]
        let buffer = render(view(events), width: 25, height: 4)
        #expect(buffer.lines[3] == "  c              █")
        #expect(buffer[17, 3].style == theme.style(for: .failed))
    }

    @Test func aGateWaitIsShadedAndRunningBarsEndAtNow() {
        let events = [started, event(0, "a", .running, attempt: 1), event(4, "a", .succeeded),
                      event(4, "bb", .waiting), event(10, "bb", .pending), event(10, "bb", .running, attempt: 1)]
        let buffer = render(view(events, now: 1020), width: 25, height: 3)
        #expect(buffer.lines[2] == "  bb     ░░░░░░██████████")
        #expect(buffer[9, 2].style == theme.style(for: .pending), "the wait ended when the gate was approved")
        #expect(buffer[24, 2].style == theme.style(for: .running))
        #expect(buffer.lines[0].hasSuffix(" 20s"))
    }

    @Test func theAxisLabelsMinutesAndShowsTheTotal() {
        let one = Workflow(name: "one", steps: [Step(id: "a", run: "true")])
        let events = [started, event(0, "a", .running, attempt: 1), event(120, "a", .succeeded)]
        // The bar area is 41 cells for 120 s: a tick every 30 s, ten cells apart (the 41 cells
        // stand for 123 s, so every tick is a whole number of cells), at cells 0, 10, 20, 30.
        let buffer = render(view(events, in: one), width: 45, height: 2)
        #expect(buffer.lines[0] == "    0s        30s       1m        1m30s 2m00s")
        #expect(buffer.lines[1] == "  a " + String(repeating: "█", count: 40))
    }

    @Test func tickLabelsAreCompact() {
        #expect(TimelineView.tickLabel(0) == "0s")
        #expect(TimelineView.tickLabel(2.5) == "2.5s")
        #expect(TimelineView.tickLabel(30) == "30s")
        #expect(TimelineView.tickLabel(60) == "1m")
        #expect(TimelineView.tickLabel(90) == "1m30s")
        #expect(TimelineView.tickLabel(65) == "1m05s")
        #expect(TimelineView.tickLabel(3600) == "1h")
        #expect(TimelineView.tickLabel(4500) == "1h15m")
    }

    @Test func theSelectedIDUsesTheSelectionStyle() {
        let buffer = render(view(chain, selected: 1), width: 25, height: 4)
        #expect(buffer[2, 2].style == theme.style(.selection))
        #expect(buffer[3, 2].style == theme.style(.selection))
        #expect(buffer[2, 1].style != theme.style(.selection))
        #expect(buffer[10, 2].style == theme.style(for: .succeeded), "only the id takes the selection style")
    }

    @Test func aStepThatNeverRanShowsItsState() {
        let events = [started, event(0, "a", .running, attempt: 1), event(20, "a", .succeeded)]
        var pane = view(events)
        pane.states = [.succeeded, .skipped, .pending]
        let buffer = render(pane, width: 25, height: 4)
        #expect(buffer.lines[2] == "  bb skipped")
        #expect(buffer[5, 2].style == theme.style(.muted))
    }

    @Test func longAndWideIDsAreCutToTwentyCells() {
        let wide = Workflow(name: "ids", steps: [
            Step(id: "a-very-long-step-identifier", run: "true"),
            Step(id: "デプロイ本番環境サーバー", run: "true"),
        ])
        let events = [started, event(0, "a-very-long-step-identifier", .running, attempt: 1),
                      event(0, "デプロイ本番環境サーバー", .running, attempt: 1)]
        let buffer = render(view(events, in: wide, now: 1010), width: 40, height: 3)
        #expect(buffer.lines[1].hasPrefix("  a-very-long-step-id… █"))
        #expect(buffer.lines[2].hasPrefix("  デプロイ本番環境サ…  █"))
        // Both bars begin at the same column: marker 2 + ids 20 + a space.
        #expect(buffer[23, 1].symbol == "█" && buffer[22, 1].symbol == " ")
        #expect(buffer[23, 2].symbol == "█" && buffer[22, 2].symbol == " ")
    }

    @Test func asciiModeDrawsOnlyASCII() {
        let wide = Workflow(name: "ids", steps: [
            Step(id: "café", run: "true"),
            Step(id: "デプロイ-production-server", needs: ["café"], approval: ApprovalGate()),
        ])
        let events = [started, event(0, "café", .running, attempt: 1), event(5, "café", .succeeded),
                      event(5, "デプロイ-production-server", .waiting)]
        let buffer = render(view(events, in: wide, critical: [0, 1], now: 1020, unicode: false), width: 50, height: 4)
        for row in 0..<buffer.height {
            for column in 0..<buffer.width {
                let cell = buffer[column, row]
                #expect(!cell.isContinuation && cell.symbol.unicodeScalars.allSatisfy(\.isASCII), "row \(row) column \(column): '\(cell.symbol)'")
            }
        }
        #expect(buffer.lines[1].hasPrefix("* caf? "))
        #expect(buffer.lines[1].contains("#"))
        #expect(buffer.lines[2].hasPrefix("* ????-production-ser~ "))
        #expect(buffer.lines[2].hasSuffix("..."))
    }

    @Test func theRunThatHasNotStartedSaysSo() {
        let buffer = render(view([]), width: 40, height: 4)
        #expect(buffer.lines[0] == "the run has not started")
        #expect(buffer[0, 0].style == theme.style(.muted))
        #expect(buffer.lines.dropFirst().allSatisfy { $0.isEmpty })
    }

    @Test func narrowAreasStayInsideTheirBounds() {
        // c never runs, so its row shows its state as text, which must be cut at the edge too.
        let events = Array(chain.prefix(5)) + [event(20, "a", .rollingBack)]
        let fill = Cell("x")
        for width in 0...30 {
            for height in 0...5 {
                var buffer = Buffer(width: 36, height: 9, fill: fill)
                let area = Rect(x: 3, y: 2, width: width, height: height)
                view(events, critical: [0, 1, 2], selected: 1, now: 1030).render(into: &buffer, area: area)
                for y in 0..<buffer.height {
                    for x in 0..<buffer.width where !area.contains(x: x, y: y) {
                        #expect(buffer[x, y] == fill, "width \(width) height \(height) wrote at (\(x), \(y))")
                    }
                }
            }
        }
    }

    @Test func anAreaSmallerThanTheHeaderShowsOnlyTheAxis() {
        let one = render(view(chain), width: 25, height: 1)
        #expect(one.lines == ["     0s   5s   10s    20s"])
        var none = Buffer(width: 25, height: 3)
        view(chain).render(into: &none, area: Rect(x: 0, y: 0, width: 25, height: 0))
        #expect(none.lines == ["", "", ""])
    }

    @Test func rowsBeginAtTopAndTopKeepsTheSelectionVisible() {
        let many = Workflow(name: "many", steps: (0..<20).map { Step(id: "s\($0)", run: "true") })
        let events = [started] + (0..<20).map { event(Double($0), "s\($0)", .running, attempt: 1) }
        let buffer = render(view(events, in: many, top: 6), width: 30, height: 6)
        #expect(buffer.lines.dropFirst().map { String($0.prefix(5)) } == ["  s6 ", "  s7 ", "  s8 ", "  s9 ", "  s10"])
        #expect(TimelineView.top(keeping: 10, from: 0, height: 6, stepCount: 20) == 6)
        #expect(TimelineView.top(keeping: 2, from: 6, height: 6, stepCount: 20) == 2)
        #expect(TimelineView.top(keeping: 3, from: 2, height: 6, stepCount: 20) == 2)
        #expect(TimelineView.top(keeping: 19, from: 30, height: 6, stepCount: 20) == 15)
        #expect(TimelineView.top(keeping: 5, from: 3, height: 1, stepCount: 20) == 0)
    }
}
