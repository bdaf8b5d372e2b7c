import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// Small things an operator notices: cut texts that say they are cut, a header that keeps the
/// run's state and clock, a help list that stops at its end, audit comments read whole, an
/// even time axis, and keys that never do nothing silently.
@Suite struct SmallScreenFixesTests {
    typealias S = ConsoleTestSupport
    let theme = Theme.builtInDark

    @Test(arguments: [40, 50, 60, 70, 90])
    func aNarrowHeaderKeepsTheRunsStateAndItsClock(width: Int) {
        let state = S.state(width: width, [S.step("build", .running, attempt: 1)])
        var buffer = Buffer(width: width, height: 2)
        HeaderView(state: state, theme: theme, unicode: true).render(into: &buffer, area: buffer.area)
        let line = buffer.lines[0]
        #expect(line.contains(" RUNNING "), "at \(width): \(line)")
        #expect(line.contains("1m40s"), "the clock stays at \(width): \(line)")
        #expect(TextWidth.of(line) <= width)
        if width >= 90 { #expect(line.contains("run 20261122-101500-abcd") && line.contains("Baton")) }
    }

    @Test func aCutNeedsCellEndsWithAnEllipsis() {
        let workflow = Workflow(name: "cut", steps: [
            Step(id: "checkout-the-repository", run: "true"),
            Step(id: "b", run: "true", needs: ["checkout-the-repository"]),
        ])
        let state = AppState(workflow: workflow, user: "alice", width: 60, height: 20, now: 0)
        for width in 44...60 {
            var buffer = Buffer(width: width, height: 4)
            StepTable(state: state, grouping: ConsoleContext(workflow: workflow).grouping(state), theme: theme, unicode: true)
                .render(into: &buffer, area: buffer.area)
            let row = buffer.lines[2]
            #expect(row.hasPrefix("b "), "\(buffer.lines)")
            // Whatever shows of the needs is either whole or ends with an ellipsis.
            let shown = row.split(separator: " ").last.map(String.init) ?? ""
            #expect(shown == "checkout-the-repository" || shown.hasSuffix("…") || shown == "–",
                    "at \(width): \(row)")
        }
    }

    @Test func theHelpListStopsScrollingAtItsLastLine() {
        var state = S.state(width: 100, height: 24)
        _ = S.update(&state, .key(.character("?")))
        let rows = DialogView.helpRowCount(try! #require(state.dialog), screenWidth: 100)
        #expect(rows > (state.dialog?.lines.count ?? 0), "at 100 columns some of the help's lines wrap")
        for _ in 0..<300 { _ = S.update(&state, .key(.character("j"))) }
        let limit = DialogView.helpScrollLimit(rows: rows, screenHeight: 24)
        #expect(limit > 0 && state.dialog?.scroll == limit)
        let screen = S.screen(state).lines
        let last = try! #require(state.dialog?.lines.last)
        #expect(screen.contains { $0.contains(last) }, "the last line shows: \(screen)")
        _ = S.update(&state, .key(.pageDown))
        #expect(state.dialog?.scroll == limit, "a page past the end stays at the end")
    }

    @Test func theHelpWrapsALongLineUnderItsDescriptionInsteadOfCuttingIt() {
        var state = S.state(width: 80, height: 200)
        _ = S.update(&state, .key(.character("?")))
        let screen = S.screen(state).lines
        #expect(!screen.contains { $0.contains("…") }, "no help row is cut: \(screen)")
        // The finder's line is longer than 80 columns: its words go on under its description.
        let row = try! #require(screen.firstIndex { $0.contains(":/Ctrl-F   Find a step:") })
        let column = try! #require(screen[row].range(of: "Find a step")).lowerBound
        let next = screen[row + 1]
        let offset = screen[row].distance(from: screen[row].startIndex, to: column)
        let indent = next.index(next.startIndex, offsetBy: offset)
        #expect(next[next.index(before: indent)] == " " && next[indent] != " ", "\(screen[row])\n\(next)")
    }

    @Test func aDialogLineTooLongForTheScreenWrapsWithItsWordsIndented() {
        let lines = DialogView.wrapped(["  q          Quit, and a long description of what quitting does here"], width: 30)
        #expect(lines == ["  q          Quit, and a long", "             description of", "             what quitting", "             does here"])
        #expect(DialogView.wrapped(["a sentence with no column in it at all"], width: 16)
            == ["a sentence with", "no column in it", "at all"])
        #expect(DialogView.wrapped(["  ↶ db, which holds the data"], width: 16) == ["  ↶ db, which", "    holds the", "    data"])
        #expect(DialogView.wrapped(["fits"], width: 4) == ["fits"])
        #expect(DialogView.wrapped(["anything"], width: 0).isEmpty)
    }

