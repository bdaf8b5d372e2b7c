import Foundation
import Testing
@testable import BatonEngine

/// Reusable workflows as they load: a `uses:` step is replaced by the called file's steps,
/// their ids prefixed; `with:` is checked against the called file's `params:`, `outputs:`
/// against its steps; every problem names the file it is in, and no set of files makes the
/// loader hang or run away.
@Suite struct ReusableWorkflowLoadingTests {
    static let library = """
        name: build-lib
        description: Compiles and packs
        concurrency: 2
        timeout: 10m
        env:
          LIB: "yes"
          MODE: lib
        secrets: [LIB_TOKEN]
        params:
          target:
            type: choice
            choices: [staging, production]
            required: true
          replicas:
            type: number
            default: "1"
          sha: {}
        outputs:
          version: steps.pack.outputs.version
          sha: ${{ steps.compile.outputs['git.sha'] }}
        steps:
          compile:
            run: make
            env:
              MODE: compile
          lint:
            run: make lint
          pack:
            needs: compile
            when: params.target == 'staging' && steps.compile.outputs.x == '1'
            run: make pack
        """

    static let main = """
        name: release
        params:
          env:
            type: choice
            choices: [staging, production]
            default: staging
        steps:
          checkout:
            run: git rev-parse HEAD
          build:
            uses: lib/build.yaml
            name: Build it
            notes: Builds the thing
            needs: [checkout]
            with:
              target: ${{ params.env }}
              replicas: 3
              sha: ${{ steps.checkout.outputs.sha }}
          report:
            needs: [build]
            when: steps.build.outputs.version != '' && steps.build.failed == 0
            run: echo "$STEPS_BUILD_OUTPUTS_VERSION"
        """

