import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// `--json` on `baton runs`, `runs --audit`, `validate` and `graph`, run as a real process:
/// stdout carries one JSON document and nothing else, with the fields docs/json-output.md
/// lists, under those names.
@Suite(.timeLimit(.minutes(2))) struct JSONOutputTests {
    /// A scratch folder with a state directory in it, removed by `remove()`.
    struct Scratch {
        let path = NSTemporaryDirectory() + "baton-json-\(UUID().uuidString.prefix(8))"
        var stateDir: String { path + "/state" }
        var state: StateDirectory { StateDirectory(path: stateDir) }

        init() throws {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }

        /// Writes `text` to a file in the folder and returns its path.
        func file(_ name: String, _ text: String) throws -> String {
            try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
            return path + "/" + name
        }

        /// Records `journal` as the run of its id, with a workflow file of its steps.
        func record(_ journal: JournalBuilder, steps: [String]) throws {
            let text = "name: \(journal.workflowName)\nsteps:\n" + steps.map { "  \($0):\n    run: \"true\"\n" }.joined()
            try journal.write(to: state.runDirectory(journal.runID), workflowText: text)
        }
    }

    private static let runKeys: Set<String> = [
        "run_id", "directory", "workflow", "state", "waiting_for", "live", "resumable", "reopenable", "started_at", "ended_at",
        "duration_seconds", "started_by", "steps", "error",
    ]

    @Test func runsJSONIsOneArrayOfEveryRunNewestFirstWithItsDocumentedFields() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // 2027-01-15 08:00:00 UTC, and an hour later each.
        try scratch.record(
            JournalBuilder(runID: "20270115-080000-aaaa", workflow: "deploy", user: "alice")
                .runStarted(steps: ["build", "ship"]).succeeded("build").succeeded("ship").finished(.succeeded),
            steps: ["build", "ship"])
        try scratch.record(
            JournalBuilder(runID: "20270115-090000-bbbb", workflow: "etl", user: "bob", startTime: 1_800_003_600)
                .runStarted(steps: ["extract"]).step("extract", .running).step("extract", .failed, exitCode: 1).finished(.failed),
            steps: ["extract"])
        // Its process died with the step running: nobody writes it, it never ended.
        try scratch.record(
            JournalBuilder(runID: "20270115-100000-cccc", workflow: "deploy", user: "alice", startTime: 1_800_007_200)
                .runStarted(steps: ["build"]).step("build", .running),
            steps: ["build"])
        let unreadable = scratch.state.runDirectory("20270115-110000-dddd")
        try unreadable.create(workflowText: "name: x\n")
        try Data("this is not a journal\n".utf8).write(to: URL(fileURLWithPath: unreadable.eventsPath))

        let result = try await SeparateStreams.baton(["runs", "--json", "--state-dir", scratch.stateDir])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        let runs = try #require(try result.document() as? [[String: Any]])
        #expect(runs.map { $0["run_id"] as? String } == ["20270115-110000-dddd", "20270115-100000-cccc", "20270115-090000-bbbb", "20270115-080000-aaaa"])
        for run in runs { #expect(Set(run.keys) == Self.runKeys, "\(run.keys.sorted())") }

        let succeeded = runs[3]
        #expect(succeeded["workflow"] as? String == "deploy")
        #expect(succeeded["state"] as? String == "succeeded")
        #expect(succeeded["directory"] as? String == scratch.state.runDirectory("20270115-080000-aaaa").path)
        #expect(succeeded["started_at"] as? String == "2027-01-15T08:00:00.000Z")
        // Five events after the start, a quarter second apart.
        #expect(succeeded["ended_at"] as? String == "2027-01-15T08:00:01.250Z")
        #expect(succeeded["duration_seconds"] as? Double == 1.25)
        #expect(succeeded["started_by"] as? String == "alice")
        #expect(succeeded["live"] as? Bool == false)
        #expect(succeeded["reopenable"] as? Bool == true)
        #expect(succeeded["resumable"] as? Bool == false)
        #expect(succeeded["error"] is NSNull)
        #expect((succeeded["waiting_for"] as? [Any])?.isEmpty == true)
        let counts = try #require(succeeded["steps"] as? [String: Any])
        #expect(counts["total"] as? Int == 2 && counts["done"] as? Int == 2)
        #expect(counts["by_state"] as? [String: Int] == ["succeeded": 2])

        let failed = runs[2]
        #expect(failed["state"] as? String == "failed")
        #expect(failed["started_by"] as? String == "bob")
        #expect(failed["started_at"] as? String == "2027-01-15T09:00:00.000Z")
        #expect((failed["steps"] as? [String: Any])?["by_state"] as? [String: Int] == ["failed": 1])
        #expect((failed["steps"] as? [String: Any])?["done"] as? Int == 0)

        let died = runs[1]
        #expect(died["state"] as? String == "stopped_unexpectedly")
        #expect(died["ended_at"] is NSNull)
        #expect(died["resumable"] as? Bool == true)
        #expect(died["duration_seconds"] as? Double == 0.25)

        let broken = runs[0]
        #expect(broken["state"] as? String == "unreadable")
        #expect(broken["workflow"] is NSNull && broken["steps"] is NSNull && broken["started_at"] is NSNull)
        #expect((broken["error"] as? String)?.isEmpty == false)

        // The table says the same of each run.
        let table = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["runs", "--state-dir", scratch.stateDir])
        let rows = table.output.split(separator: "\n").map(String.init)
        #expect(rows.contains { $0.hasPrefix("20270115-100000-cccc") && $0.contains("stopped unexpectedly (resumable)") }, "\(table.output)")
        #expect(rows.contains { $0.hasPrefix("20270115-080000-aaaa") && $0.contains("succeeded (reopenable)") && $0.hasSuffix("2/2") })
    }

    @Test func noRunsIsAnEmptyArrayWithTheMessageOnStderr() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = try await SeparateStreams.baton(["runs", "--json", "--state-dir", scratch.stateDir])
        #expect(result.status == 0)
        #expect(try #require(try result.document() as? [Any]).isEmpty)
        #expect(result.stderr.contains("no runs recorded in \(scratch.stateDir)/runs"), "\(result.stderr)")
    }

    @Test func auditJSONIsTheRunAndItsEntriesWithISOTimes() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.record(
            JournalBuilder(runID: "20270115-080000-aaaa", workflow: "gated", user: "alice")
                .runStarted(steps: ["ship"]).step("ship", .waiting)
                .command("approve", step: "ship", by: "bob", comment: "looks good")
                .command("retry", step: "ship", by: "carol", refusal: "cannot retry 'ship': it is waiting"),
            steps: ["ship"])
        let result = try await SeparateStreams.baton(["runs", "--audit", "20270115-080000-aaaa", "--json", "--state-dir", scratch.stateDir])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        let trail = try #require(try result.document() as? [String: Any])
        #expect(Set(trail.keys) == ["run_id", "workflow", "entries"])
        #expect(trail["run_id"] as? String == "20270115-080000-aaaa")
        #expect(trail["workflow"] as? String == "gated")
        let entries = try #require(trail["entries"] as? [[String: Any]])
        for entry in entries {
            #expect(Set(entry.keys) == ["seq", "time", "user", "action", "step", "comment", "outcome", "detail"], "\(entry.keys.sorted())")
        }
        #expect(entries.map { $0["action"] as? String } == ["start run", "approve", "retry"])
        #expect(entries.map { $0["user"] as? String } == ["alice", "bob", "carol"])
        #expect(entries.map { $0["outcome"] as? String } == ["recorded", "accepted", "refused"])
        #expect(entries.map { $0["seq"] as? Int } == [1, 3, 4])
        #expect(entries.map { $0["time"] as? String } == ["2027-01-15T08:00:00.000Z", "2027-01-15T08:00:00.500Z", "2027-01-15T08:00:00.750Z"])
        #expect(entries[1]["step"] as? String == "ship")
        #expect(entries[1]["comment"] as? String == "looks good")
        #expect(entries[0]["step"] is NSNull && entries[0]["comment"] is NSNull)
        #expect(entries[2]["detail"] as? String == "cannot retry 'ship': it is waiting")
    }

    @Test func validateJSONListsEveryFileWithItsProblemsAndSuggestions() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let good = try scratch.file("good.yaml", "name: good\nsteps:\n  a:\n    run: \"true\"\n  b:\n    needs: [a]\n    run: \"true\"\n")
        let bad = try scratch.file("bad.yaml", "name: bad\nsteps:\n  a:\n    run: \"true\"\n    neds: [b]\n  b:\n    needs: [x]\n    run: \"true\"\n")

        let result = try await SeparateStreams.baton(["validate", "--json", good, bad])
        #expect(result.status == 2, "an invalid file is invalid input, with --json too: \(result.stdout)\(result.stderr)")
        #expect(result.stderr.isEmpty, "the problems are in the document: \(result.stderr)")
        let report = try #require(try result.document() as? [String: Any])
        #expect(Set(report.keys) == ["valid", "files"])
        #expect(report["valid"] as? Bool == false)
        let files = try #require(report["files"] as? [[String: Any]])
        #expect(files.map { $0["file"] as? String } == [good, bad])
        for file in files { #expect(Set(file.keys) == ["file", "valid", "workflow", "steps", "problems"]) }
        #expect(files[0]["valid"] as? Bool == true)
        #expect(files[0]["workflow"] as? String == "good")
        #expect(files[0]["steps"] as? Int == 2)
        #expect((files[0]["problems"] as? [Any])?.isEmpty == true)
        #expect(files[1]["valid"] as? Bool == false)
        #expect(files[1]["workflow"] is NSNull && files[1]["steps"] is NSNull)

        let problems = try #require(files[1]["problems"] as? [[String: Any]])
        for problem in problems { #expect(Set(problem.keys) == ["file", "line", "column", "message", "suggestion"]) }
        let typo = try #require(problems.first { ($0["message"] as? String)?.contains("neds") == true }, "\(problems)")
        #expect(typo["file"] as? String == bad)
        #expect(typo["line"] as? Int == 5 && typo["column"] as? Int == 5)
        #expect(typo["suggestion"] as? String == "needs")
        let unknown = try #require(problems.first { ($0["message"] as? String)?.contains("'x'") == true }, "\(problems)")
        #expect(unknown["line"] as? Int == 7)
        #expect(unknown["suggestion"] is NSNull)

        // The text output reports the same problems at the same places.
        let text = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["validate", bad])
        #expect(text.output.contains("\(bad):5:5: \(typo["message"] as? String ?? "")"), "\(text.output)")

        let valid = try await SeparateStreams.baton(["validate", "--json", good])
        #expect(valid.status == 0)
        #expect((try valid.document() as? [String: Any])?["valid"] as? Bool == true)
    }

    private static let fannedOut = """
        name: shipit
        steps:
          build:
            run: make
            rollback: make clean
          test:
            needs: [build, build]
            matrix:
              os: [linux, mac]
            run: ./test
          approve:
            name: Ship it?
            needs: [test]
            approval:
              prompt: Ship?
          deploy:
            needs: [approve]
            when: success()
            run: ./deploy
        finally:
          notify:
            run: echo done
        """

    @Test func graphJSONHasTheStepsAsNodesAndTheirNeedsAsEdges() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.file("shipit.yaml", Self.fannedOut)
        let result = try await SeparateStreams.baton(["graph", file, "--json"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        let graph = try #require(try result.document() as? [String: Any])
        #expect(Set(graph.keys) == ["workflow", "run_id", "nodes", "edges", "groups"])
        #expect(graph["workflow"] as? String == "shipit")
        #expect(graph["run_id"] is NSNull)
        let nodes = try #require(graph["nodes"] as? [[String: Any]])
        for node in nodes {
            #expect(Set(node.keys) == [
                "id", "name", "needs", "layer", "gate", "has_condition", "has_rollback", "finally", "group", "host", "fan_out_source",
                "enclosing_calls", "state",
            ], "\(node.keys.sorted())")
        }
        #expect(nodes.map { $0["id"] as? String } == ["build", "test[linux]", "test[mac]", "approve", "deploy", "notify"])
        let byID = Dictionary(uniqueKeysWithValues: nodes.map { ($0["id"] as? String ?? "", $0) })
        #expect(byID["build"]?["has_rollback"] as? Bool == true)
        #expect(byID["build"]?["layer"] as? Int == 1)
        #expect(byID["test[mac]"]?["needs"] as? [String] == ["build"], "a need written twice is listed once")
        #expect(byID["test[mac]"]?["group"] as? String == "test")
        #expect(byID["test[mac]"]?["layer"] as? Int == 2)
        #expect(byID["approve"]?["name"] as? String == "Ship it?")
        #expect(byID["approve"]?["gate"] as? Bool == true)
        #expect(byID["approve"]?["needs"] as? [String] == ["test[linux]", "test[mac]"])
        #expect(byID["deploy"]?["name"] as? String == "deploy")
        #expect(byID["deploy"]?["has_condition"] as? Bool == true)
        #expect(byID["deploy"]?["gate"] as? Bool == false)
        #expect(byID["notify"]?["finally"] as? Bool == true)
        #expect(byID["build"]?["group"] is NSNull && byID["build"]?["host"] is NSNull && byID["build"]?["state"] is NSNull)

        let edges = try #require(graph["edges"] as? [[String: String]])
        #expect(edges == [
            ["from": "build", "to": "test[linux]"], ["from": "build", "to": "test[mac]"], ["from": "test[linux]", "to": "approve"],
            ["from": "test[mac]", "to": "approve"], ["from": "approve", "to": "deploy"],
        ])
        let groups = try #require(graph["groups"] as? [[String: Any]])
        #expect(groups.count == 1)
        #expect(Set(groups[0].keys) == ["id", "instances", "fan_out_source", "max_parallel"])
        #expect(groups[0]["id"] as? String == "test")
        #expect(groups[0]["instances"] as? [String] == ["test[linux]", "test[mac]"])
    }

    @Test func graphJSONCarriesHostsDynamicFanOutsAndCalledWorkflows() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.path + "/lib", withIntermediateDirectories: true)
        _ = try scratch.file("lib/build.yaml", "name: build\nsteps:\n  compile:\n    run: make\n")
        let file = try scratch.file("fleet.yaml", """
            name: fleet
            hosts:
              db1: db1.example.com
              web1: web1.example.com
              web2: web2.example.com
            groups:
              web: [web1, web2]
            steps:
              list:
                run: ./list
              each:
                for_each: ${{ steps.list.outputs.items }}
                max_parallel: 2
                run: echo "$BATON_ITEM"
              migrate:
                on: db1
                run: ./migrate
              restart:
                on: web
                needs: [migrate]
                run: ./restart
              build:
                uses: lib/build.yaml
            """)
        let result = try await SeparateStreams.baton(["graph", file, "--json"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let graph = try #require(try result.document() as? [String: Any])
        let nodes = try #require(graph["nodes"] as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: nodes.map { ($0["id"] as? String ?? "", $0) })
        #expect(nodes.map { $0["id"] as? String } == ["list", "each", "migrate", "restart[web1]", "restart[web2]", "build.compile"])
        #expect(byID["each"]?["fan_out_source"] as? String == "steps.list.outputs.items")
        #expect(byID["each"]?["group"] as? String == "each")
        #expect(byID["migrate"]?["host"] as? String == "db1")
        #expect(byID["restart[web2]"]?["host"] as? String == "web2")
        #expect(byID["restart[web2]"]?["group"] as? String == "restart")
        #expect(byID["build.compile"]?["enclosing_calls"] as? [String] == ["build"])
        #expect(byID["list"]?["enclosing_calls"] as? [String] == [])

        let groups = try #require(graph["groups"] as? [[String: Any]])
        #expect(groups.map { $0["id"] as? String } == ["each", "restart"])
        #expect(groups[0]["fan_out_source"] as? String == "steps.list.outputs.items")
        #expect(groups[0]["instances"] as? [String] == [])
        #expect(groups[0]["max_parallel"] as? Int == 2)
        #expect(groups[1]["instances"] as? [String] == ["restart[web1]", "restart[web2]"])
        #expect(groups[1]["max_parallel"] is NSNull)
    }

    @Test func graphJSONWithARunCarriesEachStepsState() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.file("pair.yaml", "name: pair\nsteps:\n  a:\n    run: \"true\"\n  b:\n    needs: [a]\n    run: \"true\"\n")
        try scratch.record(
            JournalBuilder(runID: "20270115-080000-aaaa", workflow: "pair").runStarted(steps: ["a", "b"]).succeeded("a").step("b", .running),
            steps: ["a", "b"])
        let result = try await SeparateStreams.baton(["graph", file, "--json", "--run", "last", "--state-dir", scratch.stateDir])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let graph = try #require(try result.document() as? [String: Any])
        #expect(graph["run_id"] as? String == "20270115-080000-aaaa")
        let nodes = try #require(graph["nodes"] as? [[String: Any]])
        #expect(nodes.map { $0["state"] as? String } == ["succeeded", "running"])

        // -o writes the same document to the file, and nothing to stdout.
        let output = scratch.path + "/graph.json"
        let written = try await SeparateStreams.baton(["graph", file, "--json", "-o", output])
        #expect(written.status == 0 && written.stdout.isEmpty, "\(written.stdout)\(written.stderr)")
        let saved = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any]
        #expect(saved?["workflow"] as? String == "pair")

        let both = try await SeparateStreams.baton(["graph", file, "--json", "--format", "dot"])
        #expect(both.status == 2)
        #expect(both.stdout.isEmpty)
        #expect(both.stderr.contains("--json and --format dot are two formats"), "\(both.stderr)")
    }

    @Test func anInvalidWorkflowPrintsNothingOnStdoutForGraphJSON() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.file("bad.yaml", "name: bad\nsteps:\n  a:\n    neds: [b]\n")
        let result = try await SeparateStreams.baton(["graph", file, "--json"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        #expect(result.stderr.contains("bad.yaml:4:5:"), "\(result.stderr)")
    }
}
