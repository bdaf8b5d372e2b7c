import Foundation
import Testing
@testable import BatonEngine

/// The teaching demos in `demo/`: each must load, be documented for learners, and end the
/// way its header's `# expected:` line says when played headless at speed 0 with every gate
/// approved (as `baton run --simulate --speed 0 --approve-all` does).
@Suite struct DemoLibraryTests {
    @Test func theLibraryHasAtLeastFiveDemos() {
        #expect(DemoLibrary.fileNames.count >= 5, "found \(DemoLibrary.fileNames) in \(DemoLibrary.directory)")
    }

    @Test(arguments: DemoLibrary.fileNames)
    func demoLoadsAndIsDocumented(_ fileName: String) throws {
        let demo = try DemoLibrary.load(fileName)
        let workflow = demo.workflow
        let stem = String(fileName.dropLast(".yaml".count))
        #expect(workflow.name == stem, "\(fileName): name should be the file stem '\(stem)'")
        #expect(!(workflow.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(fileName): no description")
        for step in workflow.steps {
            #expect(!(step.notes ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(fileName): step '\(step.id)' has no notes")
            // Nothing in a demo may act on the machine: every step is played from its
            // simulation (or is a pure gate), and a rollback only prints.
            #expect(step.simulate != nil || step.isPureGate, "\(fileName): step '\(step.id)' is not simulated")
            if let rollback = step.rollback {
                #expect(rollback.hasPrefix("echo "), "\(fileName): the rollback of '\(step.id)' is not an echo: \(rollback)")
            }
        }
        for id in demo.expectation.states.keys {
            #expect(workflow[id] != nil, "\(fileName): the expected line names '\(id)', which is not a step")
        }
    }

    @Test(.timeLimit(.minutes(2)), arguments: DemoLibrary.fileNames)
    func demoEndsAsDocumented(_ fileName: String) async throws {
        let demo = try DemoLibrary.load(fileName)
        let (outcome, state, errors) = try await DemoLibrary.play(demo.workflow, limit: .seconds(60))
        #expect(outcome == demo.expectation.outcome, "\(fileName): the run \(outcome.rawValue), expected \(demo.expectation.outcome.rawValue)")
        for step in demo.workflow.steps {
            let expected = demo.expectation.states[step.id] ?? .succeeded
            let actual = state[step.id]?.state
            #expect(actual == expected, "\(fileName): step '\(step.id)' ended \(actual?.rawValue ?? "unknown"), expected \(expected.rawValue)")
        }
        #expect(errors.isEmpty, "\(fileName): engine errors: \(errors)")
    }

    @Test func parsesExpectedLines() throws {
        let text = "# a demo\n# expected: failed; failed: dns; rolled_back: app, db\nname: x\n"
        let expectation = try DemoExpectation(parsing: text, file: "x.yaml")
        #expect(expectation.outcome == .failed)
        #expect(expectation.states == ["dns": .failed, "app": .rolledBack, "db": .rolledBack])
        #expect(try DemoExpectation(parsing: "# expected: succeeded\n", file: "y.yaml").states.isEmpty)
        #expect(throws: DemoLibraryError.self) { try DemoExpectation(parsing: "# no line here\n", file: "z.yaml") }
        #expect(throws: DemoLibraryError.self) { try DemoExpectation(parsing: "# expected: fine\n", file: "z.yaml") }
        #expect(throws: DemoLibraryError.self) { try DemoExpectation(parsing: "# expected: failed; broken: a\n", file: "z.yaml") }
        #expect(throws: DemoLibraryError.self) {
            try DemoExpectation(parsing: "# expected: failed; failed: a; skipped: a\n", file: "z.yaml")
        }
    }
}

/// The documented end state of a demo, from its `# expected: OUTCOME; STATE: a, b; …` line.
struct DemoExpectation: Equatable {
    var outcome: RunOutcome
    /// The steps whose final state is not `succeeded`.
    var states: [String: StepState]

