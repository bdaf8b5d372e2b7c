import Foundation
import Testing
@testable import BatonEngine

/// `approval.inputs`: an approver gives typed values with the decision; they are recorded with
/// it, checked against the declaration, and become the gate's outputs.
@Suite struct ApprovalInputsTests {
    private let yaml = """
        name: release
        steps:
          choose:
            approval:
              prompt: Which version goes out?
              inputs:
                version:
                  required: true
                  description: the release to ship
                channel:
                  type: choice
                  choices: [stable, beta]
                  default: stable
          ship:
            needs: [choose]
            approval:
              inputs:
                window: {type: number}
            run: echo "shipping $STEPS_CHOOSE_OUTPUTS_VERSION on $STEPS_CHOOSE_OUTPUTS_CHANNEL within $STEPS_SHIP_OUTPUTS_WINDOW"
          announce:
            needs: [ship]
            when: steps.ship.outputs.window > 10
            run: "true"

        """

    @Test func inputsAreDeclaredLikeParametersAndNeverSecret() throws {
        let workflow = try WorkflowLoader.load(yaml: yaml, file: "wf.yaml")
        #expect(workflow["choose"]?.approval?.inputs.map(\.name) == ["version", "channel"])
        #expect(workflow["choose"]?.approval?.inputs.last?.kind == .choice(["stable", "beta"]))
        let problems = EngineTestSupport.loadProblems("name: r\nsteps:\n  g:\n    approval:\n      inputs:\n        pin: {secret: true}\n        n: {type: nmber}\n")
        #expect(problems.contains { $0.contains("input 'pin' of the approval of step 'g' cannot be secret") }, "\(problems)")
        #expect(problems.contains { $0.contains("did you mean 'number'?") }, "\(problems)")
    }

    @Test func valuesAreCheckedRecordedAndBecomeTheGatesOutputs() async throws {
        let workflow = try WorkflowLoader.load(yaml: yaml, file: "wf.yaml")
        let directory = RunDirectory(path: EngineTestSupport.temporaryDirectory() + "/run")
        let configuration = EngineConfiguration(runID: "inputs", user: "starter", runDirectory: directory, syncJournal: false, environment: [:])
        let engine = try Engine(workflow: workflow, workflowText: yaml, configuration: configuration)
        await engine.start()
        try await EngineTestSupport.waitFor(engine) { $0["choose"]?.state == .waiting }

        let missing = await engine.approve("choose", by: "alice")
        #expect(missing.message == "'choose' needs a value for 'version' (the release to ship)")
        let wrong = await engine.approve("choose", by: "alice", values: ["versoin": "1.4", "channel": "nightly"])
        #expect(wrong.message.contains("'choose' asks for no value 'versoin'; it asks for version, channel; did you mean 'version'?"), "\(wrong.message)")
        #expect(wrong.message.contains("'channel' (choice): 'nightly' is not one of 'stable', 'beta'"), "\(wrong.message)")
        #expect(await engine.state["choose"]?.state == .waiting, "a refused approval decides nothing")

        #expect(await engine.approve("choose", by: "alice", comment: "go", values: ["version": "1.4.2"]).isAccepted)
        try await EngineTestSupport.waitFor(engine) { $0["ship"]?.state == .waiting }
        #expect(await engine.state["choose"]?.outputs == ["version": "1.4.2", "channel": "stable"], "the default fills what was not given")
        #expect(await engine.approve("ship", by: "bob", values: ["window": "30"]).isAccepted)
        _ = try await EngineTestSupport.settle(engine)
        let state = await engine.state
        #expect(state["ship"]?.outputs == ["window": "30"], "a gate with a command keeps its approval's values among its outputs")
        #expect(state["announce"]?.state == .succeeded, "a dependent's when: reads them")
        _ = await engine.close(by: "starter")
        let log = StepLogStore.readLines(path: directory.logsPath + "/ship.log", stepID: "ship").map(\.text)
        #expect(log.contains("shipping 1.4.2 on stable within 30"), "\(log)")
        let journal = try String(contentsOfFile: directory.eventsPath, encoding: .utf8)
        #expect(journal.contains(#""command":"approve","comment":"go","kind":"command","outputs":{"channel":"stable","version":"1.4.2"}"#),
                "the values are recorded with the decision")
        let folded = try JournalReader.fold(directory.readJournal().events)
        #expect(folded["choose"]?.approval?.values == ["version": "1.4.2", "channel": "stable"])
    }
}