    @Test func theAuditPaneWrapsALongCommentAndWTogglesItsWrapNotTheLogs() {
        let comment = "rolled back because the canary's error rate doubled within five minutes of the deploy, see INC-2231"
        var state = S.state(width: 120, height: 36, [.command("retry", step: "build", user: "alice", comment: comment, accepted: true)])
        var buffer = Buffer(width: 90, height: 8)
        AuditView(entries: state.run.audit, top: nil, theme: theme, unicode: true).render(into: &buffer, area: buffer.area)
        let text = buffer.lines.joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(text.contains("see INC-2231”"), "the whole comment shows: \(buffer.lines)")
        let cut = Buffer(width: 90, height: 8)
        var unwrapped = cut
        AuditView(entries: state.run.audit, top: nil, theme: theme, unicode: true, wrap: false).render(into: &unwrapped, area: unwrapped.area)
        #expect(!unwrapped.lines.joined().contains("INC-2231"), "without wrap the comment is cut")
        _ = S.update(&state, .key(.character("A")))
        let logWrap = state.panes.log.wrap
        _ = S.update(&state, .key(.character("w")))
        #expect(state.panes.auditWraps == false && state.panes.log.wrap == logWrap)
        #expect(state.status?.text == "audit wrap off")
    }

    @Test func aNarrowAuditPaneWrapsACommentOnRowsOfItsOwn() throws {
        let comment = "the canary's error rate doubled, see INC-2231"
        let state = S.state(width: 120, height: 36, [.command("retry", step: "build", user: "alice", comment: comment, accepted: true)])
        // 40 cells leave the comment column 40 - 33 = 7 cells, under the narrowest it wraps in.
        var buffer = Buffer(width: 40, height: 8)
        AuditView(entries: state.run.audit, top: nil, theme: theme, unicode: true).render(into: &buffer, area: buffer.area)
        let entry = try #require(buffer.lines.firstIndex { $0.contains("alice") && $0.contains("retry") }, "\(buffer.lines)")
        #expect(!buffer.lines[entry].contains("“"), "the entry's row holds no cut comment: \(buffer.lines[entry])")
        #expect(buffer.lines[entry + 1].hasPrefix("  “the"), "the comment starts on a row of its own: \(buffer.lines)")
        let words = buffer.lines[(entry + 1)...].map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(words.contains("see INC-2231”"), "the whole comment shows: \(buffer.lines)")
    }

    @Test func theTimelinesTickLabelsStandEvenlyApart() {
        var state = S.state(width: 130, height: 30)
        for (offset, event) in [S.step("build", .running, attempt: 1), S.step("build", .succeeded, exitCode: 0)].enumerated() {
            var event = event
            event.seq = state.run.lastSeq + 1
            event.time = 1_000_000 + Double(offset) * 9.4
            try! state.run.apply(event)
            state.timeline.apply(event)
        }
        for width in [70, 93, 130] {
            var buffer = Buffer(width: width, height: 8)
            TimelineView(workflow: S.workflow, grouping: S.context.grouping(state), timeline: state.timeline, critical: [], states: [],
                         selected: 0, top: 0, now: 1_000_100, theme: theme, unicode: true)
                .render(into: &buffer, area: buffer.area)
            let axis = buffer.lines[0]
            let characters = Array(axis)
            // Where each label starts: a character after a space, before the total at the end.
            var starts: [Int] = []
            for index in characters.indices.dropFirst() where characters[index] != " " && characters[index - 1] == " " {
                starts.append(index)
            }
            let ticks = Array(starts.dropFirst().dropLast())
            let gaps = zip(ticks.dropFirst(), ticks).map { $0 - $1 }
            #expect(gaps.count >= 2 && Set(gaps).count == 1, "at \(width): \(axis)")
        }
    }

    @Test func aGraphThatDoesNotFitShowsTheSelectionsNeighbourhoodAndMSwitchesToTheList() {
        let wide = Workflow(name: "wide", steps: (0..<12).map { Step(id: "a-rather-long-step-\($0)", run: "true", needs: $0 == 0 ? [] : ["a-rather-long-step-\($0 - 1)"]) })
        let context = ConsoleContext(workflow: wide)
        var state = AppState(workflow: wide, user: "alice", width: 80, height: 30, now: 0)
        #expect(!ConsoleUpdate.isCompact(state, context: context), "a chain of twelve does not fit 80 columns: its neighbourhood does")
        #expect(context.neighbourhood(state) != nil)
        let screen = ConsoleView.render(state, context: context, theme: theme, unicode: true).lines
        #expect(screen.contains { $0.contains("a-rather-long") && $0.contains("─") }, "\(screen)")
        _ = ConsoleUpdate.update(&state, .key(.character("m")), context: context)
        #expect(state.graphMode == .compact && ConsoleUpdate.isCompact(state, context: context))
        #expect(state.status?.text.contains("compact") == true)
        _ = ConsoleUpdate.update(&state, .key(.character("m")), context: context)
        #expect(!ConsoleUpdate.isCompact(state, context: context))
    }

    @Test func jAndKMoveOnFromAStepAloneInItsLayer() {
        var state = S.state()
        state.focus = .graph
        state.selected = 0
        _ = S.update(&state, .key(.character("j")))
        #expect(state.selected != 0, "build is alone in its layer, and j still moves")
        _ = S.update(&state, .key(.character("k")))
        #expect(state.selected == 0)
        _ = S.update(&state, .key(.character("h")))
        #expect(state.status?.text == "'build' needs no step")
    }
}
