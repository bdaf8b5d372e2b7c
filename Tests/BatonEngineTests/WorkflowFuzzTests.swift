import Foundation
import Testing
@testable import BatonEngine

/// Feeds the workflow loader thousands of generated malformed documents (see
/// `MalformedWorkflowGenerator`, fixed seed) through every entry point: text, bytes and
/// files. Each must come back as a valid workflow or as problems with a sane place and a
/// message; a crash ends the test process and a hang runs into the time limit. The tests run
/// one at a time, each on a thread of its own, to leave room for the timing-sensitive ones.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct WorkflowFuzzTests {
    /// The seed of every generated document; change it to explore, keep it fixed in the suite.
    static let seed: UInt64 = 0xBA70_F022_0001
    static let mutatedCount = 1_000
    static let badValueCount = 500
    static let callSetCount = 300
    static let inventorySetCount = 300

    /// What loading one document gave.
    enum Outcome: Equatable {
        case loaded(Workflow)
        case rejected([SourceProblem])

        var isRejected: Bool {
            if case .rejected = self { return true }
            return false
        }

        /// The same outcome with every problem naming `file`, to compare loads of one text under two names.
        func naming(_ file: String) -> Outcome {
            guard case .rejected(let problems) = self else { return self }
            return .rejected(problems.map { SourceProblem(file: file, location: $0.location, message: $0.message) })
        }
    }

    static let sources: [MalformedWorkflowGenerator.Source] = DemoLibrary.fileNames.map { name in
        let bytes = FileManager.default.contents(atPath: DemoLibrary.directory + "/" + name).map { [UInt8]($0) } ?? []
        return MalformedWorkflowGenerator.Source(name: name, bytes: bytes)
    }

    // MARK: - Tests

    @Test func theDemosLoadUnchangedThroughEveryEntryPoint() throws {
        #expect(Self.sources.count >= 5)
        for source in Self.sources {
            let document = MalformedWorkflowGenerator.Document(source.name, source.bytes)
            let (outcome, failures) = Self.check(document, file: source.name)
            #expect(failures.isEmpty, "\(failures)")
            #expect(!outcome.isRejected, "\(source.name) no longer loads: \(outcome)")
            let fromFile = Self.outcome { try WorkflowLoader.load(contentsOf: DemoLibrary.directory + "/" + source.name) }
            #expect(fromFile.naming(source.name) == outcome, "\(source.name): the file and the bytes disagree")
        }
    }

    @Test func mutatedDemosAreValidOrRejectedWithPlacedProblems() async {
        let tally = await Self.offThePool {
            var generator = MalformedWorkflowGenerator(sources: Self.sources, seed: Self.seed)
            // Loading as text as well as bytes doubles the work, so every fifth document gets both.
            return Self.checkAll(generator.mutatedDemos(count: Self.mutatedCount)) { index in index % 5 == 0 }
        }
        tally.report("mutated demos")
        // Most mutations break something, and some (in comments or notes) do not.
        #expect(tally.rejected * 2 > tally.documents, "only \(tally.rejected) of \(tally.documents) mutated demos were rejected")
        #expect(tally.rejected < tally.documents, "every mutated demo was rejected, so the valid path was never checked")
    }

    @Test func badValuesAreValidOrRejectedWithPlacedProblems() async {
        let tally = await Self.offThePool {
            var generator = MalformedWorkflowGenerator(sources: Self.sources, seed: Self.seed &+ 1)
            return Self.checkAll(generator.badValueWorkflows(count: Self.badValueCount)) { _ in true }
        }
        tally.report("workflows with bad values")
        #expect(tally.rejected * 2 > tally.documents, "only \(tally.rejected) of \(tally.documents) bad-value workflows were rejected")
        #expect(tally.rejected < tally.documents, "every bad-value workflow was rejected, so the valid path was never checked")
    }

    @Test func hostileDocumentsAreValidOrRejectedWithPlacedProblems() async {
        let tally = await Self.offThePool {
            let documents = MalformedWorkflowGenerator.hostileDocuments()
            return Self.checkAll(documents) { index in documents[index].bytes.count < 50_000 }
        }
        tally.report("hostile documents")
        #expect(tally.documents >= 100)
        #expect(tally.rejected * 10 > tally.documents * 8, "only \(tally.rejected) of \(tally.documents) hostile documents were rejected")
    }

    @Test func calledWorkflowsAreValidOrRejectedWithPlacedProblems() async {
        let tally = await Self.offThePool {
            var generator = MalformedWorkflowGenerator(sources: Self.sources, seed: Self.seed &+ 3)
            let sets = generator.calledWorkflowSets(count: Self.callSetCount) + MalformedWorkflowGenerator.hostileCallSets()
            var tally = Tally()
            for set in sets {
                let (outcome, failures) = Self.check(set)
                tally.documents += 1
                if outcome.isRejected { tally.rejected += 1 }
                tally.failures += failures
            }
            return tally
        }
        tally.report("sets of called workflows")
        #expect(tally.rejected * 4 > tally.documents, "only \(tally.rejected) of \(tally.documents) sets of called workflows were rejected")
        #expect(tally.rejected < tally.documents, "every set of called workflows was rejected, so the valid path was never checked")
    }

    @Test func workflowsOnHostsAreValidOrRejectedWithPlacedProblems() async {
        let tally = await Self.offThePool {
            var generator = MalformedWorkflowGenerator(sources: Self.sources, seed: Self.seed &+ 4)
            var tally = Tally()
            for set in generator.inventorySets(count: Self.inventorySetCount) {
                let (outcome, failures) = Self.check(set)
                tally.documents += 1
                if outcome.isRejected { tally.rejected += 1 }
                tally.failures += failures
            }
            return tally
        }
        tally.report("workflows on hosts")
        #expect(tally.rejected * 5 > tally.documents, "only \(tally.rejected) of \(tally.documents) workflows on hosts were rejected")
        #expect(tally.rejected * 5 < tally.documents * 4, "\(tally.rejected) of \(tally.documents) workflows on hosts were rejected, so the valid path was hardly checked")
    }

    @Test func theFileEntryPointAgreesWithTheBytes() async throws {
        let directory = NSTemporaryDirectory() + "baton-fuzz-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (count, failures) = await Self.offThePool { () -> (Int, [String]) in
            var generator = MalformedWorkflowGenerator(sources: Self.sources, seed: Self.seed &+ 2)
            let documents = generator.mutatedDemos(count: 100) + generator.badValueWorkflows(count: 30)
                + MalformedWorkflowGenerator.hostileDocuments().filter { $0.bytes.count > WorkflowLoader.maximumFileSize || $0.bytes.count < 20_000 }
            var failures: [String] = []
            let path = directory + "/fuzz.yaml"
            for document in documents {
                guard FileManager.default.createFile(atPath: path, contents: Data(document.bytes)) else {
                    failures.append("\(document.label): cannot write \(path)")
                    continue
                }
                let fromBytes = Self.outcome { try WorkflowLoader.load(data: Data(document.bytes), file: "fuzz.yaml") }
                let fromFile = Self.outcome { try WorkflowLoader.load(contentsOf: path) }
                if fromFile.naming("fuzz.yaml") != fromBytes { failures.append("\(document.label): the file and the bytes disagree") }
            }
            return (documents.count, failures)
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
        #expect(count >= 150)
        print("WorkflowFuzzTests: \(count) documents loaded from files")
    }

    @Test func theGeneratorIsDeterministic() {
        var first = MalformedWorkflowGenerator(sources: Self.sources, seed: Self.seed)
        var second = MalformedWorkflowGenerator(sources: Self.sources, seed: Self.seed)
        let a = first.mutatedDemos(count: 50).map(\.bytes) + first.badValueWorkflows(count: 20).map(\.bytes)
        let b = second.mutatedDemos(count: 50).map(\.bytes) + second.badValueWorkflows(count: 20).map(\.bytes)
        #expect(a == b)
        var other = MalformedWorkflowGenerator(sources: Self.sources, seed: Self.seed &+ 99)
        #expect(other.mutatedDemos(count: 50).map(\.bytes) != a.prefix(50).map { $0 })
    }

    // MARK: - Checks

    /// How a batch of documents fared.
    struct Tally: Sendable {
        var documents = 0
        var rejected = 0
        /// What went wrong, one sentence per document, naming how it was made.
        var failures: [String] = []

        /// Expects no failures and prints the counts.
        func report(_ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
            #expect(failures.isEmpty, "\(failures.count) failures, the first: \(failures.prefix(10).joined(separator: "\n"))", sourceLocation: sourceLocation)
            print("WorkflowFuzzTests: \(documents) \(what), \(rejected) rejected, \(documents - rejected) valid")
        }
    }

    /// Checks every document; the text entry point too where `comparingText` says so.
    static func checkAll(_ documents: [MalformedWorkflowGenerator.Document], comparingText: (Int) -> Bool) -> Tally {
        var tally = Tally()
        for (index, document) in documents.enumerated() {
            let (outcome, failures) = check(document, comparingText: comparingText(index))
            tally.documents += 1
            if outcome.isRejected { tally.rejected += 1 }
            tally.failures += failures
        }
        return tally
    }

    /// Runs `body` on a thread of its own: loading thousands of documents would otherwise hold
    /// a thread of the shared pool for seconds, and stall the timing-sensitive tests around it.
    static func offThePool<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Loads `document` as bytes and, when it is UTF-8 and `comparingText`, as text; returns
    /// the outcome and what is wrong: the two loads disagree, a valid workflow is invalid, or a
    /// problem is placed outside the document.
    static func check(
        _ document: MalformedWorkflowGenerator.Document, file: String = "fuzz.yaml", comparingText: Bool = true
    ) -> (Outcome, [String]) {
        let outcome = outcome { try WorkflowLoader.load(data: document.bytes, file: file) }
        var failures: [String] = []
        if comparingText, let text = String(validating: document.bytes, as: UTF8.self) {
            let fromText = Self.outcome { try WorkflowLoader.load(yaml: text, file: file) }
            if fromText != outcome { failures.append("\(document.label): loading the text and the bytes disagree") }
        }
        switch outcome {
        case .loaded(let workflow):
            let flaws = flaws(of: workflow)
            if !flaws.isEmpty { failures.append("\(document.label) loaded, but: \(flaws.joined(separator: "; "))") }
        case .rejected(let problems):
            let flaws = misplaced(problems, in: document.bytes, file: file)
            if !flaws.isEmpty { failures.append("\(document.label): \(flaws.prefix(5).joined(separator: "; "))") }
        }
        return (outcome, failures)
    }

    /// Writes `set` into a folder of its own, loads its `main.yaml` by path (with its
    /// `fleet.yaml` as the inventory file, if it has one), and says what is wrong as `check`
    /// does, each problem placed in the file it names.
    static func check(_ set: MalformedWorkflowGenerator.FileSet) -> (Outcome, [String]) {
        let directory = NSTemporaryDirectory() + "baton-fuzz-calls-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var files: [String: [UInt8]] = [:]
        for (name, text) in set.files {
            let path = "\(directory)/\(name)"
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
                return (.rejected([]), ["\(set.label): cannot write \(path)"])
            }
            files[path] = Array(text.utf8)
        }
        let inventory = set.files["fleet.yaml"] == nil ? nil : "\(directory)/fleet.yaml"
        let outcome = outcome { try WorkflowLoader.load(contentsOf: "\(directory)/main.yaml", inventory: inventory) }
        switch outcome {
        case .loaded(let workflow):
            let flaws = flaws(of: workflow)
            return (outcome, flaws.isEmpty ? [] : ["\(set.label) loaded, but: \(flaws.joined(separator: "; "))"])
        case .rejected(let problems):
            let flaws = misplaced(problems, in: files)
            return (outcome, flaws.isEmpty ? [] : ["\(set.label): \(flaws.prefix(5).joined(separator: "; "))"])
        }
    }

    static func outcome(_ load: () throws -> Workflow) -> Outcome {
        do {
            return .loaded(try load())
        } catch let error as WorkflowLoadError {
            return .rejected(error.problems)
        } catch {
            return .rejected([SourceProblem(file: "", location: .start, message: "an unexpected error: \(error)")])
        }
    }

    /// What is wrong with problems: none at all, a bad place, an empty message, the wrong file, or out of order.
    static func misplaced(_ problems: [SourceProblem], in bytes: [UInt8], file: String) -> [String] {
        misplaced(problems, in: [file: bytes])
    }

    /// The same for problems of several files, each placed in the file it names (one of
    /// `files`), the files' problems one after the other, each file's in order.
    static func misplaced(_ problems: [SourceProblem], in files: [String: [UInt8]]) -> [String] {
        guard !problems.isEmpty else { return ["rejected without a problem"] }
        var flaws: [String] = []
        var lines: [String: LineLengths] = [:]
        for problem in problems {
            let location = problem.location
            if problem.message.trimmingCharacters(in: .whitespaces).isEmpty { flaws.append("an empty message at \(location)") }
            guard let bytes = files[problem.file] else {
                flaws.append("the problem names '\(problem.file)'")
                continue
            }
            if lines[problem.file] == nil {
                lines[problem.file] = LineLengths(bytes, through: problems.filter { $0.file == problem.file }.map(\.location.line).max() ?? 1)
            }
            guard let fileLines = lines[problem.file] else { continue }
            if location.line < 1 || location.column < 1 { flaws.append("\(problem) is placed before the start") }
            if location.line > fileLines.count {
                flaws.append("\(problem) is placed past the last line, \(fileLines.count)")
            } else if location.line >= 1, location.column > fileLines.length(of: location.line) + 1 {
                flaws.append("\(problem) is placed past the end of its line, \(fileLines.length(of: location.line)) characters long")
            }
        }
        var finished: Set<String> = []
        for (previous, next) in zip(problems, problems.dropFirst()) {
            if previous.file != next.file {
                finished.insert(previous.file)
                if finished.contains(next.file) { flaws.append("the problems of \(next.file) are not together") }
            } else if (previous.location.line, previous.location.column) > (next.location.line, next.location.column) {
                flaws.append("the problems of \(next.file) are not in file order")
            }
        }
        if Set(problems).count != problems.count { flaws.append("a problem is reported twice") }
        return flaws
    }

    /// What makes a loaded workflow invalid: it should have been rejected.
    static func flaws(of workflow: Workflow) -> [String] {
        var flaws: [String] = []
        func isName(_ text: String) -> Bool {
            guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
            return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
        }
        if workflow.name.isEmpty { flaws.append("an empty name") }
        if workflow.steps.isEmpty { flaws.append("no steps") }
        if let concurrency = workflow.concurrency, concurrency < 1 { flaws.append("concurrency \(concurrency)") }
        for name in workflow.env.keys where !isName(name) { flaws.append("env name '\(name)'") }
        for name in workflow.secrets where !isName(name) { flaws.append("secret name '\(name)'") }
        for parameter in workflow.params {
            if !WorkflowParameter.isValidName(parameter.name) { flaws.append("parameter name '\(parameter.name)'") }
            if let value = parameter.defaultValue, parameter.problem(with: value) != nil { flaws.append("parameter '\(parameter.name)' has a default that does not fit") }
            if case .choice(let choices) = parameter.kind, choices.isEmpty || Set(choices).count != choices.count {
                flaws.append("parameter '\(parameter.name)' has choices \(choices)")
            }
        }
        if Set(workflow.params.map(\.environmentName)).count != workflow.params.count { flaws.append("parameters sharing a variable") }
        let ids = workflow.steps.map(\.id)
        if Set(ids).count != ids.count { flaws.append("repeated step ids") }
        let known = Set(ids)
        for call in workflow.calls {
            if !call.steps.allSatisfy(known.contains) { flaws.append("call '\(call.id)' runs unknown steps") }
            if let parent = call.parent, workflow.call(parent) == nil { flaws.append("call '\(call.id)' is inside unknown '\(parent)'") }
            for output in call.outputs where !call.steps.contains(output.step) { flaws.append("call '\(call.id)' hands on '\(output.step)', not its own") }
        }
        for step in workflow.steps {
            // An instance's id is its group's, then its label in brackets; a called step's is
            // its calls' ids, then its own, joined with '.'.
            let full = step.group.map { group in step.id.hasPrefix(group + "[") && step.id.hasSuffix("]") ? group : step.id } ?? step.id
            let parts = full.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count != step.enclosingCalls.count + 1 || step.id.utf8.count > 200
                || !step.enclosingCalls.allSatisfy({ workflow.call($0)?.steps.contains(step.id) == true }) {
                flaws.append("step id '\(step.id.prefix(80))' in calls \(step.enclosingCalls)")
            }
            let id = String(parts.last ?? "")
            if id.isEmpty || id.unicodeScalars.count > 64 || parts.contains(where: \.isEmpty)
                || !parts.joined().unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }) {
                flaws.append("step id '\(id.prefix(80))'")
            }
            if step.run == nil && step.simulate == nil && step.approval == nil { flaws.append("'\(id)' has nothing to do") }
            if step.needs.contains(id) { flaws.append("'\(id)' needs itself") }
            if Set(step.needs).count != step.needs.count { flaws.append("'\(id)' repeats a need") }
            for need in step.needs where !known.contains(need) { flaws.append("'\(id)' needs unknown '\(need)'") }
            let neededGroups = step.needs.flatMap { need -> [String] in
                guard let needed = workflow[need] else { return [] }
                return (needed.group.map { [$0] } ?? []) + needed.enclosingCalls
            }
            if let when = step.when, !when.referencedSteps.isSubset(of: Set(step.needs + neededGroups)) { flaws.append("'\(id)' reads steps it does not need") }
            for input in step.approval?.inputs ?? [] where input.secret || !WorkflowParameter.isValidName(input.name) {
                flaws.append("'\(id)' has the approval input '\(input.name)'")
            }
            if step.retry.attempts < 1 { flaws.append("'\(id)' has \(step.retry.attempts) attempts") }
            if step.retry.backoff < .zero { flaws.append("'\(id)' has a negative backoff") }
            if let maximum = step.retry.maxBackoff, maximum <= .zero { flaws.append("'\(id)' has max_backoff \(maximum)") }
            if !(step.retry.factor >= 1 && step.retry.factor.isFinite) { flaws.append("'\(id)' has factor \(step.retry.factor)") }
            if let codes = step.retry.onExitCodes, codes.isEmpty || Set(codes).count != codes.count || codes.contains(where: { !(1...255).contains($0) }) {
                flaws.append("'\(id)' retries exit codes \(codes)")
            }
            if let limit = step.retry.maxDuration, limit <= .zero { flaws.append("'\(id)' has max_duration \(limit)") }
            if let timeout = step.timeout, timeout <= .zero { flaws.append("'\(id)' has timeout \(timeout)") }
            for name in step.env.keys where !isName(name) { flaws.append("'\(id)' has env name '\(name)'") }
            if let simulation = step.simulate {
                if simulation.duration < .zero { flaws.append("'\(id)' simulates a negative duration") }
                if simulation.exitCodes.contains(where: { !(0...255).contains($0) }) { flaws.append("'\(id)' simulates exit codes \(simulation.exitCodes)") }
                if !(0...1).contains(simulation.failureChance) { flaws.append("'\(id)' has failure_chance \(simulation.failureChance)") }
            }
        }
        if !isAcyclic(workflow) { flaws.append("a dependency cycle") }
        flaws += inventoryFlaws(of: workflow)
        return flaws
    }

    /// What makes a loaded inventory invalid: names that cannot name instances or are used
    /// twice, destinations ssh could take for options or a shell for several words, bad ports,
    /// groups that are empty or list what is not a host, and steps on hosts it does not have.
    static func inventoryFlaws(of workflow: Workflow) -> [String] {
        var flaws: [String] = []
        let inventory = workflow.inventory
        let names = inventory.hosts.map(\.name)
        if Set(names).count != names.count { flaws.append("repeated host names") }
        for host in inventory.hosts {
            if !StepGroup.isInstanceLabel(host.name) { flaws.append("host name '\(host.name.prefix(80))'") }
            let parts = host.destination.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count > 2 || parts.contains(where: { $0.isEmpty || $0.hasPrefix("-") })
                || !host.destination.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-@:".unicodeScalars.contains($0)) }) {
                flaws.append("host '\(host.name)' has the destination '\(host.destination.prefix(80))'")
            }
            if let port = host.port, !(1...65535).contains(port) { flaws.append("host '\(host.name)' has the port \(port)") }
        }
        for (group, members) in inventory.groups {
            if names.contains(group) { flaws.append("'\(group)' is a host and a group") }
            if members.isEmpty || Set(members).count != members.count || !members.allSatisfy(names.contains) {
                flaws.append("group '\(group)' lists \(members.prefix(5))")
            }
        }
        if let config = inventory.sshConfig, !config.hasPrefix("/") { flaws.append("ssh_config '\(config.prefix(80))' is not absolute") }
        for step in workflow.steps {
            guard let host = step.host else { continue }
            if inventory.host(host) == nil { flaws.append("'\(step.id)' runs on unknown '\(host)'") }
            if step.env["BATON_HOST"] != host { flaws.append("'\(step.id)' runs on '\(host)' but sees $BATON_HOST '\(step.env["BATON_HOST"] ?? "")'") }
        }
        return flaws
    }

    /// Whether the needs form no cycle (Kahn's algorithm).
    static func isAcyclic(_ workflow: Workflow) -> Bool {
        var remaining = workflow.steps.map { Set($0.needs).count }
        var dependents: [String: [Int]] = [:]
        for (index, step) in workflow.steps.enumerated() {
            for need in Set(step.needs) { dependents[need, default: []].append(index) }
        }
        var ready = remaining.indices.filter { remaining[$0] == 0 }
        var done = 0
        while let index = ready.popLast() {
            done += 1
            for dependent in dependents[workflow.steps[index].id] ?? [] {
                remaining[dependent] -= 1
                if remaining[dependent] == 0 { ready.append(dependent) }
            }
        }
        return done == workflow.steps.count
    }

    /// The length in characters (Unicode scalars) of the lines up to `through`, breaking lines
    /// where YAML does: LF, CR, CR LF, NEL, LS and PS. Bytes that are not UTF-8 count as one
    /// character each. `count` is the number of lines, or `through + 1` if there are more.
    struct LineLengths {
        private var lengths: [Int] = [0]

        init(_ bytes: [UInt8], through last: Int) {
            var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            while index < bytes.count, lengths.count <= last {
                let byte = bytes[index]
                if byte == 0x0A || byte == 0x0D {
                    index += byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
                    lengths.append(0)
                } else if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0x85 {
                    index += 2
                    lengths.append(0)
                } else if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
                    index += 3
                    lengths.append(0)
                } else {
                    // Skip the continuation bytes of a UTF-8 sequence: one character.
                    index += 1
                    while byte >= 0xC0, index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
                    lengths[lengths.count - 1] += 1
                }
            }
        }

        var count: Int { lengths.count }

        func length(of line: Int) -> Int { lengths[line - 1] }
    }
}
