import Foundation
import Testing
@testable import BatonEngine

/// Run parameters: declared under `params:`, given with `-p NAME=VALUE`, checked against
/// their types, seen by steps as `$PARAMS_<NAME>` and recorded (secrets masked) in `run_started`.
@Suite struct RunParametersTests {
    static let declaring = """
        name: release
        params:
          target:
            type: choice
            choices: [staging, production]
            default: staging
            description: Where to deploy
          replicas:
            type: number
            required: true
          dry-run:
            type: bool
            default: "false"
          token:
            secret: true
          note: {}
        steps:
          deploy:
            run: ./deploy.sh

        """

    private func problems(_ yaml: String) -> [String] { EngineTestSupport.loadProblems(yaml) }

    private func declaring(_ params: String) -> String {
        "name: p\nparams:\n" + params + "steps:\n  a:\n    run: \"true\"\n"
    }

    @Test func declarationsAreReadInFileOrderWithTheirTypes() throws {
        let workflow = try WorkflowLoader.load(yaml: Self.declaring, file: "wf.yaml")
        #expect(workflow.params.map(\.name) == ["target", "replicas", "dry-run", "token", "note"])
        #expect(workflow.params[0].kind == .choice(["staging", "production"]))
        #expect(workflow.params[0].defaultValue == "staging" && workflow.params[0].description == "Where to deploy")
        #expect(workflow.params[1].kind == .number && workflow.params[1].required)
        #expect(workflow.params[2].kind == .bool && workflow.params[2].environmentName == "PARAMS_DRY_RUN")
        #expect(workflow.params[3].secret && workflow.params[3].kind == .string)
        #expect(workflow.params[4] == WorkflowParameter(name: "note"))
    }

    @Test(arguments: [
        ("  x:\n    requird: true\n", "wf.yaml:4:5: unknown key 'requird' in parameter 'x'; did you mean 'required'?"),
        ("  x:\n    type: numbr\n", "wf.yaml:4:11: 'params.x.type' must be one of string, number, bool, choice, not 'numbr'; did you mean 'number'?"),
        ("  x:\n    type: choice\n", "wf.yaml:4:11: parameter 'x' is a choice: list its values under 'choices'"),
        ("  x:\n    choices: [a, b]\n", "wf.yaml:4:14: 'choices' is only for parameters of type choice"),
        ("  x:\n    type: choice\n    choices: [a, a]\n", "wf.yaml:5:18: 'params.x.choices' lists 'a' twice"),
        ("  x:\n    type: number\n    default: ten\n", "wf.yaml:5:14: the default of parameter 'x' does not fit its type (number): 'ten' is not a number"),
        ("  x:\n    type: bool\n    default: yes\n", "wf.yaml:5:14: the default of parameter 'x' does not fit its type (bool): 'yes' is not true or false"),
        ("  x:\n    type: choice\n    choices: [red, green]\n    default: gren\n", "did you mean 'green'?"),
        ("  9lives: {}\n", "wf.yaml:3:3: '9lives' is not a parameter name"),
        ("  a-b: {}\n  a_b: {}\n", "wf.yaml:4:3: parameters 'a-b' and 'a_b' would both reach steps as $PARAMS_A_B; rename one"),
        ("  x: [1, 2]\n", "wf.yaml:3:6: parameter 'x' must be a mapping of settings"),
    ])
    func badDeclarationsAreSaidWhereTheyAre(params: String, expected: String) {
        let found = problems(declaring(params))
        #expect(found.contains { $0.contains(expected) }, "\(found)")
    }

    @Test func whenReadsADeclaredParameterAndNeitherAnUndeclaredNorASecretOne() async throws {
        let problems = problems("""
            name: p
            params:
              target: {}
              token:
                secret: true
            steps:
              a:
                run: "true"
                when: params.targt == 'x' || params.token == 'y'
            """)
        #expect(problems.contains { $0.hasPrefix("wf.yaml:9:11: 'when' in step 'a' reads params.targt, which the workflow does not declare under 'params'; did you mean 'target'?") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("wf.yaml:9:34: 'when' in step 'a' reads params.token, a secret") }, "\(problems)")

        let workflow = try WorkflowLoader.load(yaml: """
            name: p
            params:
              target:
                type: choice
                choices: [staging, production]
                default: staging
            steps:
              prod-only:
                run: "true"
                when: params.target == 'production'
              everywhere:
                run: "true"
            """, file: "wf.yaml")
        for (given, expected) in [([String](), StepState.skipped), (["target=production"], StepState.succeeded)] {
            var configuration = EngineConfiguration(runID: "when-params", user: "tester", syncJournal: false, environment: [:])
            configuration.parameters = try RunParameters.resolve(given, for: workflow).get()
            let engine = try Engine(workflow: workflow, configuration: configuration)
            await engine.start()
            _ = try await EngineTestSupport.settle(engine)
            #expect(await engine.state["prod-only"]?.state == expected, "with \(given)")
        }
    }

    @Test func aListInsteadOfAMappingIsSaid() {
        #expect(problems("name: p\nparams: [a]\nsteps:\n  a:\n    run: \"true\"\n").contains { $0.hasPrefix("wf.yaml:2:9: 'params' must be a mapping") })
    }

