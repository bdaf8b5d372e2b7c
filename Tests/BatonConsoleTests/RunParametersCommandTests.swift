import Foundation
import Testing

/// Values given on the command line, as a person types them: `baton run FILE -p NAME=VALUE`
/// (values reach the steps, a bad one is refused with exit status 2 before anything runs, and
/// `baton resume` keeps the recorded values and asks again only for a secret the journal does
/// not keep), and `baton approve RUN STEP --set NAME=VALUE` for a gate's approval inputs.
@Suite(.timeLimit(.minutes(2))) struct RunParametersCommandTests {
    private let workflow = """
        name: greet
        params:
          who:
            required: true
          times:
            type: number
            default: "2"
          pin:
            secret: true
        steps:
          greet:
            run: echo "hello $PARAMS_WHO x$PARAMS_TIMES pin=$PARAMS_PIN"

        """

    @Test func valuesReachTheStepsAndBadOnesAreRefusedBeforeAnythingRuns() async throws {
        let directory = NSTemporaryDirectory() + "baton-params-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/greet.yaml"
        try workflow.write(toFile: file, atomically: true, encoding: .utf8)
        let state = directory + "/state"
        let binary = ConsoleEndToEndTests.binary

        let ran = try await ChildProcess.finish(binary, ["run", file, "--headless", "--logs", "--state-dir", state, "-p", "who=world", "--param", "pin=4321"])
        #expect(ran.status == 0, "\(ran.output)")
        #expect(ran.output.contains("hello world x2 pin=***"), "the step got its values, the secret masked: \(ran.output)")
        #expect(!ran.output.contains("4321"))

        let bad = try await ChildProcess.finish(binary, ["run", file, "--headless", "--state-dir", state, "-p", "times=lots", "-p", "whom=x"])
        #expect(bad.status == 2, "\(bad.output)")
        #expect(bad.output.contains("baton: \(file): parameter 'times' (number): 'lots' is not a number"), "\(bad.output)")
        #expect(bad.output.contains("the workflow has no parameter 'whom'; its parameters are who, times, pin; did you mean 'who'?"), "\(bad.output)")
        #expect(bad.output.contains("parameter 'who' is required: add -p who=VALUE"), "\(bad.output)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: state + "/runs")
        #expect(runs.count == 1, "the refused run was never recorded: \(runs)")
    }

    @Test func aResumeTakesTheRecordedValuesAndAsksAgainOnlyForAGivenSecret() async throws {
        let directory = NSTemporaryDirectory() + "baton-params-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/greet.yaml"
        // The step fails until the file `ok` exists: the unattended run ends waiting for an operator.
        try (workflow + "    needs: [check]\n  check:\n    run: test -f \(directory)/ok\n").write(toFile: file, atomically: true, encoding: .utf8)
        let state = directory + "/state"
        let binary = ConsoleEndToEndTests.binary
        let first = try await ChildProcess.finish(binary, ["run", file, "--unattended", "--state-dir", state, "-p", "who=again", "-p", "pin=4321"])
        #expect(first.status == 1, "\(first.output)")
        let run = try #require(try FileManager.default.contentsOfDirectory(atPath: state + "/runs").first)
        try #require(FileManager.default.createFile(atPath: directory + "/ok", contents: nil))

        let withoutSecret = try await ChildProcess.finish(binary, ["resume", run, "--unattended", "--retry-failed", "--state-dir", state])
        #expect(withoutSecret.status == 2, "\(withoutSecret.output)")
        #expect(withoutSecret.output.contains("parameter 'pin' is secret, so the journal does not keep its value: give it again with -p pin=VALUE"), "\(withoutSecret.output)")
        let changed = try await ChildProcess.finish(binary, ["resume", run, "--unattended", "--retry-failed", "--state-dir", state, "-p", "pin=4321", "-p", "who=other"])
        #expect(changed.status == 2, "\(changed.output)")
        #expect(changed.output.contains("parameter 'who' is not secret: the run keeps the value it started with ('again')"), "\(changed.output)")

        let resumed = try await ChildProcess.finish(binary, ["resume", run, "--unattended", "--retry-failed", "--logs", "--state-dir", state, "-p", "pin=4321"])
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.output.contains("hello again x2 pin=***"), "the recorded values and the secret given again: \(resumed.output)")
    }

    @Test func atATerminalAMissingRequiredParameterIsAskedForUntilItFits() async throws {
        let directory = NSTemporaryDirectory() + "baton-params-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/count.yaml"
        try """
            name: count
            params:
              who:
                required: true
                description: Whom to greet
              count:
                type: number
                required: true
            steps:
              greet:
                run: echo "greeting $PARAMS_WHO $PARAMS_COUNT times"

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("\(ConsoleEndToEndTests.binary) run \(file) --headless --logs --state-dir \(directory)/state; echo exit=$?")
        _ = try await tmux.waitFor("who (text) — Whom to greet:")
        try tmux.type("the team")
        try tmux.send("Enter")
        _ = try await tmux.waitFor("count (a number):")
        try tmux.type("many")
        try tmux.send("Enter")
        _ = try await tmux.waitFor("'many' is not a number")
        try tmux.type("3")
        try tmux.send("Enter")
        let screen = try await tmux.waitFor("exit=0")
        #expect(screen.contains("greeting the team 3 times"), "\(screen)")
    }

    @Test func approveWithSetGivesAGateItsValuesFromAnotherTerminal() async throws {
        let directory = NSTemporaryDirectory() + "baton-inputs-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/release.yaml"
        try """
            name: release
            steps:
              choose:
                approval:
                  inputs:
                    version: {required: true}
              ship:
                needs: [choose]
                run: echo "shipping $STEPS_CHOOSE_OUTPUTS_VERSION"

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let state = directory + "/state"
        let binary = ConsoleEndToEndTests.binary
        let run = try ChildProcess.start(binary, ["run", file, "--headless", "--logs", "--state-dir", state])
        var runID: String?
        let deadline = ContinuousClock.now + .seconds(45)
        while runID == nil, ContinuousClock.now < deadline {
            if let id = try? FileManager.default.contentsOfDirectory(atPath: state + "/runs").first,
               FileManager.default.fileExists(atPath: "\(state)/runs/\(id)/host.sock") { runID = id }
            try await Task.sleep(for: .milliseconds(20))
        }
        let id = try #require(runID, "the run never served its socket")
        // The run serves its socket before the gate is reached; an approval before that is refused.
        try await run.waitForOutput(containing: "gate 'choose' waits for an approver")
        let missing = try await ChildProcess.finish(binary, ["approve", id, "choose", "--state-dir", state])
        #expect(missing.status == 1, "\(missing.output)")
        #expect(missing.output.contains("'choose' needs a value for 'version'"), "\(missing.output)")
        let malformed = try await ChildProcess.finish(binary, ["approve", id, "choose", "--set", "version", "--state-dir", state])
        #expect(malformed.status == 2 && malformed.output.contains("--set version must be NAME=VALUE"), "\(malformed.output)")
        let approved = try await ChildProcess.finish(binary, ["approve", id, "choose", "--set", "version=2.0.1", "--state-dir", state])
        #expect(approved.status == 0, "\(approved.output)")
        let finished = try await run.exit(within: .seconds(45))
        #expect(finished.status == 0, "\(finished.output)")
        #expect(finished.output.contains("shipping 2.0.1"), "\(finished.output)")
    }
}
