import Foundation
import Testing

@testable import BatonEngine

@Suite("SimulatedExecutor")
struct SimulatedExecutorTests {
    func job(
        _ simulation: Simulation?, command: String? = nil, attempt: Int = 1, purpose: ExecutionJob.Purpose = .run
    ) -> ExecutionJob {
        ExecutionJob(
            stepID: "sim", attempt: attempt, purpose: purpose, command: command, environment: [:], directory: nil,
            outputFile: "/nonexistent/baton-simulated-never-written", simulation: simulation)
    }

    func run(
        _ job: ExecutionJob, speed: Double = 1, control: ExecutionControl = ExecutionControl()
    ) async -> (ExecutionResult, ExecLineCollector, Duration) {
        let collector = ExecLineCollector()
        let start = ContinuousClock.now
        let result = await SimulatedExecutor(speed: speed).execute(job, control: control) { collector.append($0) }
        return (result, collector, start.duration(to: .now))
    }

    @Test func playsTheScript() async {
        let simulation = Simulation(
            duration: .milliseconds(300), output: ["building", "stderr: warning: slow disk", "stderr:raw", "done"],
            outputs: ["artifact": "app.tar"])
        let (result, lines, elapsed) = await run(job(simulation))
        #expect(result == ExecutionResult(termination: .exited(0), outputs: ["artifact": "app.tar"]))
        #expect(lines.lines.map(\.stream) == [.stdout, .stderr, .stderr, .stdout])
        #expect(lines.texts == ["building", "warning: slow disk", "raw", "done"])
        #expect(lines.lines.allSatisfy { $0.stepID == "sim" })
        #expect(elapsed >= .milliseconds(290))
        #expect(elapsed < .seconds(120))  // only a hang, or a 300 s script not cut short, takes this long
    }

    @Test func spreadsLinesOverTheDuration() async {
        let simulation = Simulation(duration: .milliseconds(600), output: ["a", "b", "c"])
        let (_, lines, _) = await run(job(simulation))
        let times = lines.lines.map(\.time)
        try? #require(times.count == 3)
        // Due at 0, 200 and 400 ms after the start.
        #expect(times[1].timeIntervalSince(times[0]) >= 0.18)
        #expect(times[2].timeIntervalSince(times[0]) >= 0.38)
    }

    @Test func speedScalesTheDuration() async {
        let simulation = Simulation(duration: .milliseconds(400), output: ["x"])
        let (_, _, doubled) = await run(job(simulation), speed: 2)
        #expect(doubled >= .milliseconds(190))
        #expect(doubled < .seconds(120))  // only a hang, or a 300 s script not cut short, takes this long
        let (result, lines, instant) = await run(job(Simulation(duration: .seconds(300), output: ["x", "y"])), speed: 0)
        #expect(result.succeeded)
        #expect(lines.texts == ["x", "y"])
        #expect(instant < .seconds(120))  // only a hang, or a 300 s script not cut short, takes this long
    }

    @Test func exitCodesFollowTheAttempt() async {
        let simulation = Simulation(exitCodes: [2, 1, 0], outputs: ["k": "v"])
        let first = await run(job(simulation, attempt: 1), speed: 0).0
        #expect(first == ExecutionResult(termination: .exited(2)))
        #expect(await run(job(simulation, attempt: 2), speed: 0).0.termination == .exited(1))
        #expect(await run(job(simulation, attempt: 3), speed: 0).0 == ExecutionResult(termination: .exited(0), outputs: ["k": "v"]))
        #expect(await run(job(simulation, attempt: 7), speed: 0).0.termination == .exited(0))
        let alwaysFails = Simulation(exitCodes: [5])
        #expect(await run(job(alwaysFails, attempt: 4), speed: 0).0.termination == .exited(5))
    }

