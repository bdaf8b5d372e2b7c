import BatonEngine
import BatonTerminal
import Foundation
import Testing
@testable import BatonConsole

/// The smallest terminals the console draws in: the steps table keeps rows, and no pane
/// claims a range of rows it does not show.
@Suite struct SmallTerminalTests {
    /// Nine steps, as many as the three-tier demo: more than a small table shows.
    static let workflow = Workflow(name: "nine", steps: [
        Step(id: "plan", run: "true"),
        Step(id: "network", run: "true", needs: ["plan"]),
        Step(id: "database", run: "true", needs: ["plan"]),
        Step(id: "app", run: "true", needs: ["plan"]),
        Step(id: "migrate", run: "true", needs: ["database"]),
        Step(id: "load-balancer", run: "true", needs: ["network", "app"]),
        Step(id: "smoke-test", run: "true", needs: ["load-balancer", "migrate"]),
        Step(id: "approve", needs: ["smoke-test"], approval: ApprovalGate(prompt: "Ship?")),
        Step(id: "promote", run: "true", needs: ["approve"]),
    ])
    static let context = ConsoleContext(workflow: workflow)

    static func events() -> [RunEvent] {
        var started = RunEvent(kind: .runStarted)
        started.runID = "20261205-small"
        started.workflow = workflow.name
        started.steps = workflow.stepIDs
        started.concurrency = 2
        let steps: [RunEvent] = [.step("plan", .running, attempt: 1), .step("plan", .succeeded, attempt: 1, exitCode: 0)]
        return ([started] + steps).enumerated().map { index, event in
            var event = event
            event.seq = index + 1
            event.time = 1_000_000 + Double(index)
            return event
        }
    }

    /// A live console with the run started, or a replay at its second event.
    static func state(width: Int, height: Int, replay: Bool) -> AppState {
        var state = AppState(workflow: workflow, user: "viewer", width: width, height: height, now: 1_000_000)
        state.graphNaturalSize = context.graph.size
        if replay {
            ConsoleUpdate.beginReplay(&state, events: events(), logs: [:], speed: 1, context: context)
            ConsoleUpdate.seek(&state, to: 2, context: context)
        } else {
            for event in events() { _ = ConsoleUpdate.update(&state, .engine(.event(event)), context: context) }
        }
        return state
    }

    /// The step ids the table shows, top to bottom.
    static func tableRows(_ state: AppState, _ screen: Buffer) -> [String] {
        let inner = ConsoleLayout(state).steps.inset(by: 1)
        guard inner.height > 1 else { return [] }
        return (inner.y + 1..<inner.maxY).compactMap { row in
            let text = String(screen.rowText(row).dropFirst(inner.x).prefix(inner.width))
            return text.split(separator: " ").first.map(String.init)
        }
    }

    /// Every "a–b of n" on the screen whose range runs backwards or past its total.
    static func invertedRanges(_ screen: Buffer) -> [String] {
        let pattern = try! NSRegularExpression(pattern: "(\\d+)–(\\d+) of (\\d+)")
        var found: [String] = []
        for line in screen.lines {
            let text = line as NSString
            for match in pattern.matches(in: line, range: NSRange(location: 0, length: text.length)) {
                let numbers = (1...3).map { Int(text.substring(with: match.range(at: $0))) ?? 0 }
                if numbers[0] > numbers[1] || numbers[1] > numbers[2] || numbers[0] < 1 {
                    found.append(text.substring(with: match.range))
                }
            }
        }
        return found
    }

    @Test(arguments: [false, true])
    func theSmallestConsoleShowsStepRows(replay: Bool) {
        let state = Self.state(width: 60, height: 16, replay: replay)
        let screen = ConsoleView.render(state, context: Self.context, theme: .builtInDark, unicode: true)
        let rows = Self.tableRows(state, screen)
        #expect(rows.count >= (replay ? 2 : 3), "rows: \(rows)\n\(screen.lines.joined(separator: "\n"))")
        #expect(rows.first == "plan")
        #expect(Self.invertedRanges(screen).isEmpty, "\(screen.lines.joined(separator: "\n"))")
        #expect(screen.lines.joined().contains("1–\(rows.count) of 9"), "the table says which rows it shows")
        if replay {
            #expect(screen.rowText(ConsoleLayout(state).replayBar.y).contains("REPLAY"))
        }
    }

    @Test func everySmallSizeShowsStepRowsAndNoInvertedRange() {
        for replay in [false, true] {
            for width in 60...80 {
                for height in 16...20 {
                    let state = Self.state(width: width, height: height, replay: replay)
                    let screen = ConsoleView.render(state, context: Self.context, theme: .builtInDark, unicode: true)
                    let size = "\(width)×\(height)\(replay ? " replay" : "")"
                    #expect(!Self.tableRows(state, screen).isEmpty, "no step rows at \(size)")
                    #expect(Self.invertedRanges(screen).isEmpty, "an inverted range at \(size): \(Self.invertedRanges(screen))")
                }
            }
        }
    }

    @Test func aTableWithNoRoomForRowsClaimsNoRange() {
        let state = Self.state(width: 60, height: 16, replay: false)
        var buffer = Buffer(width: 40, height: 3)
        // Only the header row fits; the note goes on the row below it, as on a pane's border.
        StepTable(state: state, grouping: StepGrouping(workflow: state.workflow), theme: .builtInDark, unicode: true).render(into: &buffer, area: Rect(x: 0, y: 1, width: 40, height: 1))
        #expect(buffer.lines[1].hasPrefix("STEP"))
        #expect(!buffer.lines[2].contains("–"), "\(buffer.lines[2])")
        #expect(buffer.lines[2].contains("none of 9 shown"), "\(buffer.lines[2])")
    }
}