    init(parsing text: String, file: String) throws {
        let prefix = "# expected:"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.hasPrefix(prefix) }
        guard lines.count == 1, let line = lines.first else {
            throw DemoLibraryError("\(file): needs exactly one '\(prefix)' line, found \(lines.count)")
        }
        let parts = line.dropFirst(prefix.count).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first, let outcome = RunOutcome(rawValue: first) else {
            throw DemoLibraryError("\(file): '\(line)' does not start with a run outcome")
        }
        self.outcome = outcome
        self.states = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, let state = StepState(rawValue: pair[0]) else {
                throw DemoLibraryError("\(file): '\(part)' is not 'STATE: step, step'")
            }
            let ids = pair[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !ids.isEmpty, !ids.contains(where: \.isEmpty) else {
                throw DemoLibraryError("\(file): '\(part)' lists no steps")
            }
            for id in ids {
                guard states.updateValue(state, forKey: id) == nil else {
                    throw DemoLibraryError("\(file): step '\(id)' is listed twice")
                }
            }
        }
    }
}

struct DemoLibraryError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum DemoLibrary {
    /// `demo/` at the package root, found from this file's place in `Tests/BatonEngineTests/`.
    static let directory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("demo").path

    /// The demo files, by name, sorted.
    static let fileNames: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    /// Loads (and so validates) a demo and reads its expected line.
    static func load(_ fileName: String) throws -> (workflow: Workflow, expectation: DemoExpectation) {
        let path = directory + "/" + fileName
        let workflow: Workflow
        do {
            workflow = try WorkflowLoader.load(contentsOf: path)
        } catch {
            throw DemoLibraryError(error.problems.map { "\($0)" }.joined(separator: "\n"))
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return (workflow, try DemoExpectation(parsing: text, file: fileName))
    }

    /// Plays a workflow in-process with the simulated executor at speed 0, approving each gate
    /// as it opens, and ends a run that waits for an operator as the headless runner does.
    /// Throws `TestTimeout` if the run has not ended after `limit`.
    static func play(_ workflow: Workflow, limit: Duration) async throws -> (RunOutcome, RunState, [String]) {
        var configuration = EngineConfiguration(
            runID: "demo-\(UUID().uuidString.prefix(8))", user: "demo-tester",
            executor: SimulatedExecutor(speed: 0), simulator: SimulatedExecutor(speed: 0),
            syncJournal: false, cancelGracePeriod: .milliseconds(500), environment: [:])
        configuration.simulatesEverything = true
        let engine = try Engine(workflow: workflow, workflowText: "name: \(workflow.name)\n", configuration: configuration)
        let gates = GateApprover(engine: engine)
        let listener = Task {
            for await update in engine.updates {
                if case .event(let event) = update, event.kind == .step, event.state == .waiting, let step = event.step {
                    await gates.approve(step)
                }
            }
        }
        defer { listener.cancel() }
        await engine.start()
        let deadline = ContinuousClock.now + limit
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw await timedOut(engine) }
            let settlement: Settlement
            do {
                settlement = try await EngineTestSupport.settle(engine, limit: remaining)
            } catch is TestTimeout {
                throw await timedOut(engine)
            }
            if case .finished = settlement { break }
            if await gates.approveWaiting() { continue }
            // Nobody left to act: a complete run succeeds, anything else fails (as headless).
            let complete = await engine.isComplete
            if !(await engine.finish(outcome: complete ? .succeeded : .failed, reason: "no operator to act")) {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let outcome = await engine.waitUntilFinished()
        return (outcome, await engine.state, await engine.internalErrors + gates.refusals)
    }

    private static func timedOut(_ engine: Engine) async -> TestTimeout {
        _ = await engine.cancelRun(by: "demo-tester")
        return TestTimeout()
    }
}

/// Approves each approval gate once per run, as `--approve-all` does.
private actor GateApprover {
    let engine: Engine
    private var handled: Set<String> = []
    private(set) var refusals: [String] = []

    init(engine: Engine) { self.engine = engine }

    func approve(_ step: String) async {
        guard handled.insert(step).inserted else { return }
        let result = await engine.approve(step, by: "demo-tester", comment: "approved by DemoLibraryTests (as --approve-all)")
        if !result.isAccepted { refusals.append("could not approve '\(step)': \(result.message)") }
    }

    /// Approves every waiting gate not yet handled; true if there was one.
    func approveWaiting() async -> Bool {
        let waiting = await engine.state.steps.filter { $0.state == .waiting && !handled.contains($0.id) }.map(\.id)
        for step in waiting { await approve(step) }
        return !waiting.isEmpty
    }
}