    @Test func aCallBecomesTheCalledStepsWithPrefixedIdsAndNeeds() throws {
        let folder = try WorkflowFolder(["main.yaml": Self.main, "lib/build.yaml": Self.library])
        let workflow = try folder.load()
        #expect(workflow.stepIDs == ["checkout", "build.compile", "build.lint", "build.pack", "report"])
        #expect(workflow["build.compile"]?.needs == ["checkout"], "a called step without needs takes the call's")
        #expect(workflow["build.lint"]?.needs == ["checkout"])
        #expect(workflow["build.pack"]?.needs == ["build.compile"], "a called step keeps its own needs, prefixed")
        #expect(workflow["report"]?.needs == ["build.compile", "build.lint", "build.pack"], "needing the call needs every called step")
        #expect(workflow["build.pack"]?.enclosingCalls == ["build"] && workflow["build.pack"]?.localID == "pack")
        #expect(workflow["report"]?.enclosingCalls == [])

        let call = try #require(workflow.call("build"))
        #expect(call.file == "\(folder.path)/lib/build.yaml")
        #expect(call.workflowName == "build-lib" && call.description == "Compiles and packs")
        #expect(call.name == "Build it" && call.notes == "Builds the thing" && call.parent == nil)
        #expect(call.steps == ["build.compile", "build.lint", "build.pack"])
        #expect(call.params.map(\.name) == ["target", "replicas", "sha"])
        #expect(call.arguments == [
            "target": .parameter("env"), "replicas": .value("3"), "sha": .output(step: "checkout", key: "sha"),
        ])
        #expect(call.outputs == [
            WorkflowCall.Output(name: "version", step: "build.pack", key: "version"),
            WorkflowCall.Output(name: "sha", step: "build.compile", key: "git.sha"),
        ])
        #expect(call.ignoredSettings == ["concurrency", "timeout"], "a called file's run settings are the run's")
        #expect(workflow.concurrency == nil && workflow.timeout == nil)
    }

    @Test func aCalledFilesEnvSecretsAndSelfApprovalCarryOverToItsSteps() throws {
        let library = """
            self_approval: false
            env: {LIB: "yes", MODE: lib}
            secrets: [LIB_TOKEN]
            steps:
              compile:
                run: make
                env: {MODE: compile}
              gate:
                approval: true
              open:
                approval: {self_approval: true}
            """
        let folder = try WorkflowFolder([
            "main.yaml": "secrets: [TOKEN]\nenv: {TOP: '1'}\nsteps:\n  build:\n    uses: lib.yaml\n", "lib.yaml": library,
        ])
        let workflow = try folder.load()
        #expect(workflow["build.compile"]?.env == ["LIB": "yes", "MODE": "compile"], "the called file's env sits below the step's own")
        #expect(workflow["build.gate"]?.env == ["LIB": "yes", "MODE": "lib"])
        #expect(workflow.env == ["TOP": "1"], "the caller's env stays the run's")
        #expect(workflow.secrets == ["TOKEN", "LIB_TOKEN"], "the called file's secrets join the caller's")
        #expect(workflow["build.gate"]?.approval?.selfApproval == false, "a called file's self_approval: false holds for its gates")
        #expect(workflow["build.open"]?.approval?.selfApproval == true, "a gate's own setting wins")
    }

    @Test func aCalledWorkflowsConditionsReadItsStepsAndItsOwnParameters() throws {
        let folder = try WorkflowFolder(["main.yaml": Self.main, "lib/build.yaml": Self.library])
        let workflow = try folder.load()
        let when = try #require(workflow["build.pack"]?.when)
        #expect(when.source == "params.target == 'staging' && steps.compile.outputs.x == '1'", "the source stays as written")
        #expect(when.expression == .and(
            .equal(.param("build.target"), .literal("staging")),
            .equal(.output(step: "build.compile", key: "x"), .literal("1"))))
    }

    @Test func aWhenOnTheCallDecidesForEveryCalledStep() throws {
        let folder = try WorkflowFolder([
            "main.yaml": """
                params:
                  enabled: {type: bool, default: "true"}
                steps:
                  prep:
                    run: "true"
                  build:
                    uses: lib.yaml
                    needs: prep
                    when: params.enabled == 'true'
                """,
            "lib.yaml": "steps:\n  a:\n    run: a\n  b:\n    needs: a\n    when: always()\n    run: b\n",
        ])
        let workflow = try folder.load()
        #expect(workflow["build.a"]?.needs == ["prep"])
        #expect(workflow["build.b"]?.needs == ["prep", "build.a"], "every called step needs what the call needs, to read it")
        #expect(workflow["build.a"]?.when?.expression == .equal(.param("enabled"), .literal("true")))
        #expect(workflow["build.b"]?.when?.source == "(params.enabled == 'true') && (always())")
        #expect(workflow["build.b"]?.when?.callsStateFunction == true)
    }

    @Test func aFanOutInsideACalledWorkflowKeepsItsInstancesAndPolicy() throws {
        let folder = try WorkflowFolder([
            "main.yaml": "steps:\n  ship:\n    uses: deploy.yaml\n  done:\n    needs: ship\n    run: 'true'\n",
            "deploy.yaml": """
                steps:
                  deploy:
                    for_each: [web1, web2, web3]
                    max_parallel: 2
                    run: deploy "$BATON_ITEM"
                  verify:
                    needs: deploy
                    run: verify
                """,
        ])
        let workflow = try folder.load()
        #expect(workflow.stepIDs == ["ship.deploy[web1]", "ship.deploy[web2]", "ship.deploy[web3]", "ship.verify", "done"])
        #expect(workflow["ship.deploy[web2]"]?.group == "ship.deploy" && workflow["ship.deploy[web2]"]?.enclosingCalls == ["ship"])
        #expect(workflow.groups == [StepGroup(id: "ship.deploy", instances: ["ship.deploy[web1]", "ship.deploy[web2]", "ship.deploy[web3]"], maxParallel: 2)])
        #expect(workflow["ship.verify"]?.needs == ["ship.deploy[web1]", "ship.deploy[web2]", "ship.deploy[web3]"])
        #expect(workflow["done"]?.needs == ["ship.deploy[web1]", "ship.deploy[web2]", "ship.deploy[web3]", "ship.verify"])
        #expect(workflow.graphGroup(of: workflow.steps[0]) == "ship", "the graph folds the whole call, its fan-out too")
    }

    @Test func nestedCallsPrefixAgainAndTheirOutputsPassThrough() throws {
        let folder = try WorkflowFolder([
            "main.yaml": """
                steps:
                  build:
                    uses: ci/build.yaml
                    with: {mode: strict}
                  report:
                    needs: build
                    when: steps.build.outputs.report != ''
                    run: "true"
                """,
            "ci/build.yaml": """
                params:
                  mode: {}
                outputs:
                  report: steps.lint.outputs.findings
                steps:
                  lint:
                    uses: ../shared/lint.yaml
                    with: {strictness: "${{ params.mode }}"}
                  after:
                    needs: lint
                    run: echo "$STEPS_LINT_OUTPUTS_FINDINGS"
                """,
            "shared/lint.yaml": """
                params:
                  strictness: {default: normal}
                outputs:
                  findings: steps.check.outputs.count
                steps:
                  check:
                    when: params.strictness == 'strict'
                    run: lint
                """,
        ])
        let definition = try folder.definition()
        let workflow = definition.workflow
        #expect(workflow.stepIDs == ["build.lint.check", "build.after", "report"])
        #expect(workflow["build.lint.check"]?.enclosingCalls == ["build", "build.lint"])
        #expect(workflow["build.after"]?.needs == ["build.lint.check"])
        #expect(workflow["build.lint.check"]?.when?.expression == .equal(.param("build.lint.strictness"), .literal("strict")))
        let inner = try #require(workflow.call("build.lint"))
        #expect(inner.parent == "build" && inner.arguments == ["strictness": .parameter("mode")])
        #expect(inner.file == "\(folder.path)/shared/lint.yaml")
        #expect(workflow.call("build")?.outputs == [WorkflowCall.Output(name: "report", step: "build.lint.check", key: "count")])
        #expect(workflow.calls.map(\.id) == ["build", "build.lint"])
        #expect(definition.calledFiles.main == "main.yaml")
        #expect(definition.calledFiles.files.map(\.path) == ["ci/build.yaml", "shared/lint.yaml"], "each file by its path from the run's folder")
        #expect(workflow.parameterValues(ofCall: "build.lint", runValues: [:], outputs: { _ in [:] }) == ["strictness": "strict"])
    }

    @Test func oneFileCalledTwiceIsReadOnceAndRunsTwice() throws {
        let folder = try WorkflowFolder([
            "main.yaml": "steps:\n  eu:\n    uses: region.yaml\n    with: {name: eu}\n  us:\n    uses: ./region.yaml\n    with: {name: us}\n",
            "region.yaml": "params:\n  name: {required: true}\nsteps:\n  go:\n    run: deploy \"$PARAMS_NAME\"\n",
        ])
        let definition = try folder.definition()
        #expect(definition.workflow.stepIDs == ["eu.go", "us.go"])
        #expect(definition.calledFiles.files.map(\.path) == ["region.yaml"])
        let values = { (call: String) in definition.workflow.parameterValues(ofCall: call, runValues: [:], outputs: { _ in [:] }) }
        #expect(values("eu") == ["name": "eu"] && values("us") == ["name": "us"])
    }

    // MARK: - Problems

    @Test func withIsCheckedAgainstTheCalledParameters() {
        let folder = try? WorkflowFolder([
            "lib/build.yaml": Self.library,
            "main.yaml": """
                params:
                  env: {type: choice, choices: [staging, qa]}
                  count: {}
                  token: {secret: true}
                  maybe: {type: choice, choices: [staging]}
                steps:
                  prep:
                    run: "true"
                  a:
                    uses: lib/build.yaml
                    with:
                      tagret: staging
                      replicas: three
                  b:
                    uses: lib/build.yaml
                    with:
                      target: ${{ params.env }}
                      replicas: ${{ params.count }}
                      sha: ${{ steps.prep.outputs.sha }}
                  c:
                    uses: lib/build.yaml
                    with:
                      target: "prod-${{ params.env }}"
                      sha: ${{ params.token }}
                  d:
                    uses: lib/build.yaml
                    with:
                      target: ${{ params.maybe }}
                      replicas: ${{ params.cuont }}
                      sha: ${{ format('{0}', params.env) }}
                """,
        ])
        #expect(folder?.problems() == [
            "main.yaml:11:5: step 'a' gives no value to 'target', which lib/build.yaml requires: add `target: VALUE` under 'with'",
            "main.yaml:12:7: 'with' in step 'a' gives 'tagret', which lib/build.yaml does not declare under 'params'; did you mean 'target'?",
            "main.yaml:13:17: 'with.replicas' in step 'a' does not fit 'replicas', a number in lib/build.yaml: 'three' is not a number",
            "main.yaml:17:15: 'with.target' in step 'b' passes params.env to 'target' of lib/build.yaml: it may be 'qa', which is not among the choices 'staging', 'production'",
            "main.yaml:18:17: 'with.replicas' in step 'b' passes params.count to 'replicas' of lib/build.yaml: it is a string, and the parameter is a number; declare params.count with `type: number`",
            "main.yaml:19:12: 'with.sha' in step 'b' reads steps.prep, which 'b' does not need; add it to needs",
            "main.yaml:23:15: 'with.target' in step 'c' must be a plain value, or exactly ${{ params.NAME }} or ${{ steps.ID.outputs.KEY }}",
            "main.yaml:24:12: 'with.sha' in step 'c' passes params.token, a secret, to 'sha' of lib/build.yaml, which is not: declare it with `secret: true`, so it stays masked",
            "main.yaml:28:15: 'with.target' in step 'd' passes params.maybe, which may have no value (it is not required and has no default), to 'target' of lib/build.yaml, which is required: give params.maybe a default, or make it required",
            "main.yaml:29:17: 'with.replicas' in step 'd' reads params.cuont, which this workflow does not declare under 'params'; did you mean 'count'?",
            "main.yaml:30:12: 'with.sha' in step 'd' must be a plain value, or exactly ${{ params.NAME }} or ${{ steps.ID.outputs.KEY }}; other expressions are not read",
        ])
    }

    @Test func aUsesStepRefusesWhatItCannotDoAndSaysWhy() throws {
        let folder = try WorkflowFolder([
            "lib.yaml": "steps:\n  a:\n    run: a\n",
            "main.yaml": """
                steps:
                  x:
                    uses: lib.yaml
                    run: make
                    retry: 2
                    for_each: [a, b]
                    approval: true
                  y:
                    run: "true"
                    with: {a: b}
                  z:
                    uses: lib.yaml
                    when: failure()
                  w:
                    uses:
                """,
        ])
        #expect(folder.problems() == [
            "main.yaml:4:5: 'run' cannot go with 'uses' in step 'x': the step runs the steps of the called workflow; give the command a step of its own",
            "main.yaml:5:5: 'retry' cannot go with 'uses' in step 'x': it is a setting of one step; set it on the steps of the called workflow, or pass a value with 'with'",
            "main.yaml:6:5: 'for_each' cannot go with 'uses' in step 'x': a called workflow runs once for each step that calls it; fan out the steps inside it instead",
            "main.yaml:7:5: 'approval' cannot go with 'uses' in step 'x': put the gate in a step of its own that this one needs, or in the called workflow",
            "main.yaml:10:5: 'with' in step 'y' gives values to the parameters of a called workflow: add `uses: FILE`, or leave 'with' out",
            "main.yaml:13:11: 'when' in step 'z' calls a state function, which a step with 'uses' cannot: its condition decides whether the called workflow runs at all, and each called step keeps its own way of meeting failures; call success(), failure(), always() or cancelled() in the called workflow's steps, or call it from a step in 'finally'",
            "main.yaml:15:10: 'uses' in step 'w' is empty: name the workflow file to run, such as `uses: lib/build.yaml`",
        ])
    }

    @Test func aCycleOfFilesIsRefusedWithTheChain() throws {
        let folder = try WorkflowFolder([
            "a.yaml": "steps:\n  one:\n    uses: b.yaml\n",
            "b.yaml": "steps:\n  two:\n    uses: sub/c.yaml\n",
            "sub/c.yaml": "steps:\n  three:\n    uses: ../a.yaml\n",
            "self.yaml": "steps:\n  again:\n    uses: ./self.yaml\n",
        ])
        #expect(folder.problems("a.yaml") == [
            "a.yaml:3:11: step 'one' calls 'b.yaml', which does not load: its problems are listed under b.yaml",
            "b.yaml:3:11: step 'two' calls 'sub/c.yaml', which does not load: its problems are listed under sub/c.yaml",
            "sub/c.yaml:3:11: step 'three' calls '../a.yaml', which makes a cycle of called workflows: a.yaml → b.yaml → sub/c.yaml → a.yaml; a workflow cannot call itself, even through others",
        ])
        #expect(folder.problems("self.yaml") == [
            "self.yaml:3:11: step 'again' calls './self.yaml', which makes a cycle of called workflows: self.yaml → self.yaml; a workflow cannot call itself, even through others",
        ])
    }

    @Test func aChainOfMoreThanSixteenCallsIsRefusedAndSixteenLoad() throws {
        var files: [String: String] = ["f17.yaml": "steps:\n  leaf:\n    run: 'true'\n"]
        for level in 0..<17 { files["f\(level).yaml"] = "steps:\n  s\(level):\n    uses: f\(level + 1).yaml\n" }
        let folder = try WorkflowFolder(files)
        let sixteen = try folder.load("f1.yaml")
        #expect(sixteen.stepIDs == ["s1.s2.s3.s4.s5.s6.s7.s8.s9.s10.s11.s12.s13.s14.s15.s16.leaf"])
        #expect(sixteen.calls.count == 16)
        let problems = folder.problems("f0.yaml")
        #expect(problems.contains(
            "f16.yaml:3:11: step 's16' calls 'f17.yaml', which would make a chain of 17 calls, more than the 16 allowed: "
                + "f0.yaml → f1.yaml → f2.yaml → … → f14.yaml → "
                + "f15.yaml → f16.yaml → f17.yaml"), "\(problems)")
        #expect(problems.first == "f0.yaml:3:11: step 's0' calls 'f1.yaml', which does not load: its problems are listed under f1.yaml")
    }

    @Test func aFileLoadedAtAShallowDepthIsRefusedWhereItWouldGoTooDeep() throws {
        // 'deep' calls 15 levels down, fine from the top; the main file reaches it again two levels down.
        var files: [String: String] = ["d15.yaml": "steps:\n  leaf:\n    run: 'true'\n"]
        for level in 0..<15 { files["d\(level).yaml"] = "steps:\n  s:\n    uses: d\(level + 1).yaml\n" }
        files["main.yaml"] = "steps:\n  first:\n    uses: d0.yaml\n  second:\n    uses: via.yaml\n"
        files["via.yaml"] = "steps:\n  again:\n    uses: d0.yaml\n"
        let folder = try WorkflowFolder(files)
        #expect(folder.problems().contains { $0.hasPrefix("via.yaml:3:11: step 'again' calls 'd0.yaml', whose own calls go 15 deep: from here that is a chain of 17 calls, more than the 16 allowed") })
    }

    @Test func aMissingOrBrokenCalledFileIsReportedWhereItIs() throws {
        let folder = try WorkflowFolder([
            "main.yaml": "steps:\n  a:\n    uses: nowhere.yaml\n  b:\n    uses: broken.yaml\n  c:\n    uses: lib\n  d:\n    uses: binary.yaml\n",
            "broken.yaml": "steps:\n  x:\n    run: make\n    needs: [y]\n    timeout: 5 minutes\n",
            "lib/keep": "",
        ])
        try Data([0x73, 0x74, 0x65, 0x70, 0x73, 0x3A, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: folder.path + "/binary.yaml"))
        #expect(folder.problems() == [
            "main.yaml:3:11: step 'a' calls 'nowhere.yaml': cannot read nowhere.yaml: no such file",
            "main.yaml:5:11: step 'b' calls 'broken.yaml', which does not load: its problems are listed under broken.yaml",
            "main.yaml:7:11: step 'c' calls 'lib': cannot read lib: it is a directory",
            "main.yaml:9:11: step 'd' calls 'binary.yaml', which does not load: its problems are listed under binary.yaml",
            "broken.yaml:4:13: step 'x' needs 'y', which is not a step in this workflow",
            "broken.yaml:5:14: 'timeout' in step 'x': '5 minutes' is not a duration; write e.g. 500ms, 30s, 5m, 1h",
            "binary.yaml:1:7: not valid UTF-8 at line 1, column 7",
        ])
    }

    @Test func finallyInACalledFileIsRefusedInThatFile() throws {
        let folder = try WorkflowFolder([
            "main.yaml": "steps:\n  a:\n    uses: lib.yaml\n",
            "lib.yaml": "steps:\n  x:\n    run: make\nfinally:\n  tidy:\n    run: tidy\n",
        ])
        #expect(folder.problems().last == "lib.yaml:4:1: 'finally' cannot be in a called workflow (main.yaml calls this file): finally steps run once the whole run has settled, not the call; give the steps `when: always()` and `needs` so they run last in the call, or move them to the calling workflow's 'finally'")
        // On its own, the same file is a workflow like any other.
        #expect(folder.problems("lib.yaml") == [])
    }

    @Test func aCallInFinallyRunsItsStepsAsFinallySteps() throws {
        let folder = try WorkflowFolder([
            "main.yaml": "steps:\n  a:\n    run: make\nfinally:\n  notify:\n    uses: notify.yaml\n",
            "notify.yaml": "steps:\n  send:\n    run: send\n  log:\n    needs: send\n    run: log\n",
        ])
        let workflow = try folder.load()
        #expect(workflow.steps.map(\.isFinally) == [false, true, true])
        #expect(workflow["notify.log"]?.needs == ["notify.send"])
    }

    @Test func outputsAreCheckedAgainstTheCalledSteps() throws {
        let folder = try WorkflowFolder([
            "main.yaml": """
                steps:
                  build:
                    uses: lib.yaml
                  after:
                    needs: build
                    when: steps.build.outputs.vesion == '1' || steps.build.state == 'succeeded'
                    run: "true"
                """,
            "lib.yaml": """
                outputs:
                  version: steps.pack.outputs.version
                  typo: steps.pakc.outputs.version
                  fanned: steps.deploy.outputs.url
                  literal: "'1.0'"
                  broken: steps.pack.outputs.
                  nested: steps.sub.outputs.nothing
                  9bad: steps.pack.outputs.version
                steps:
                  pack:
                    run: pack
                  deploy:
                    for_each: [a, b]
                    run: deploy
                  sub:
                    uses: sub.yaml
                """,
            "sub.yaml": "outputs:\n  report: steps.check.outputs.report\nsteps:\n  check:\n    run: check\n",
        ])
        #expect(folder.problems() == [
            "main.yaml:3:11: step 'build' calls 'lib.yaml', which does not load: its problems are listed under lib.yaml",
            "lib.yaml:3:9: 'outputs.typo' reads steps.pakc, which is not a step in this workflow; did you mean 'pack'?",
            "lib.yaml:4:11: 'outputs.fanned' reads steps.deploy.outputs.url, but 'deploy' fans out, so it has no single output",
            "lib.yaml:5:12: 'outputs.literal' must name one output of a step of this workflow, such as steps.pack.outputs.version",
            "lib.yaml:6:11: 'outputs.broken' does not parse: unknown reference 'steps.pack.outputs.'; use steps.<id>.outputs.<key>, steps.<id>.outputs['<key>'] or steps.<id>.state",
            "lib.yaml:7:11: 'outputs.nested' reads steps.sub.outputs.nothing, but sub.yaml declares no output 'nothing'; its outputs are 'report'",
            "lib.yaml:8:3: output names in 'outputs' must start with a letter or '_' and hold only letters, digits, '_', '-' and '.'",
        ])
        try folder.write("lib.yaml", "outputs:\n  version: steps.pack.outputs.version\nsteps:\n  pack:\n    run: pack\n")
        #expect(folder.problems() == [
            "main.yaml:6:11: when: reads steps.build.outputs.vesion, but lib.yaml declares no output 'vesion'; did you mean 'version'?",
            "main.yaml:6:48: when: reads steps.build.state, but 'build' calls a workflow, which has no single state: read steps.build.succeeded, .failed, .skipped, .cancelled, .blocked or .count",
        ])
    }

    @Test func aCallThatWouldMakeMoreThanTheStepLimitIsRefusedBeforeItIsMade() throws {
        let items = (0..<60_000).map { "h\($0)" }.joined(separator: ", ")
        let folder = try WorkflowFolder([
            "main.yaml": "steps:\n  one:\n    uses: fleet.yaml\n  two:\n    uses: fleet.yaml\n",
            "fleet.yaml": "steps:\n  restart:\n    for_each: [\(items)]\n    run: restart\n",
        ])
        #expect(try folder.load("fleet.yaml").steps.count == 60_000)
        let started = ContinuousClock.now
        #expect(folder.problems() == [
            "main.yaml:5:11: step 'two' calls 'fleet.yaml', whose 60000 steps bring the workflow to more than the 100000 steps a workflow may have in all; call smaller workflows, or fewer",
        ])
        #expect(ContinuousClock.now - started < .seconds(60), "a guard against runaway work, in wall time on a busy machine")
    }

    @Test func aCallAndTheCallersOwnFanOutTogetherRespectTheStepLimit() throws {
        let items = { (count: Int) in (0..<count).map { "h\($0)" }.joined(separator: ", ") }
        let folder = try WorkflowFolder([
            "main.yaml": "steps:\n  local:\n    for_each: [\(items(60_000))]\n    run: restart\n  fleet:\n    uses: fleet.yaml\n",
            "fleet.yaml": "steps:\n  restart:\n    for_each: [\(items(50_000))]\n    run: restart\n",
        ])
        #expect(folder.problems() == [
            "main.yaml:6:11: the workflows this file calls bring it, fan-outs included, to 110000 steps, more than the 100000 a workflow may have in all (step 'fleet' calls 'fleet.yaml'); call smaller workflows, or fewer",
        ])
        // Without a call, a fan-out of the limit and a few plain steps load as they always have.
        try folder.write("main.yaml", "steps:\n  local:\n    for_each: [\(items(100_000))]\n    run: restart\n  after:\n    run: 'true'\n")
        #expect(try folder.load().steps.count == 100_001)
    }

    @Test func callsThatFanInOnEveryLevelAreRefusedQuickly() throws {
        // Each level calls the next ten times: 10^16 steps if nothing stopped it.
        var files: [String: String] = ["l16.yaml": "steps:\n  leaf:\n    run: 'true'\n"]
        for level in 0..<16 {
            files["l\(level).yaml"] = "steps:\n" + (0..<10).map { "  c\($0):\n    uses: l\(level + 1).yaml\n" }.joined()
        }
        let folder = try WorkflowFolder(files)
        let started = ContinuousClock.now
        let problems = folder.problems("l0.yaml")
        #expect(ContinuousClock.now - started < .seconds(60), "a guard against runaway work, in wall time on a busy machine")
        #expect(problems.contains { $0.contains("steps a workflow may have in all") }, "\(problems.prefix(3))")
    }

    @Test func aStepIDTooLongForAFileNameIsRefused() throws {
        let long = String(repeating: "s", count: 64)
        var files: [String: String] = ["g4.yaml": "steps:\n  \(long):\n    run: 'true'\n"]
        for level in 0..<4 { files["g\(level).yaml"] = "steps:\n  \(long):\n    uses: g\(level + 1).yaml\n" }
        let folder = try WorkflowFolder(files)
        #expect(folder.problems("g2.yaml") == [])
        let problems = folder.problems("g0.yaml")
        #expect(problems.contains {
            $0.hasPrefix("g1.yaml:3:11: step '\(long)' calls 'g2.yaml', whose step '\(long).\(long.prefix(15))' would be '")
                && $0.contains("259 characters, more than the 200")
        }, "\(problems)")
    }

    @Test func theStoredSourceResolvesPathsAsTheDiskDid() throws {
        let files = CalledFiles(main: "release.yaml", files: [
            CalledFile(path: "ci/build.yaml", text: "steps:\n  lint:\n    uses: ../shared/lint.yaml\n"),
            CalledFile(path: "shared/lint.yaml", text: "steps:\n  check:\n    run: check\n"),
        ])
        let source = CalledFileSource.stored(files) { "stored/\($0)" }
        func load(_ yaml: String) throws(WorkflowLoadError) -> WorkflowDefinition {
            try WorkflowLoader.loadDefinition(yaml: yaml, file: "run/workflow.yaml", calling: source)
        }
        let definition = try load("steps:\n  build:\n    uses: ci/build.yaml\n")
        #expect(definition.workflow.stepIDs == ["build.lint.check"])
        #expect(definition.calledFiles == files)
        // The run's own file is known by the name it had, so calling it back is still a cycle.
        #expect(throws: WorkflowLoadError.self) { try load("steps:\n  again:\n    uses: release.yaml\n") }
        do {
            _ = try load("steps:\n  other:\n    uses: other.yaml\n")
            Issue.record("a file the run did not store was read")
        } catch {
            #expect(error.problems.map(\.description) == [
                "run/workflow.yaml:3:11: step 'other' calls 'other.yaml': cannot read stored/other.yaml: the run stored no copy of it, so it was not called when the run started",
            ])
        }
    }

    @Test func pathsResolveWithoutTheDisk() {
        #expect(CalledFileSource.resolve("lib/a.yaml", from: "main.yaml") == "lib/a.yaml")
        #expect(CalledFileSource.resolve("../b.yaml", from: "lib/a.yaml") == "b.yaml")
        #expect(CalledFileSource.resolve("../../up.yaml", from: "lib/a.yaml") == "../up.yaml")
        #expect(CalledFileSource.resolve("./x/./y/../z.yaml", from: "main.yaml") == "x/z.yaml")
        #expect(CalledFileSource.resolve("/etc/../srv/w.yaml", from: "lib/a.yaml") == "/srv/w.yaml")
        #expect(CalledFileSource.normalize("/../a") == "/a")
    }
}
