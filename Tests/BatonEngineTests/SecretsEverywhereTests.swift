import Foundation
import Testing
@testable import BatonEngine

/// The values of `secrets:` never appear in the run directory, the journal, the published
/// updates (what `--events jsonl` and the console see), the stored workflow or the graph
/// exports, however a step tries to show them; a workflow file that holds one is refused
/// before anything is stored, and shown masked. Each check also finds the mask where the
/// secret would have been, so it cannot pass by looking at the wrong place.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct SecretsEverywhereTests {
    /// One run of the leaky fixture, shared by the tests that read what it left.
    static let shared = Task { try await SecretsFixture.run() }

    @Test func noFileOfTheRunHoldsASecret() async throws {
        let run = try await Self.shared.value
        let files = try #require(FileManager.default.subpaths(atPath: run.directory.path))
        var checked = 0
        for file in files {
            let path = run.directory.path + "/" + file
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let bytes = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
            #expect(SecretsFixture.leaks(in: bytes).isEmpty, "\(file) holds \(SecretsFixture.leaks(in: bytes))")
            checked += 1
        }
        // workflow.yaml, events.jsonl and a log per step that printed; no output files are left.
        #expect(checked >= 6, "only \(files) in the run directory")
        #expect(!files.contains { $0.hasPrefix("outputs/") }, "output files were left: \(files)")
    }

    @Test func theLogsShowTheMasksWhereTheSecretsWere() async throws {
        let run = try await Self.shared.value
        func logLines(_ step: String) -> [String] {
            StepLogStore.readLines(path: run.directory.logsPath + "/\(step).log", stepID: step).map { "\($0.stream.rawValue) \($0.text)" }
        }
        let lines = logLines("talk")
        #expect(lines.contains("out file token ***, in a word x***y, written ***"), "\(lines)")
        #expect(lines.contains("err step pass ***"))
        #expect(lines.contains("out split *** end"), "a secret written in two parts is masked whole")
        #expect(lines.contains("out overlap ***"), "overlapping secrets are masked as one")
        #expect(lines.filter { $0 == "out ***" }.count == 4, "each line of a secret of several lines is masked")
        #expect(lines.contains("out accent ***\u{301}"), "a combining mark after a secret does not hide it")
        #expect(lines.contains("out part *** of ***"), "a secret inside another is masked with it")
        #expect(lines.contains("out visible plain-visible-value"), "values that are not secrets stay")
        #expect(logLines("fail-message").contains("err fatal: ***"))
        #expect(logLines("publish").contains("out undoing with *** and ***"), "the rollback's output: \(logLines("publish"))")
    }

    @Test func theJournalShowsTheMasksWhereTheSecretsWere() async throws {
        let run = try await Self.shared.value
        let events = try run.directory.readJournal().events
        #expect(events.first?.workflow == "leaky")
        let outputs = events.last { $0.step == "publish" && $0.state == .succeeded }?.outputs
        #expect(outputs == ["token": "***", "shell": "before-***-after", "plain": "visible"])
        let approval = events.first { $0.kind == .command && $0.command == "approve" }
        #expect(approval?.comment == "ok to ship *** and ***")
        // The state folded from the journal is what `baton runs`, resume and replay show.
        #expect(run.state.steps[1].outputs["token"] == "***")
        #expect(run.state.steps[2].approval?.comment == "ok to ship *** and ***")
    }

    @Test func noPublishedUpdateHoldsASecret() async throws {
        let run = try await Self.shared.value
        var lines = 0
        var masks = 0
        for update in run.updates {
            let texts: [String]
            switch update {
            case .event(let event): texts = [String(decoding: event.jsonLine(), as: UTF8.self)]
            case .output(let chunk):
                #expect(SecretsFixture.leaks(in: chunk.bytes).isEmpty, "published: \(chunk.bytes)")
                texts = chunk.lines.map(\.text)
                lines += texts.count
            case .recordingFailed(let problem), .notificationFailed(let problem): texts = [problem]
            }
            for text in texts {
                #expect(SecretsFixture.leaks(in: text).isEmpty, "published: \(text)")
                if text.contains("***") { masks += 1 }
            }
        }
        #expect(lines >= 15)
        #expect(masks >= 12, "the masks were published too")
    }

    @Test func theStoredWorkflowIsTheFileAsWrittenWithItsDigestInTheJournal() async throws {
        let run = try await Self.shared.value
        let stored = try String(contentsOfFile: run.directory.workflowPath, encoding: .utf8)
        let original = try SecretsFixture.text()
        #expect(stored == original, "stored as written, nothing masked")
        let started = try #require(try run.directory.readJournal().events.first)
        #expect(started.definitionDigest == DefinitionFingerprint.sha256(original))
        #expect(started.definitionParts?.dictionary["steps.talk.run"] != nil)
    }

    /// The workflow that writes its secrets in the file, and the copy of it a front end shows.
    static func inTheFile() throws -> (workflow: Workflow, shown: Workflow) {
        let workflow = try WorkflowLoader.load(contentsOf: SecretsFixture.inTheFilePath)
        return (workflow, SecretRedactor(workflow: workflow, environment: SecretsFixture.environment).redact(workflow))
    }

    @Test func theDisplayWorkflowMasksEveryTextAndKeepsTheGraph() throws {
        let (workflow, shown) = try Self.inTheFile()
        let texts = [shown.name, shown.description ?? ""] + shown.env.values + shown.steps.flatMap { step in
            [step.name, step.run, step.rollback, step.notes, step.dir, step.approval?.prompt, step.when?.source].compactMap { $0 } + step.env.values
        }
        for text in texts { #expect(SecretsFixture.leaks(in: text).isEmpty, "shown: \(text)") }
        #expect(shown.name == "leaky-***")
        #expect(shown["gate"]?.approval?.prompt == "Release with ***?")
        #expect(shown["talk"]?.notes == "Prints *** and *** in every way it can.")
        #expect(shown.stepIDs == workflow.stepIDs)
        #expect(shown.steps.map(\.needs) == workflow.steps.map(\.needs))
    }

    @Test(arguments: GraphFormat.allCases)
    func graphExportsMaskSecretsWithAndWithoutARun(format: GraphFormat) async throws {
        let run = try await Self.shared.value
        let (workflow, shown) = try Self.inTheFile()
        let states = Dictionary(uniqueKeysWithValues: run.state.steps.map { ($0.id, $0.state) })
        let raw = WorkflowGraphExporter.render(workflow, format: format)
        #expect(!SecretsFixture.leaks(in: raw).isEmpty, "the unmasked workflow shows its secret, so the check can see one")
        for graph in [WorkflowGraphExporter.render(shown, format: format),
                      WorkflowGraphExporter.render(shown, format: format, states: states)] {
            #expect(SecretsFixture.leaks(in: graph).isEmpty, "\(format): \(SecretsFixture.leaks(in: graph))")
            #expect(graph.contains("***"))
        }
    }

    @Test func aSecretWhereAnOverlongLineIsCutIsMaskedWhole() async throws {
        // A line longer than 1 MiB reaches the log in pieces; the cut would fall inside the secret.
        let secret = "Sh3llSecretVv8"
        let engine = try await EngineTestSupport.startedEngine([
            EngineTestSupport.shell("long", "head -c \((1 << 20) - 6) /dev/zero | tr '\\0' a; printf '%s tail\\n' \"$LONG_SECRET\""),
        ], secrets: ["LONG_SECRET"], env: ["LONG_SECRET": secret])
        let collector = Task {
            var pieces: [String] = []
            for await update in engine.updates { if case .output(let chunk) = update, chunk.stream == .stdout { pieces += chunk.lines.map(\.text) } }
            return pieces
        }
        _ = try await EngineTestSupport.settle(engine)
        _ = await engine.finish(outcome: .failed, reason: "done")
        let pieces = await collector.value
        #expect(pieces.count == 2)
        #expect(pieces.last == "*** tail")
        for piece in pieces { #expect(SecretsFixture.leaks(in: piece).isEmpty) }
    }

    // MARK: - The redactor

    @Test func overlappingAndNestedSecretsAreMaskedAsOne() {
        let redactor = SecretRedactor(values: ["Ov1AbcXYZq", "XYZq9Ov2", "Sh3llSecretVv8", "3llSecret", ""])
        #expect(redactor.redact("a Ov1AbcXYZq9Ov2 b") == "a *** b")
        #expect(redactor.redact("XYZq9Ov2Ov1AbcXYZq") == "***")
        #expect(redactor.redact("[Sh3llSecretVv8] and [3llSecret]") == "[***] and [***]")
        #expect(redactor.redact("nothing here") == "nothing here")
        #expect(redactor.values.count == 4, "the empty value is no secret")
        #expect(!redactor.reveals("Ov1AbcXYZ"))
        #expect(redactor.reveals("xx3llSecretxx"))
    }

    @Test func secretsAreFoundByTheirBytesWhateverFollowsThem() {
        let redactor = SecretRedactor(values: ["café", "s3cr3t"])
        #expect(redactor.redact("s3cr3t\u{301}") == "***\u{301}")
        #expect(redactor.redact("x café\u{301} y") == "x ***\u{301} y")
        #expect(redactor.redact("🙂s3cr3t🙂") == "🙂***🙂")
    }

    @Test func secretsOfSeveralLinesAreMaskedLineByLine() {
        let redactor = SecretRedactor(values: ["{\n  \"key\": \"Kk1valueXx\"\n}"])
        #expect(redactor.redact("{\n  \"key\": \"Kk1valueXx\"\n}") == "***")
        #expect(redactor.redact("  \"key\": \"Kk1valueXx\"") == "  ***")
        // Lines shorter than four characters would mask ordinary text and are left alone.
        #expect(redactor.redact("{ and }") == "{ and }")
    }

    @Test func outputKeysThatHoldASecretAreMaskedToo() {
        let redactor = SecretRedactor(values: ["Zq9FileTok3nXw"])
        #expect(redactor.redact(["Zq9FileTok3nXw": "1", "plain": "Zq9FileTok3nXw"]) == ["***": "1", "plain": "***"])
    }

    @Test func aFileThatHoldsASecretIsRefusedWhereverTheSecretSits() throws {
        let secret = "Zq9FileTok3nXw"
        let cases = [
            "steps:\n  a: {run: echo \(secret)}\n",
            "steps:\n  a: {run: \"echo Zq9\\x46ileTok3nXw\"}\n",
            "steps:\n  a: {run: 'it''s \(secret)'}\n",
            "steps:\n  a:\n    run: |\n      echo \(secret)\n",
            "steps:\n  a: {run: echo} # \(secret)\n",
            "description: &d \(secret)\nsteps:\n  a: {run: echo, notes: *d}\n",
            "name: !!str \(secret)\nsteps:\n  a: {run: echo}\n",
            "steps:\n  \(secret): {run: echo}\n",
        ]
        for yaml in cases {
            let text = "secrets: [TOKEN]\n" + yaml
            let workflow = try WorkflowLoader.load(yaml: text, file: "wf.yaml")
            let problems = SecretsInDefinition.problems(in: text, of: workflow, file: "wf.yaml", environment: ["TOKEN": secret])
            #expect(!problems.isEmpty, "\(yaml.debugDescription) is accepted")
            for problem in problems {
                #expect(problem.message.contains("'TOKEN'") && !"\(problem)".contains(secret) && !"\(problem)".contains("x46"), "\(problem)")
            }
            #expect(SecretsInDefinition.problems(in: text, of: workflow, file: "wf.yaml", environment: ["TOKEN": "other-value"]).isEmpty)
        }
    }
}