    @Test func suspensionStopsTheClock() async throws {
        let control = ExecutionControl()
        let collector = ExecLineCollector()
        // "second" is due 2 s in: room for a busy machine between seeing "first" and suspending.
        let simulation = Simulation(duration: .seconds(4), output: ["first", "second"])
        let start = ContinuousClock.now
        let task = Task {
            await SimulatedExecutor().execute(job(simulation), control: control) { collector.append($0) }
        }
        #expect(await collector.wait { $0.count == 1 })
        control.send(.suspend)
        try await Task.sleep(for: .milliseconds(600))
        // While suspended, "second" must not come, however long the suspension.
        #expect(collector.texts == ["first"])
        control.send(.resume)
        let result = await task.value
        let elapsed = start.duration(to: .now)
        #expect(result.succeeded)
        #expect(collector.texts == ["first", "second"])
        // 4 s of play plus 600 ms suspended.
        #expect(elapsed >= .milliseconds(4550))
        #expect(elapsed < .seconds(120))  // only a hang, or a 300 s script not cut short, takes this long
    }

    @Test func terminateAndKillEndTheRunAtOnce() async {
        for (signal, expected) in [(ControlSignal.terminate, Int32(15)), (.kill, 9)] {
            let control = ExecutionControl()
            let task = Task { await SimulatedExecutor().execute(job(Simulation(duration: .seconds(300))), control: control) { _ in } }
            try? await Task.sleep(for: .milliseconds(50))
            let start = ContinuousClock.now
            control.send(signal)
            let result = await task.value
            #expect(result == ExecutionResult(termination: .signalled(expected)))
            #expect(start.duration(to: .now) < .seconds(120))  // only a hang, or a 300 s script not cut short, takes this long
        }
    }

    @Test func terminateWhileSuspended() async {
        let control = ExecutionControl()
        let task = Task { await SimulatedExecutor().execute(job(Simulation(duration: .seconds(300))), control: control) { _ in } }
        control.send(.suspend)
        try? await Task.sleep(for: .milliseconds(50))
        control.send(.terminate)
        #expect(await task.value.termination == .signalled(15))
    }

    @Test func aSignalSentBeforeStartIsHonoured() async {
        let control = ExecutionControl()
        control.send(.kill)
        let (result, lines, elapsed) = await run(job(Simulation(duration: .seconds(300), output: ["never"])), control: control)
        #expect(result.termination == .signalled(9))
        #expect(lines.lines.isEmpty)
        #expect(elapsed < .seconds(120))  // only a hang, or a 300 s script not cut short, takes this long
    }

    @Test func cancellingTheTaskEndsTheRun() async {
        let task = Task { await SimulatedExecutor().execute(job(Simulation(duration: .seconds(300))), control: ExecutionControl()) { _ in } }
        try? await Task.sleep(for: .milliseconds(50))
        task.cancel()
        #expect(await task.value.termination == .signalled(9))
    }

    @Test func rollbackIsShortAndSucceeds() async {
        let simulation = Simulation(duration: .seconds(600), exitCodes: [1], output: ["x"], outputs: ["k": "v"])
        let (result, lines, elapsed) = await run(job(simulation, command: "rm -rf build", purpose: .rollback), speed: 2)
        #expect(result == ExecutionResult(termination: .exited(0)))
        #expect(lines.texts == ["simulated rollback: rm -rf build"])
        // A tenth of 600 s is capped at 1 s, halved by speed 2.
        #expect(elapsed >= .milliseconds(450))
        #expect(elapsed < .seconds(120))  // only a hang, or a 300 s script not cut short, takes this long

        let (nothing, nothingLines, _) = await run(job(nil, purpose: .rollback))
        #expect(nothing.succeeded)
        #expect(nothingLines.texts == ["simulated rollback: nothing to undo"])
    }

    @Test func aCommandWithoutScriptIsOnlyAnnounced() async {
        let (result, lines, elapsed) = await run(job(nil, command: "rm -rf /"))
        #expect(result == ExecutionResult(termination: .exited(0)))
        #expect(lines.texts == ["simulated: rm -rf /"])
        #expect(elapsed < .seconds(120))  // only a hang, or a 300 s script not cut short, takes this long

        let (empty, emptyLines, _) = await run(job(nil))
        #expect(empty.succeeded)
        #expect(emptyLines.lines.isEmpty)
    }

    @Test func signalsAfterTheEndAreIgnored() async {
        let control = ExecutionControl()
        let (result, _, _) = await run(job(Simulation()), control: control)
        control.send(.kill)
        #expect(result.succeeded)
    }
}
