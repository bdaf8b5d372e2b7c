import BatonEngine
import BatonTerminal
import Foundation
import Testing
@testable import BatonConsole

/// Replay: the same fold as the live console, playback keys, read-only refusals, the scrubber.
@Suite(.timeLimit(.minutes(1)))
struct ReplayTests {
    static let workflow = Workflow(name: "replayed", concurrency: 2, steps: [
        Step(id: "fetch", retry: RetryPolicy(attempts: 3), notes: "Retries heal a flaky fetch.",
             simulate: Simulation(duration: .zero, exitCodes: [1, 0], output: ["fetching", "stderr:timeout"], outputs: ["fresh": "yes"])),
        Step(id: "lint", simulate: Simulation(output: ["lint ok"])),
        Step(id: "gate", needs: ["fetch", "lint"], approval: ApprovalGate(prompt: "Go?")),
        Step(id: "ship", needs: ["gate"], rollback: "echo undo", simulate: Simulation(output: ["shipped"])),
        Step(id: "broken", needs: ["ship"], continueOnError: true, simulate: Simulation(exitCodes: [3])),
    ])

    /// Runs the workflow live (simulated, journal on disk), approving the gate when it opens;
    /// returns the events the console received live, the journal read back, and the engine's state.
    static func recordRun() async throws -> (live: [RunEvent], journal: [RunEvent], engineState: RunState, logs: [String: [OutputLine]]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-replay-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let directory = RunDirectory(path: folder + "/run")
        let simulator = SimulatedExecutor(speed: 0)
        let configuration = EngineConfiguration(
            runID: "replay-test", user: "tester", executor: simulator, simulator: simulator, runDirectory: directory, syncJournal: false)
        let engine = try Engine(workflow: workflow, workflowText: "name: replayed\n", configuration: configuration)
        let listener = Task { () -> (events: [RunEvent], logs: [String: [OutputLine]]) in
            var events: [RunEvent] = []
            var logs: [String: [OutputLine]] = [:]
            for await update in engine.updates {
                switch update {
                case .event(let event): events.append(event)
                case .output(let chunk): logs[chunk.stepID, default: []] += chunk.lines
                case .recordingFailed(let problem): Issue.record("the run was not recorded: \(problem)")
                case .notificationFailed(let problem): Issue.record("a notification failed: \(problem)")
                }
            }
            return (events, logs)
        }
        await engine.start()
        for _ in 0..<100 {
            if case .finished = await engine.waitUntilSettled() { break }
            _ = await engine.approve("gate", by: "tester", comment: "looks good")
        }
        let outcome = await engine.waitUntilFinished()
        #expect(outcome == .succeeded)
        let state = await engine.state
        let (live, logs) = await listener.value
        let journal = try directory.readJournal().events
        return (live, journal, state, logs)
    }

    static func liveState(_ events: [RunEvent], count: Int, context: ConsoleContext) -> AppState {
        var state = AppState(workflow: workflow, user: "tester", width: 120, height: 36, now: events.first?.time ?? 0)
        for event in events.prefix(count) {
            _ = ConsoleUpdate.update(&state, .engine(.event(event)), context: context)
        }
        return state
    }

    @Test func theStateAtEveryEventEqualsTheLiveStateThatWasRecorded() async throws {
        let recorded = try await Self.recordRun()
        #expect(recorded.journal == recorded.live)
        #expect(recorded.journal.count > 10)
        let context = ConsoleContext(workflow: Self.workflow)
        var replay = AppState(workflow: Self.workflow, user: "viewer", width: 120, height: 36, now: 0)
        ConsoleUpdate.beginReplay(&replay, events: recorded.journal, logs: recorded.logs, speed: 0, context: context)
        #expect(replay.run == recorded.engineState)
        // Walk back from the end, then forward from the start: both ways give the live state.
        for index in stride(from: recorded.journal.count, through: 0, by: -1) {
            ConsoleUpdate.seek(&replay, to: index, context: context)
            let live = Self.liveState(recorded.live, count: index, context: context)
            #expect(replay.run == live.run, "run state differs at event \(index)")
            #expect(replay.timeline == live.timeline, "timeline differs at event \(index)")
        }
        for index in 0...recorded.journal.count {
            ConsoleUpdate.seek(&replay, to: index, context: context)
            #expect(replay.run == Self.liveState(recorded.live, count: index, context: context).run, "run state differs at event \(index)")
        }
    }

