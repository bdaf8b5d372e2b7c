import Foundation
import Testing

@testable import BatonEngine

/// `simulate.failure_chance` and `--seed`: injected failures that a seed plays again.
@Suite("Injected failures")
struct InjectedFailureTests {
    let ids = (0..<200).map { "step\($0)" }

    @Test func theSameSeedInjectsTheSameFailures() {
        let simulation = Simulation(failureChance: 0.3)
        let first = ids.map { simulation.exitCode(forAttempt: 1, stepID: $0, seed: 42) }
        let again = ids.map { simulation.exitCode(forAttempt: 1, stepID: $0, seed: 42) }
        let other = ids.map { simulation.exitCode(forAttempt: 1, stepID: $0, seed: 43) }
        #expect(first == again)
        #expect(first != other)
        // Roughly the asked-for share fails: 30% of 200, give or take.
        let failures = first.filter { $0 == 1 }.count
        #expect((30...90).contains(failures), "\(failures) of 200 failed at a 30% chance")
    }

    @Test func eachAttemptRollsAgain() {
        let simulation = Simulation(failureChance: 0.5)
        let attempts = (1...40).map { simulation.exitCode(forAttempt: $0, stepID: "flaky", seed: 7) }
        #expect(attempts.contains(0))
        #expect(attempts.contains(1))
    }

    @Test func scriptedFailuresAndTheEdgesOfTheChanceHold() {
        #expect(Simulation(exitCodes: [3], failureChance: 0).exitCode(forAttempt: 1, stepID: "x", seed: 1) == 3)
        #expect(Simulation(exitCodes: [3], failureChance: 1).exitCode(forAttempt: 1, stepID: "x", seed: 1) == 3)
        #expect(ids.allSatisfy { Simulation(failureChance: 1).exitCode(forAttempt: 1, stepID: $0, seed: 9) == 1 })
        #expect(ids.allSatisfy { Simulation(failureChance: 0).exitCode(forAttempt: 1, stepID: $0, seed: 9) == 0 })
        for id in ids {
            let roll = InjectedFailure.roll(seed: 5, stepID: id, attempt: 2)
            #expect(roll >= 0 && roll < 1)
        }
    }

    @Test func theExecutorPlaysTheSeededFailure() async {
        let simulation = Simulation(failureChance: 0.5)
        let seed: UInt64 = 11
        let job = ExecutionJob(
            stepID: "flaky", attempt: 1, purpose: .run, command: nil, environment: [:], directory: nil,
            outputFile: "/nonexistent/baton-never-written", simulation: simulation)
        let expected = simulation.exitCode(forAttempt: 1, stepID: "flaky", seed: seed)
        let result = await SimulatedExecutor(speed: 0, seed: seed).execute(job, control: ExecutionControl()) { _ in }
        #expect(result.termination == .exited(expected))
    }

    @Test func theLoaderReadsAndChecksTheChance() throws {
        let good = """
            steps:
              a:
                simulate:
                  failure_chance: 0.25
            """
        let workflow = try WorkflowLoader.load(yaml: good, file: "wf.yaml")
        #expect(workflow.steps[0].simulate?.failureChance == 0.25)
        for (value, message) in [("1.5", "more than 1"), ("-0.1", "negative"), ("often", "a chance from 0 to 1"), ("'0.5'", "a chance from 0 to 1")] {
            let bad = """
                steps:
                  a:
                    simulate:
                      failure_chance: \(value)
                """
            do {
                _ = try WorkflowLoader.load(yaml: bad, file: "wf.yaml")
                Issue.record("failure_chance \(value) was accepted")
            } catch {
                let problem = error.problems.first
                #expect(problem?.message.contains(message) == true, "\(value): \(problem?.message ?? "no problem")")
                #expect(problem?.location.line == 4)
                #expect(problem?.location.column == 23)
            }
        }
    }
}
