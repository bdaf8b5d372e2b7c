import Foundation
import Testing
import Yams
@testable import BatonEngine

/// `baton schema`'s JSON Schema, made from the decoder's field tables (`WorkflowFormat`),
/// against the loader, with a real validator (`SchemaValidator`): every workflow the loader
/// accepts validates, and every problem of shape the loader finds in the malformed-workflow
/// corpus the schema finds too.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct WorkflowSchemaTests {
    /// The package's root folder, found from this file's place in `Tests/BatonEngineTests/`.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The JSON an editor reads from `text`; nil when the text does not compose or JSON cannot say it.
    static func json(_ text: String) -> String? {
        guard let document = try? YAMLComposer.compose(text, file: "x.yaml"), document.renamedKeys.isEmpty, let root = document.root else {
            return nil
        }
        return CoreSchemaJSON.text(of: root)
    }

    static func schema() throws -> String { try WorkflowSchema.text() }

    // MARK: - The schema itself

    @Test func theSchemaIsValidDraft202012() async throws {
        let schema = try Self.schema()
        #expect(schema.contains("\"$schema\" : \"https://json-schema.org/draft/2020-12/schema\""))
        // `check_schema` runs before any document is validated: a schema it refuses fails the call.
        _ = try await SchemaValidator.validate([], schema: schema)
        await #expect(throws: SchemaValidator.Failure.self, "the validator did not check the schema") {
            _ = try await SchemaValidator.validate([], schema: #"{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": 5}"#)
        }
    }

    @Test func everyKeyOfEveryTableIsInTheSchema() throws {
        let document = WorkflowSchema.document()
        let definitions = try #require(document["$defs"] as? [String: Any])
        let tables = [
            WorkflowFormat.step, WorkflowFormat.retry, WorkflowFormat.approval, WorkflowFormat.simulation, WorkflowFormat.parameter,
            WorkflowFormat.access, WorkflowFormat.host,
        ]
        for table in tables {
            let object = try #require(definitions[table.name] as? [String: Any], "no $defs entry for \(table.name)")
            let properties = try #require(object["properties"] as? [String: Any])
            #expect(Set(properties.keys) == Set(table.names), "\(table.name)")
            #expect(object["additionalProperties"] as? Bool == false, "\(table.name)")
        }
        let properties = try #require(document["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(WorkflowFormat.topLevel.names))
        #expect(document["additionalProperties"] as? Bool == false)
    }

    // MARK: - Agreement with the decoder's checks

    @Test func namePatternsMatchTheDecodersChecks() throws {
        let names = [
            "build", "unit-tests", "a_b", "_x", "-x", "9lives", "a.b", "a:b", "a@b", "a,b", "web1", "[::1]", "a b", "a\tb", "", "é", "a/b",
            "A", "a-", "x.", "steps", "true", "ÄÖ", "a\nb", "a$", "a%", String(repeating: "s", count: 64), String(repeating: "s", count: 65),
            String(repeating: "h", count: 200), "ﬀ", "a\u{0}", "Z9_", "my-key", "image.tag",
        ]
        for pattern in WorkflowNamePattern.allCases {
            guard let expression = pattern.regularExpression else {
                #expect(names.allSatisfy(pattern.accepts), "\(pattern) refuses a name")
                continue
            }
            let regex = try NSRegularExpression(pattern: expression)
            for name in names {
                let range = NSRange(name.startIndex..., in: name)
                var matches = regex.firstMatch(in: name, range: range) != nil
                if let length = pattern.maximumLength, name.count > length { matches = false }
                #expect(matches == pattern.accepts(name), "\(pattern) and the decoder disagree on \(name.debugDescription)")
            }
        }
    }

    @Test func thePatternOfDurationsMatchesTheParser() throws {
        let regex = try NSRegularExpression(pattern: WorkflowSchema.durationPattern)
        let positive = try NSRegularExpression(pattern: WorkflowSchema.positiveDurationPattern)
        let good = ["0", "500ms", "30s", "5m", "1h", "1.5s", "1m30s", "2h15m", " 5s ", "0s", "0.5ms", "1h1h", "30m1h", "00s", "0.0s"]
        // The parser also refuses durations of more than about 292 years, which no pattern says.
        let tooLong = ["99999999999999999999h", "2562047788015216h", "9223372036854775807ms"]
        for text in good + MalformedWorkflowGenerator.badDurations where !tooLong.contains(text) {
            let range = NSRange(text.startIndex..., in: text)
            let matches = regex.firstMatch(in: text, range: range) != nil
            let parsed = DurationParser.parse(text)
            #expect(matches == (parsed != nil), "the pattern and DurationParser disagree on \(text.debugDescription)")
            if let parsed, text != "0.0000000000000000000001ms" {
                #expect((positive.firstMatch(in: text, range: range) != nil) == (parsed > .zero), "positive: \(text.debugDescription)")
            }
        }
        #expect(good.allSatisfy { DurationParser.parse($0) != nil })
    }

    /// Each field's description is the meaning its table in docs/workflow-format.md gives it
    /// (links kept as their text), so `baton schema` says what the doc says.
    @Test func everyDescriptionIsTheFormatDocs() throws {
        let doc = try String(contentsOfFile: Self.root + "/docs/workflow-format.md", encoding: .utf8)
        let lines = doc.components(separatedBy: "\n")
        let tables = [
            WorkflowFormat.topLevel, WorkflowFormat.inventory, WorkflowFormat.step, WorkflowFormat.fanOut, WorkflowFormat.retry,
            WorkflowFormat.simulation, WorkflowFormat.approval, WorkflowFormat.parameter, WorkflowFormat.access, WorkflowFormat.host,
            WorkflowFormat.notification,
        ]
        var checked = 0
        for table in tables {
            let meanings = try #require(Self.meanings(under: table.docSection, in: lines), "no table under \(table.docSection)")
            for field in table.fields {
                #expect(meanings[field.name] == field.description, "\(table.name).\(field.name): the doc says \(meanings[field.name] ?? "nothing")")
                checked += 1
            }
        }
        #expect(checked >= 60)
    }

    /// The first table after `heading`: each key of a row's first cell, with its `Meaning` (or `Who`) cell.
    static func meanings(under heading: String, in lines: [String]) -> [String: String]? {
        guard var index = lines.firstIndex(of: heading) else { return nil }
        while index < lines.count, !lines[index].hasPrefix("|") { index += 1 }
        guard index + 2 < lines.count else { return nil }
        let cells = { (line: String) in
            line.replacingOccurrences(of: "\\|", with: "\u{0}").split(separator: "|").map {
                $0.replacingOccurrences(of: "\u{0}", with: "|").trimmingCharacters(in: .whitespaces)
            }
        }
        let header = cells(lines[index])
        guard let column = header.firstIndex(where: { $0 == "Meaning" || $0 == "Who" }) else { return nil }
        var result: [String: String] = [:]
        index += 2
        while index < lines.count, lines[index].hasPrefix("|") {
            let row = cells(lines[index])
            index += 1
            guard row.count > column else { continue }
            let meaning = row[column].replacing(/\[([^\]]*)\]\([^)]*\)/) { String($0.output.1) }
            for key in row[0].matches(of: /`([^`]+)`/) { result[String(key.output.1)] = meaning }
        }
        return result
    }

    // MARK: - Workflows the loader accepts

    @Test func everyDemoAndValidWorkflowOfTheTestsValidates() async throws {
        var documents: [(label: String, json: String)] = []
        let fileManager = FileManager.default
        for folder in ["demo", "demo/fleet"] {
            let names = try fileManager.contentsOfDirectory(atPath: Self.root + "/" + folder).filter { $0.hasSuffix(".yaml") }.sorted()
            for name in names {
                let text = try String(contentsOfFile: Self.root + "/\(folder)/\(name)", encoding: .utf8)
                documents.append(("\(folder)/\(name)", try #require(Self.json(text), "\(folder)/\(name) does not compose")))
            }
        }
        let demos = documents.count
        #expect(demos >= 8)
        // The fixtures' workflows that load, the stored copies of recorded runs among them.
        let fixtures = Self.root + "/Tests/Fixtures"
        let paths = (fileManager.enumerator(atPath: fixtures)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        for path in paths {
            guard (try? WorkflowLoader.load(contentsOf: fixtures + "/" + path)) != nil else { continue }
            let text = try String(contentsOfFile: fixtures + "/" + path, encoding: .utf8)
            documents.append(("Tests/Fixtures/\(path)", try #require(Self.json(text))))
        }
        #expect(documents.count - demos >= 20, "only \(documents.count - demos) fixtures load")
        // The loader tests' full example, and every example of the format doc that loads on its own.
        documents.append(("WorkflowLoaderTests.fullExample", try #require(Self.json(WorkflowLoaderTests.fullExample))))
        let doc = try String(contentsOfFile: Self.root + "/docs/workflow-format.md", encoding: .utf8)
        var examples = 0
        for block in doc.matches(of: /```yaml\n([\s\S]*?)```/) {
            let text = String(block.output.1)
            guard (try? WorkflowLoader.load(yaml: text, file: "example.yaml")) != nil, let json = Self.json(text) else { continue }
            documents.append(("docs/workflow-format.md example \(examples)", json))
            examples += 1
        }
        #expect(examples >= 5, "only \(examples) examples of the format doc load")

        // Values the loader reads as text, or reads as a number from quotes, which an editor reads otherwise.
        for text in Self.looseSpellings {
            #expect(throws: Never.self, "\(text.debugDescription) no longer loads") { try WorkflowLoader.load(yaml: text, file: "loose.yaml") }
            documents.append((text.debugDescription, try #require(Self.json(text))))
        }
        let verdicts = try await SchemaValidator.validate(documents.map(\.json), schema: Self.schema())
        for (document, verdict) in zip(documents, verdicts) {
            if let verdict { Issue.record("\(document.label) does not validate: \(verdict)") }
        }
    }

    /// Workflows the loader accepts whose values an editor reads as another type than the loader does.
    static let looseSpellings = [
        "name: 3\ndescription: true\nconcurrency: \"4\"\nsecrets: [true, TOKEN]\nsteps:\n  a: {run: 1.5, notes: false, needs: [], retry: \"+2\"}\n",
        "steps:\n  a: {approval: \"true\", timeout: 1m30s}\n  b: {simulate: {duration: 0, exit_codes: [\"1\", 0, ~], failure_chance: 1}, retry: {attempts: 2, backoff: 0, factor: 1}}\n",
        "notify:\n  - run: x\n    events: gate_opened\n    timeout: ~\n  - {run: 3, events: ~}\nsteps:\n  a: {run: x}\n",
        "hosts:\n  web1: {address: 10.0.0.1, port: \"22\", user: ~}\n  db1: 42\ngroups:\n  web: web1\nsteps:\n  a: {on: web, batch: 50%, run: x}\n  b: {for_each: [1, true, x], max_failures: -0, run: x}\n",
    ]

    // MARK: - The malformed-workflow corpus

    /// Parts of the loader's messages about the shape of a value: an unknown key, a value of the
    /// wrong type, a word not among the allowed ones, a name or a duration not written as the
    /// format says, a list that may not be empty or repeat itself, keys that need or exclude
    /// others. The schema must refuse every document with one of these problems.
    ///
    /// Every other problem is about meaning, which the schema does not describe, and is left
    /// out on purpose: what a name refers to (`needs` naming no step, a cycle, a `when:` that
    /// does not parse or reads a step it does not need, an undeclared parameter, a host or
    /// group of no inventory, a called file that is missing), the text itself (invalid UTF-8,
    /// control characters, repeated keys, YAML syntax), what values say together (a default
    /// that does not fit its type, `choices` on a parameter that is no choice, `fail_fast` with
    /// `max_failures`, a fan-out policy on a step that does not fan out, `escalate_to` without
    /// `on_timeout: escalate`, two names that make one variable, a step with nothing to do),
    /// and the checks of text values (an ssh destination, an approver with a space, a command
    /// of blanks).
    static let problemsOfShape = [
        "unknown key '",
        "must be a string, not", "must be true or false", "must be one of", "must be reject or escalate",
        "must be a mapping", "must be a list", "must be a number of attempts or a mapping", "must be true, false or a mapping",
        "must be a single value", "must be an ssh destination such as", "give it a single value",
        "must be a whole number", "must be an exit code", "must be a list of exit codes", "is negative", "cannot hold 0",
        "must be a chance from 0 to 1", "must be a number of 1 or more",
        "is not a duration", "cannot be negative",
        "a step id is empty", "may only contain letters, digits", "characters long; the limit is",
        "is not a valid variable name", "is not a parameter name", "cannot be a matrix key", "output names in", "cannot name a host", "cannot name a group",
        "has no 'attempts'", "has no 'address'", "no steps:", "has no keys",
        "cannot go with 'uses'", "gives values to the parameters of a called workflow", "has both 'matrix' and 'for_each'",
        "repeats the exit codes given", "needs a 'timeout' in the same approval",
        "is empty: list", "is empty; list", "has an empty entry", "appears twice",
        "which is not an event", "is empty; leave it out to be notified", "has no 'run'",
    ]

    /// Whether the schema must refuse a document the loader refused with `problem` (in the
    /// document's `lines`). Besides the problems of meaning (see `problemsOfShape`), two of
    /// shape are left out, because JSON cannot tell them from good values: a number the loader
    /// refuses for its spelling or its range where an editor reads a number or a string that
    /// looks right (`0x10`, `0o17`, `1.0`, `1e3` or a quoted `"0"` where a whole number of 1 or
    /// more goes), and a duration written as the format says but longer than about 292 years.
    static func schemaMustRefuse(_ problem: SourceProblem, in lines: [Substring]) -> Bool {
        let message = problem.message
        // A list that names an entry twice: `choices`, `on_exit_codes`, a group's hosts.
        let repeats = message.contains(/\slists\s.*\stwice/)
        guard repeats || problemsOfShape.contains(where: message.contains) else { return false }
        let aboutNumber = ["whole number", "exit code", "is negative", "cannot hold 0"].contains(where: message.contains)
            || message.contains(/lists [0-9]+ twice/)
        if aboutNumber, isQuoted(at: problem.location, in: lines) { return false }
        guard let value = message.firstMatch(of: /not '([^']*)'|: '([^']*)' is not a duration/) else { return true }
        let text = String(value.output.1 ?? value.output.2 ?? "")
        if aboutNumber, text.wholeMatch(of: /[-+]?(0x[0-9a-fA-F]+|0o[0-7]+)/) != nil { return false }
        if aboutNumber, text.wholeMatch(of: /[-+]?(\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(\.[0-9]*)?[eE][-+]?[0-9]+)/) != nil,
           let number = Double(text), number.rounded() == number {
            return false
        }
        if message.contains("is not a duration"), let pattern = try? Regex(WorkflowSchema.durationPattern), text.firstMatch(of: pattern) != nil {
            return false
        }
        return true
    }

    /// Whether the value at `location` is written in quotes.
    static func isQuoted(at location: BatonEngine.SourceLocation, in lines: [Substring]) -> Bool {
        guard location.line >= 1, location.line <= lines.count else { return false }
        let scalars = Array(lines[location.line - 1].unicodeScalars)
        guard location.column >= 1, location.column <= scalars.count else { return false }
        return scalars[location.column - 1] == "\"" || scalars[location.column - 1] == "'"
    }

    @Test func theSchemaRefusesTheCorpusProblemsOfShapeAndAcceptsWhatLoads() async throws {
        var mutations = MalformedWorkflowGenerator(sources: WorkflowFuzzTests.sources, seed: WorkflowFuzzTests.seed)
        var badValues = MalformedWorkflowGenerator(sources: WorkflowFuzzTests.sources, seed: WorkflowFuzzTests.seed &+ 1)
        let corpus = mutations.mutatedDemos(count: WorkflowFuzzTests.mutatedCount) + badValues.badValueWorkflows(count: WorkflowFuzzTests.badValueCount)
        var documents: [(label: String, text: String, json: String, problems: [SourceProblem]?)] = []
        for document in corpus {
            guard let text = String(validating: document.bytes, as: UTF8.self), let json = Self.json(text) else { continue }
            let problems: [SourceProblem]?
            do {
                _ = try WorkflowLoader.load(data: document.bytes, file: "corpus.yaml")
                problems = nil
            } catch {
                problems = error.problems
            }
            documents.append((document.label, text, json, problems))
        }
        let verdicts = try await SchemaValidator.validate(documents.map(\.json), schema: Self.schema())
        var loaded = 0
        var ofShape = 0
        for (document, verdict) in zip(documents, verdicts) {
            guard let problems = document.problems else {
                loaded += 1
                if let verdict { Issue.record("\(document.label) loads, but the schema refuses it: \(verdict)\n\(document.json.prefix(3000))") }
                continue
            }
            let lines = document.text.split(separator: "\n", omittingEmptySubsequences: false)
            guard let problem = problems.first(where: { Self.schemaMustRefuse($0, in: lines) }) else { continue }
            ofShape += 1
            if verdict == nil { Issue.record("\(document.label): the loader says \(problem.message), but the schema accepts it\n\(document.json.prefix(3000))") }
        }
        // Enough of both kinds that the agreement means something.
        #expect(loaded >= 50, "only \(loaded) corpus documents load")
        #expect(ofShape >= 150, "only \(ofShape) corpus documents have a problem of shape")
    }

    /// One problem of shape in each kind of mapping, by hand, beside the random corpus.
    static let handWritten: [String] = [
        "stpes:\n  a: {run: x}\n",
        "steps:\n  a: {run: x, tiemout: 5s}\n",
        "steps:\n  a: {run: x, retry: {attempts: 2, backof: 1s}}\n",
        "steps:\n  a: {run: x, retry: {backoff: 1s}}\n",
        "steps:\n  a: {approval: {promt: ok?}}\n",
        "steps:\n  a: {approval: {timeout: 5m, on_timeout: wait}}\n",
        "steps:\n  a: {approval: {on_timeout: reject}}\n",
        "steps:\n  a: {approval: {inputs: {n: {typ: string}}}}\n",
        "steps:\n  a: {approval: maybe}\n",
        "steps:\n  a: {simulate: {duraton: 1s}}\n",
        "steps:\n  a: {simulate: {exit_code: 1, exit_codes: [1]}}\n",
        "steps:\n  a: {simulate: {failure_chance: 2}}\n",
        "params:\n  n: {type: text}\nsteps:\n  a: {run: x}\n",
        "params:\n  n: {tpye: string}\nsteps:\n  a: {run: x}\n",
        "params:\n  9n: {}\nsteps:\n  a: {run: x}\n",
        "access: {viewer: [ann]}\nsteps:\n  a: {run: x}\n",
        "hosts:\n  web1: {adress: x}\nsteps:\n  a: {run: x}\n",
        "hosts:\n  web1: {user: x}\nsteps:\n  a: {run: x}\n",
        "hosts:\n  'web 1': x\nsteps:\n  a: {run: x}\n",
        "concurrency: many\nsteps:\n  a: {run: x}\n",
        "concurrency: 0\nsteps:\n  a: {run: x}\n",
        "on_failure: retry\nsteps:\n  a: {run: x}\n",
        "timeout: 5 minutes\nsteps:\n  a: {run: x}\n",
        "secrets: [9TOKEN]\nsteps:\n  a: {run: x}\n",
        "env: {9X: y}\nsteps:\n  a: {run: x}\n",
        "steps:\n  a: {run: [x]}\n",
        "steps:\n  a: {run: x, needs: {b: c}}\n",
        "steps:\n  a: {run: x, continue_on_error: yes}\n",
        "steps:\n  bad id: {run: x}\n",
        "steps:\n  \(String(repeating: "s", count: 65)): {run: x}\n",
        "steps:\n  a: {run: x, matrix: [a]}\n",
        "steps:\n  a: {run: x, for_each: a}\n",
        "steps:\n  a: {run: x, for_each: [a], batch: 0%}\n",
        "steps:\n  a: {run: x, for_each: [a], matrix: {k: [v]}}\n",
        "steps:\n  a: {run: x, uses: b.yaml}\n",
        "notify: curl x\nsteps:\n  a: {run: x}\n",
        "notify:\n  - curl x\nsteps:\n  a: {run: x}\n",
        "notify:\n  - run: x\n    evnts: [gate_opened]\nsteps:\n  a: {run: x}\n",
        "notify:\n  - run: x\n    events: [gate_opend]\nsteps:\n  a: {run: x}\n",
        "notify:\n  - run: x\n    events: []\nsteps:\n  a: {run: x}\n",
        "notify:\n  - run: x\n    events: [run_finished, run_finished]\nsteps:\n  a: {run: x}\n",
        "notify:\n  - run: x\n    timeout: soon\nsteps:\n  a: {run: x}\n",
        "notify:\n  - events: [run_finished]\nsteps:\n  a: {run: x}\n",
        "steps:\n  a: {run: x, with: {p: 1}}\n",
        "steps:\n  a: {run: x, retry: {attempts: 2, on_exit_codes: [0]}}\n",
        "steps:\n  a: {run: x, retry: {attempts: 2, on_exit_codes: []}}\n",
        "steps: {}\n",
        "name: x\n",
    ]

    @Test func handWrittenProblemsOfShapeAreRefusedByBoth() async throws {
        var documents: [String] = []
        for text in Self.handWritten {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            do {
                _ = try WorkflowLoader.load(yaml: text, file: "x.yaml")
                Issue.record("the loader accepts \(text.debugDescription)")
            } catch {
                #expect(error.problems.contains { Self.schemaMustRefuse($0, in: lines) }, "\(text.debugDescription): \(error.problems)")
            }
            documents.append(try #require(Self.json(text)))
        }
        let verdicts = try await SchemaValidator.validate(documents, schema: Self.schema())
        for (text, verdict) in zip(Self.handWritten, verdicts) where verdict == nil {
            Issue.record("the schema accepts \(text.debugDescription)")
        }
    }
}