    @Test func logsShowOnlyWhatWasPrintedByThen() async throws {
        let recorded = try await Self.recordRun()
        let context = ConsoleContext(workflow: Self.workflow)
        var state = AppState(workflow: Self.workflow, user: "viewer", width: 120, height: 36, now: 0)
        ConsoleUpdate.beginReplay(&state, events: recorded.journal, logs: recorded.logs, speed: 1, context: context)
        #expect(state.replay?.position == 0)
        #expect(state.replay?.playing == true)
        #expect(state.logs.isEmpty)
        ConsoleUpdate.seek(&state, to: recorded.journal.count, context: context)
        let lines = state.logs["ship"]?.lines ?? []
        #expect(lines.filter { $0.stream != .baton }.map(\.text) == ["shipped"])
        // The attempt's opening and closing lines frame it.
        #expect(lines.map(\.stream) == [.baton, .stdout, .baton])
        #expect(state.replay?.playing == false)
        ConsoleUpdate.seek(&state, to: 1, context: context)
        #expect(state.logs["ship"] == nil)
    }

    @Test func playbackKeysMoveAndOperatorKeysAreRefused() {
        let context = ConsoleContext(workflow: Self.workflow)
        let events = Self.syntheticEvents()
        var state = AppState(workflow: Self.workflow, user: "viewer", width: 120, height: 36, now: 0)
        ConsoleUpdate.beginReplay(&state, events: events, logs: [:], speed: 2, context: context)
        func press(_ character: Character) -> [ConsoleEffect] {
            ConsoleUpdate.update(&state, .key(.character(character)), context: context)
        }
        _ = press(" ")
        #expect(state.replay?.playing == false)
        _ = press("]")
        _ = press("]")
        #expect(state.replay?.position == 2)
        #expect(state.run.startedAt != nil)
        _ = press("[")
        #expect(state.replay?.position == 1)
        _ = press("}")
        #expect(state.replay?.position == events.count)
        #expect(state.stepState(0) == .succeeded)
        _ = press("{")
        #expect(state.replay?.position == 0)
        #expect(state.run.startedAt == nil)
        _ = press("+")
        #expect(state.replay?.speed == 4)
        for key: Character in ["r", "a", "s", "p", "c", "u", "C", "U"] {
            let effects = press(key)
            #expect(effects.isEmpty, "'\(key)' must not reach an engine in a replay")
            #expect(state.status?.isError == true)
            #expect(state.status?.text.contains("read-only") == true)
            state.dialog = nil
        }
        // Quitting a replay asks nothing: there is no run to stop.
        #expect(press("q") == [.quit(cancelRun: false)])
    }

    @Test func aReplayThatFollowsTheActionSelectsEachStepAsItStartsFailsOrWaits() {
        let context = ConsoleContext(workflow: Self.workflow)
        let events = Self.syntheticEvents()
        for follows in [true, false] {
            var state = AppState(workflow: Self.workflow, user: "viewer", width: 120, height: 36, now: 0)
            state.followsActivity = follows
            ConsoleUpdate.beginReplay(&state, events: events, logs: [:], speed: 2, context: context)
            var selections: [String] = []
            for _ in events {
                _ = ConsoleUpdate.update(&state, .key(.character("]")), context: context)
                if let id = state.selectedStep?.id, selections.last != id { selections.append(id) }
            }
            #expect(selections == (follows ? ["fetch", "lint", "gate", "ship", "broken"] : ["fetch"]), "following: \(follows)")
        }
    }