    @Test func givenValuesAndDefaultsAreCheckedAgainstTheirTypes() throws {
        let workflow = try WorkflowLoader.load(yaml: Self.declaring, file: "wf.yaml")
        let resolved = try RunParameters.resolve(["replicas=3", "token=s3cret", "target=production"], for: workflow).get()
        #expect(resolved.values == ["target": "production", "replicas": "3", "dry-run": "false", "token": "s3cret"])
        #expect(resolved.environment == [
            "PARAMS_TARGET": "production", "PARAMS_REPLICAS": "3", "PARAMS_DRY_RUN": "false", "PARAMS_TOKEN": "s3cret", "PARAMS_NOTE": "",
        ])
        #expect(resolved.journaled == ["target": "production", "replicas": "3", "dry-run": "false", "token": "***"], "a given secret is masked")
        #expect(resolved.secretValues == ["s3cret"])
        let defaulted = try RunParameters.resolve(["replicas=-1.5e2"], for: workflow).get()
        #expect(defaulted.journaled["token"] == nil, "a secret left unset is not recorded")
    }

    @Test func everyBadValueIsSaidAtOnce() throws {
        let workflow = try WorkflowLoader.load(yaml: Self.declaring, file: "wf.yaml")
        let problems = RunParameters.resolve(["replicas=many", "targt=prod", "target=prod", "dry-run=yes", "token", "note=a", "note=b", "token=x=y"], for: workflow)
        guard case .failure(let error) = problems else {
            Issue.record("bad values were taken")
            return
        }
        #expect(error.problems == [
            "parameter 'replicas' (number): 'many' is not a number",
            "the workflow has no parameter 'targt'; its parameters are target, replicas, dry-run, token, note; did you mean 'target'?",
            "parameter 'target' (choice): 'prod' is not one of 'staging', 'production'",
            "parameter 'dry-run' (bool): 'yes' is not true or false",
            "'-p token' must be NAME=VALUE",
            "parameter 'note' is given twice",
            "parameter 'replicas' is required: add -p replicas=VALUE",
        ])
        let secret = WorkflowParameter(name: "pin", kind: .number, secret: true)
        let hidden = RunParameters.resolve(["pin=12ab"], for: Workflow(name: "w", params: [secret], steps: [Step(id: "a", run: "true")]))
        #expect((try? hidden.get()) == nil)
        if case .failure(let error) = hidden { #expect(!error.description.contains("12ab"), "a secret's value is not repeated back") }
        #expect(RunParameters.resolve(["x=1"], for: Workflow(name: "w", steps: [])).failureDescription == "the workflow declares no parameters, so '-p x=…' has nothing to set")
    }

    @Test func aResumedRunKeepsItsValuesAndTakesOnlyItsSecretsAgain() throws {
        let workflow = try WorkflowLoader.load(yaml: Self.declaring, file: "wf.yaml")
        let recorded = ["target": "production", "replicas": "3", "dry-run": "false", "token": "***"]
        let resumed = try RunParameters.resume(recorded: recorded, given: ["token=s3cret"], for: workflow).get()
        #expect(resumed.values == ["target": "production", "replicas": "3", "dry-run": "false", "token": "s3cret"])
        #expect(resumed.journaled == recorded)
        #expect(RunParameters.resume(recorded: recorded, given: [], for: workflow).failureDescription
                == "parameter 'token' is secret, so the journal does not keep its value: give it again with -p token=VALUE")
        #expect(RunParameters.resume(recorded: recorded, given: ["token=s", "replicas=4"], for: workflow).failureDescription
                == "parameter 'replicas' is not secret: the run keeps the value it started with ('3')")
        let unsetSecret = ["target": "staging", "replicas": "3", "dry-run": "false"]
        #expect(RunParameters.resume(recorded: unsetSecret, given: ["token=s"], for: workflow).failureDescription
                == "parameter 'token' was not given when the run started: the run keeps no value")
    }

    @Test func stepsSeeTheirParametersAndTheJournalMasksSecrets() async throws {
        let directory = RunDirectory(path: EngineTestSupport.temporaryDirectory() + "/run")
        let workflow = Workflow(
            name: "params", params: [WorkflowParameter(name: "target"), WorkflowParameter(name: "token", secret: true)],
            steps: [Step(id: "show", run: "echo \"to $PARAMS_TARGET with $PARAMS_TOKEN\"")])
        var configuration = EngineConfiguration(runID: "params", user: "tester", runDirectory: directory, syncJournal: false, environment: [:])
        configuration.parameters = try RunParameters.resolve(["target=prod; rm -rf /", "token=hunter2"], for: workflow).get()
        let engine = try Engine(workflow: workflow, workflowText: "name: params\n", configuration: configuration)
        await engine.start()
        _ = try await EngineTestSupport.settle(engine)
        _ = await engine.close(by: "tester")
        let lines = StepLogStore.readLines(path: directory.logsPath + "/show.log", stepID: "show").map(\.text)
        #expect(lines.contains("to prod; rm -rf / with ***"), "the value arrives as text, never as shell, and the secret is masked: \(lines)")
        let journal = try String(contentsOfFile: directory.eventsPath, encoding: .utf8)
        #expect(journal.contains(#""params":{"target":"prod; rm -rf /","token":"***"}"#))
        #expect(!journal.contains("hunter2"))
        let state = try JournalReader.fold(directory.readJournal().events)
        #expect(state.params == ["target": "prod; rm -rf /", "token": "***"])
    }
}

private extension Result where Failure == RunParametersError {
    var failureDescription: String? {
        if case .failure(let error) = self { return error.description }
        return nil
    }
}
