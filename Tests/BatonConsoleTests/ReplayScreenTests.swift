import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// What a replay draws as it moves: a scrubber that stays put, and the run's id from event 0.
@Suite struct ReplayScreenTests {
    /// Sixty steps run one after another, a second apart; one fails and a gate opens in the
    /// middle of the recording, away from the positions the tests stop at.
    static let workflow = Workflow(
        name: "long",
        steps: (1...58).map { Step(id: "s\($0)", run: "true") }
            + [Step(id: "broken", run: "false", continueOnError: true), Step(id: "gate", approval: ApprovalGate(prompt: "Go?"))])

    /// 122 events, one a second: past 100 the counter and the clock change width.
    static func events() -> [RunEvent] {
        var started = RunEvent(kind: .runStarted)
        started.runID = "20261205-long-run"
        started.workflow = workflow.name
        started.steps = workflow.stepIDs
        started.concurrency = 1
        var events = [started]
        func runs(_ id: String) {
            events.append(.step(id, .running, attempt: 1))
            events.append(.step(id, .succeeded, attempt: 1, exitCode: 0))
        }
        for index in 1...25 { runs("s\(index)") }
        events.append(.step("broken", .running, attempt: 1))
        events.append(.step("broken", .failed, attempt: 1, exitCode: 1))
        for index in 26...33 { runs("s\(index)") }
        events.append(.step("gate", .waiting, reason: "waiting for approval"))
        events.append(.step("gate", .succeeded, reason: "approved"))
        for index in 34...58 { runs("s\(index)") }
        var finished = RunEvent(kind: .runFinished)
        finished.outcome = .succeeded
        events.append(finished)
        return events.enumerated().map { index, event in
            var event = event
            event.seq = index + 1
            event.time = 1_000_000 + Double(index)
            return event
        }
    }

    static let context = ConsoleContext(workflow: workflow)

    static func replay(width: Int, height: Int, speed: Double = 1) -> AppState {
        var state = AppState(workflow: workflow, user: "viewer", width: width, height: height, now: 0)
        state.graphNaturalSize = context.graph.size
        ConsoleUpdate.beginReplay(&state, events: events(), logs: [:], speed: speed, context: context)
        return state
    }

    /// The columns of the scrubber row that show `mark`.
    static func columns(of mark: String, in state: AppState) -> [Int] {
        let screen = ConsoleView.render(state, context: context, theme: .builtInDark, unicode: true)
        let row = ConsoleLayout(state).replayBar.y
        return (0..<screen.width).filter { screen[$0, row].symbol == mark }
    }

    @Test(arguments: [60, 80, 120])
    func theScrubbersMarksKeepTheirColumnsAtEveryPosition(width: Int) {
        var state = Self.replay(width: width, height: 24)
        let count = Self.events().count
        #expect(count > 100)
        let failure = Self.columns(of: "!", in: state)
        let gate = Self.columns(of: "?", in: state)
        #expect(failure.count == 1, "one failure mark at \(width) columns")
        #expect(gate.count == 1, "one gate mark at \(width) columns")
        // Paused, playing, at the end, and at other speeds: nothing on the row before the bar
        // may push it along.
        _ = ConsoleUpdate.update(&state, .key(.character(" ")), context: Self.context)
        for position in [0, 1, 9, 10, 99, 100, 115] {
            ConsoleUpdate.seek(&state, to: position, context: Self.context)
            #expect(Self.columns(of: "!", in: state) == failure, "the failure mark moved at event \(position), \(width) columns")
            #expect(Self.columns(of: "?", in: state) == gate, "the gate mark moved at event \(position), \(width) columns")
        }
        _ = ConsoleUpdate.update(&state, .key(.character(" ")), context: Self.context)
        #expect(state.replay?.playing == true)
        #expect(Self.columns(of: "!", in: state) == failure, "playing moved the failure mark")
        for key: Character in ["-", "-", "-", "-", "+"] {
            _ = ConsoleUpdate.update(&state, .key(.character(key)), context: Self.context)
            #expect(Self.columns(of: "!", in: state) == failure, "speed \(state.replay?.speed ?? 0) moved the failure mark")
        }
        ConsoleUpdate.seek(&state, to: count, context: Self.context)
        #expect(state.replay?.atEnd == true)
        #expect(Self.columns(of: "!", in: state) == failure, "the end moved the failure mark")
        #expect(Self.columns(of: "?", in: state) == gate, "the end moved the gate mark")
    }

    @Test func theWidestClockIsNotAlwaysTheTotal() {
        // "5.0s / 15s" is wider than "15s / 15s": the clock keeps room for the widest it gets.
        var events = Array(Self.events().prefix(3))
        events[1].time = events[0].time + 5
        events[2].time = events[0].time + 15
        let replay = ReplayState(events: events, logs: [:], speed: 1, playing: false)
        #expect(replay.barWidths.clock == TextWidth.of("5.0s / 15s"))
    }

    @Test func theSpeedKeepsRoomForEverySpeedItCanReach() {
        // From 3×: 6×, 12×, … 384×, then 512× and every power of two down to 0.125×, and 1.5×, 0.75×, 0.375×, 0.1875×.
        let replay = ReplayState(events: Self.events(), logs: [:], speed: 3, playing: false)
        #expect(replay.barWidths.speed == TextWidth.of("0.1875×"))
    }

    @Test func theHeaderNamesTheRunAtEveryPositionIncludingTheStart() {
        var state = Self.replay(width: 100, height: 24)
        for position in [0, 1, 2, Self.events().count] {
            ConsoleUpdate.seek(&state, to: position, context: Self.context)
            let screen = ConsoleView.render(state, context: Self.context, theme: .builtInDark, unicode: true)
            #expect(screen.rowText(0).contains("run 20261205-long-run"), "no run id at event \(position): \(screen.rowText(0))")
        }
    }

    @Test func aRefusalAtTheStartNamesTheRunAndSaysNothingIsAppliedYet() {
        var state = Self.replay(width: 100, height: 24)
        _ = ConsoleUpdate.update(&state, .key(.character(" ")), context: Self.context)
        #expect(state.replay?.position == 0)
        let effects = ConsoleUpdate.update(&state, .key(.character("r")), context: Self.context)
        #expect(effects.isEmpty)
        let text = state.status?.text ?? ""
        #expect(text.contains("replay of run 20261205-long-run"), "\(text)")
        #expect(text.contains("no event applied yet"), "\(text)")
        #expect(!text.contains("not started"), "\(text)")
        ConsoleUpdate.seek(&state, to: 5, context: Self.context)
        _ = ConsoleUpdate.update(&state, .key(.character("r")), context: Self.context)
        #expect(state.status?.text.contains("replay of run 20261205-long-run") == true)
        #expect(state.status?.text.contains("event 5 of \(Self.events().count)") == true)
    }
}