    @Test func aPlayingReplayAdvancesOnlyWhenPlaying() {
        let context = ConsoleContext(workflow: Self.workflow)
        let events = Self.syntheticEvents()
        var state = AppState(workflow: Self.workflow, user: "viewer", width: 120, height: 36, now: 0)
        ConsoleUpdate.beginReplay(&state, events: events, logs: [:], speed: 1, context: context)
        _ = ConsoleUpdate.update(&state, .replayAdvance, context: context)
        #expect(state.replay?.position == 1)
        #expect(state.now == events[0].time)
        _ = ConsoleUpdate.update(&state, .key(.character(" ")), context: context)
        _ = ConsoleUpdate.update(&state, .replayAdvance, context: context)
        #expect(state.replay?.position == 1)
        // A tick does not move a replay's clock.
        _ = ConsoleUpdate.update(&state, .tick(9_999_999), context: context)
        #expect(state.now == events[0].time)
        // Long waits play as at most a few seconds.
        #expect((state.replay?.pauseBeforeNext ?? 99) <= ReplayState.longestPause)
    }

    @Test func theLiveConsoleExplainsThePlaybackKeys() {
        var state = ConsoleTestSupport.state()
        let effects = ConsoleTestSupport.update(&state, .key(.character("]")))
        #expect(effects.isEmpty)
        #expect(state.status?.text.contains("baton replay") == true)
    }

    @Test func theScrubberShowsPositionTimeAndMarks() {
        let context = ConsoleContext(workflow: Self.workflow)
        let events = Self.syntheticEvents()
        var state = AppState(workflow: Self.workflow, user: "viewer", width: 120, height: 36, now: 0)
        ConsoleUpdate.beginReplay(&state, events: events, logs: [:], speed: 0, context: context)
        let screen = ConsoleView.render(state, context: context, theme: .builtInDark, unicode: true)
        let layout = ConsoleLayout(state)
        let bar = screen.rowText(layout.replayBar.y)
        #expect(bar.contains("REPLAY END"))
        #expect(bar.contains("event \(events.count)/\(events.count)"))
        #expect(bar.contains("!"), "the failed step is marked on the bar")
        #expect(bar.contains("?"), "the gate that opened is marked on the bar")
        #expect(screen.rowText(0).contains("REPLAY — read-only"))
        #expect(screen.rowText(state.height - 1).contains("Space play"))
        let ascii = ConsoleView.render(state, context: context, theme: .builtInDark, unicode: false)
        let asciiBar = ascii.rowText(layout.replayBar.y)
        let nonASCII = asciiBar.unicodeScalars.filter { !$0.isASCII }
        #expect(nonASCII.isEmpty)
    }

    /// A hand-made journal: start, fetch fails then succeeds, lint, the gate opens and is approved, ship, broken fails.
    static func syntheticEvents() -> [RunEvent] {
        var started = RunEvent(kind: .runStarted)
        started.runID = "synthetic"
        started.workflow = workflow.name
        started.steps = workflow.stepIDs
        started.concurrency = 2
        var events = [started]
        events.append(.step("fetch", .running, attempt: 1))
        events.append(.step("fetch", .retrying, attempt: 1, exitCode: 1, reason: "attempt 1 of 3 exited with code 1"))
        events.append(.step("fetch", .running, attempt: 2))
        events.append(.step("fetch", .succeeded, attempt: 2, exitCode: 0))
        events.append(.step("lint", .running, attempt: 1))
        events.append(.step("lint", .succeeded, attempt: 1, exitCode: 0))
        events.append(.step("gate", .waiting, reason: "waiting for approval"))
        events.append(.step("gate", .succeeded, reason: "approved"))
        events.append(.step("ship", .running, attempt: 1))
        events.append(.step("ship", .succeeded, attempt: 1, exitCode: 0))
        events.append(.step("broken", .running, attempt: 1))
        events.append(.step("broken", .failed, attempt: 1, exitCode: 3))
        var finished = RunEvent(kind: .runFinished)
        finished.outcome = .succeeded
        events.append(finished)
        return events.enumerated().map { index, event in
            var event = event
            event.seq = index + 1
            event.time = 1_000_000 + Double(index) * 10
            return event
        }
    }
}
