import BatonEngine
import BatonTerminal
import Foundation
import Testing
@testable import BatonConsole

/// The step finder (`:`): typing narrows the steps table and selects the best match, tokens
/// filter by state and host, ↑ and ↓ move among the matches, Enter jumps and keeps the
/// narrowing, Esc puts everything back; and the state filters `1`, `2`, `3`, `0`.
@Suite struct StepFinderTests {
    /// build-app (0), migrate-db (1), restart[web1] (2), restart[web2] (3), approve-release (4),
    /// deploy-web[web1] (5), deploy-web[web2] (6), smoke-test (7).
    static let workflow = try! WorkflowLoader.load(yaml: """
        name: shop
        hosts: {web1: web1, web2: web2, db1: db1}
        groups: {web: [web1, web2]}
        steps:
          build-app:
            name: Compile the code
            run: make
          migrate-db:
            on: db1
            needs: [build-app]
            run: ./migrate
          restart:
            on: web
            needs: [migrate-db]
            run: ./restart
          approve-release:
            needs: [restart]
            approval:
              prompt: Ship it?
          deploy-web:
            on: web
            needs: [approve-release]
            run: ./deploy
          smoke-test:
            needs: [deploy-web]
            run: ./smoke
        """, file: "shop.yaml")
    static let context = ConsoleContext(workflow: workflow)

    /// The run with build-app and migrate-db done, restart[web1] failed, restart[web2]
    /// running and the gate waiting (the fold does not check needs).
    static func state(width: Int = 120, height: Int = 36) -> AppState {
        var state = AppState(workflow: workflow, user: "alice", width: width, height: height, now: 1_000_100)
        state.graphNaturalSize = context.shownGraph(state).size
        var started = RunEvent(seq: 1, time: 1_000_000, kind: .runStarted)
        started.runID = "run-1"
        started.steps = workflow.stepIDs
        let events: [RunEvent] = [
            .step("build-app", .running, attempt: 1), .step("build-app", .succeeded),
            .step("migrate-db", .running, attempt: 1), .step("migrate-db", .succeeded),
            .step("restart[web1]", .running, attempt: 1), .step("restart[web1]", .failed, exitCode: 1),
            .step("restart[web2]", .running, attempt: 1),
            .step("approve-release", .waiting),
        ]
        for var event in [started] + events {
            event.seq = state.run.lastSeq + 1
            event.time = 1_000_010
            _ = ConsoleUpdate.update(&state, .engine(.event(event)), context: context)
        }
        state.status = nil
        return state
    }

    static func press(_ keys: Key..., in state: inout AppState) {
        for key in keys { _ = ConsoleUpdate.update(&state, .key(key), context: context) }
    }

    static func type(_ text: String, in state: inout AppState) {
        for character in text { _ = ConsoleUpdate.update(&state, .key(.character(character)), context: context) }
    }

    static func ids(_ positions: [Int]) -> [String] {
        positions.map { workflow.steps[$0].id }
    }

    /// The step ids the table shows (a group's header by its group id).
    static func tableIDs(_ state: AppState) -> [String] {
        StepTable.rows(for: state, grouping: context.grouping(state)).map { row in
            row.step.map { workflow.steps[$0].id } ?? "▸" + (row.group ?? "")
        }
    }

    @Test func typingNarrowsTheTableAndSelectsTheBestMatch() {
        var state = Self.state()
        Self.press(.character(":"), in: &state)
        #expect(state.finder != nil)
        #expect(state.tableNarrowing == nil, "an empty query keeps every step")
        Self.type("smoke", in: &state)
        #expect(Self.ids(state.finderMatches) == ["smoke-test"])
        #expect(Self.tableIDs(state) == ["smoke-test"])
        #expect(state.selectedStep?.id == "smoke-test", "the best match is selected in the graph and the table")
        #expect(state.tableFilterNote.contains("matching 'smoke'"))
    }

    @Test func aMatchInACollapsedGroupSelectsTheGroupWithoutExpandingIt() {
        var state = Self.state()
        Self.press(.character(":"), in: &state)
        Self.type("dep", in: &state)
        #expect(Self.ids(state.finderMatches) == ["deploy-web[web1]", "deploy-web[web2]"])
        #expect(Self.tableIDs(state) == ["▸deploy-web"], "a collapsed group shows as its header")
        #expect(state.selectedStep?.id == "deploy-web[web1]")
        #expect(state.selectedGroup == "deploy-web", "its node and header are the selection")
        #expect(state.expandedGroups.isEmpty, "typing expands nothing")
    }

    @Test func tokensFilterByStateAndByHost() {
        var state = Self.state()
        Self.press(.character(":"), in: &state)
        func matches(_ query: String) -> [String] {
            Self.press(.control("c"), in: &state)
            Self.press(.character(":"), in: &state)
            Self.type(query, in: &state)
            return Self.ids(state.finderMatches)
        }
        #expect(matches("state:failed") == ["restart[web1]"])
        #expect(matches("state:FAIL") == ["restart[web1]"], "a state by the start of its name, in any case")
        #expect(matches("state:waiting") == ["approve-release"])
        #expect(matches("state:running") == ["restart[web2]"])
        #expect(matches("state:succeeded") == ["build-app", "migrate-db"])
        #expect(matches("host:web1") == ["restart[web1]", "deploy-web[web1]"])
        #expect(matches("host:web") == ["restart[web1]", "restart[web2]", "deploy-web[web1]", "deploy-web[web2]"],
                "no host is called web: the hosts whose names start with it")
        #expect(matches("on:db1") == ["migrate-db"])
        #expect(matches("host:web1 state:failed") == ["restart[web1]"], "every token must match")
        #expect(matches("host:web2 state:failed") == [])
        #expect(matches("restart state:run") == ["restart[web2]"])
        #expect(matches("compile") == ["build-app"], "words match names too")
        #expect(matches("state:nope") == [])
        #expect(state.tableNarrowing?.parsed.unknownStates == ["nope"])
        #expect(matches("state:").count == 8, "a token still being typed keeps every step")
    }

    @Test func stateTokensFollowTheRunAsItMoves() {
        var state = Self.state()
        Self.press(.character(":"), in: &state)
        Self.type("state:failed", in: &state)
        Self.press(.enter, in: &state)
        #expect(Self.tableIDs(state) == ["▸restart", "restart[web1]"], "Enter expanded its group")
        var retried = RunEvent.step("restart[web1]", .pending)
        retried.seq = state.run.lastSeq + 1
        retried.time = 1_000_020
        _ = ConsoleUpdate.update(&state, .engine(.event(retried)), context: Self.context)
        #expect(Self.tableIDs(state).isEmpty, "the step left the state, and the table")
        #expect(state.emptyTableText.contains("matches 'state:failed'"))
    }

    @Test func upAndDownMoveAmongTheMatchesAndSelectEach() {
        var state = Self.state()
        Self.press(.character(":"), in: &state)
        Self.type("web", in: &state)
        #expect(Self.ids(state.finderMatches) == ["restart[web1]", "restart[web2]", "deploy-web[web1]", "deploy-web[web2]"])
        #expect(state.selectedStep?.id == "restart[web1]")
        Self.press(.down, in: &state)
        #expect(state.selectedStep?.id == "restart[web2]")
        Self.press(.control("n"), in: &state)
        #expect(state.selectedStep?.id == "deploy-web[web1]")
        Self.press(.up, in: &state)
        #expect(state.selectedStep?.id == "restart[web2]")
        Self.press(.control("p"), .control("p"), .control("p"), in: &state)
        #expect(state.selectedStep?.id == "restart[web1]", "the first match stays the first")
        Self.press(.pageDown, in: &state)
        #expect(state.selectedStep?.id == "deploy-web[web2]", "a page down goes to the last")
        #expect(state.finder?.chosen == 6)
        #expect(state.finder?.query == "web", "moving does not type")
    }

    @Test func enterJumpsExpandsTheGroupAndKeepsTheTableNarrowed() {
        var state = Self.state()
        Self.press(.character(":"), in: &state)
        Self.type("dep", in: &state)
        Self.press(.down, .enter, in: &state)
        #expect(state.finder == nil)
        #expect(state.selectedStep?.id == "deploy-web[web2]")
        #expect(state.expandedGroups.contains("deploy-web"), "the step itself, not its group")
        #expect(state.selectedGroup == nil)
        #expect(state.focus == .steps, "the table goes on showing the matches, to walk through")
        #expect(Self.tableIDs(state) == ["▸deploy-web", "deploy-web[web1]", "deploy-web[web2]"])
        #expect(state.status?.text.contains("'deploy-web[web2]'") == true)
        // ↑ in the table walks the matches.
        Self.press(.up, in: &state)
        #expect(state.selectedStep?.id == "deploy-web[web1]")
        // The finder opens again on the query, to refine it.
        Self.press(.character(":"), in: &state)
        #expect(state.finder?.query == "dep")
        #expect(state.finder?.chosen == 5)
        Self.press(.escape, in: &state)
        #expect(state.tableNarrowing?.query == "dep")
        // 0 shows every step again.
        Self.press(.character("0"), in: &state)
        #expect(state.tableNarrowing == nil)
        #expect(Self.tableIDs(state).count == 8, "every step, deploy-web still expanded")
    }

    @Test func escapePutsTheSelectionTheTableAndThePanesBack() {
        var state = Self.state(height: 20)
        Self.press(.tab, in: &state)
        Self.press(.down, in: &state)
        let before = (selected: state.selected, top: state.panes.steps.top, focus: state.focus, graph: state.panes.graph)
        #expect(state.selectedStep?.id == "migrate-db")
        Self.press(.character(":"), in: &state)
        Self.type("smoke", in: &state)
        #expect(state.selectedStep?.id == "smoke-test")
        Self.press(.escape, in: &state)
        #expect(state.finder == nil)
        #expect(state.tableNarrowing == nil)
        #expect(state.selected == before.selected)
        #expect(state.panes.steps.top == before.top)
        #expect(state.focus == before.focus)
        #expect(state.panes.graph == before.graph)
        // A narrowing kept from before comes back too.
        Self.press(.character(":"), in: &state)
        Self.type("dep", in: &state)
        Self.press(.enter, in: &state)
        Self.press(.character(":"), in: &state)
        Self.press(.backspace, .backspace, .backspace, in: &state)
        Self.type("smoke", in: &state)
        #expect(state.tableNarrowing?.query == "smoke")
        Self.press(.escape, in: &state)
        #expect(state.tableNarrowing?.query == "dep")
        #expect(state.selectedStep?.id == "deploy-web[web1]")
    }

    @Test func anEmptiedQueryGoesBackToTheSelectionItStartedFrom() {
        var state = Self.state()
        Self.press(.character(":"), in: &state)
        Self.type("smo", in: &state)
        #expect(state.selectedStep?.id == "smoke-test")
        Self.press(.backspace, .backspace, .backspace, in: &state)
        #expect(state.tableNarrowing == nil)
        #expect(state.selected == 0)
        #expect(state.finder?.chosen == nil)
        Self.press(.backspace, in: &state)
        #expect(state.finder?.query == "", "Backspace on an empty query keeps the finder open")
        // Enter with nothing chosen only closes.
        Self.press(.enter, in: &state)
        #expect(state.finder == nil)
        #expect(state.selected == 0)
    }

    @Test func enterWithNothingMatchingKeepsTheFinderOpen() {
        var state = Self.state()
        Self.press(.character(":"), in: &state)
        Self.type("zzz", in: &state)
        #expect(state.finderMatches.isEmpty)
        Self.press(.enter, in: &state)
        #expect(state.finder != nil)
        #expect(state.status?.isError == true)
        #expect(state.status?.text.contains("no step matches 'zzz'") == true)
    }

    @Test func keysTypedInTheFinderAreNotCommands() {
        var state = Self.state()
        Self.press(.control("f"), in: &state)
        #expect(state.finder != nil, "Ctrl-F opens the finder too")
        Self.type("q?r1", in: &state)
        #expect(state.finder?.query == "q?r1")
        #expect(state.dialog == nil)
        #expect(state.tableFilter == nil)
    }

    @Test func quickFiltersShowOneStateAndZeroShowsEveryStep() {
        var state = Self.state()
        #expect(state.selectedStep?.id == "build-app")
        Self.press(.character("1"), in: &state)
        #expect(state.tableFilter == .failed)
        #expect(Self.tableIDs(state) == ["▸restart"])
        #expect(state.selectedStep?.id == "restart[web1]", "a selection the table hides moves to its first row")
        #expect(state.tableFilterNote == " — only failed · 0 shows all")
        Self.press(.character("1"), in: &state)
        #expect(state.tableFilter == nil, "the same key again shows every state")
        Self.press(.character("2"), in: &state)
        #expect(state.tableFilter == .waiting)
        #expect(state.selectedStep?.id == "approve-release")
        #expect(state.status?.text.contains("gates waiting") == true)
        Self.press(.character("3"), in: &state)
        #expect(state.tableFilter == .running)
        #expect(state.selectedStep?.id == "restart[web2]")
        Self.press(.character("0"), in: &state)
        #expect(state.tableFilter == nil)
        #expect(state.selectedStep?.id == "restart[web2]", "clearing moves nothing")
        Self.press(.character("0"), in: &state)
        #expect(state.status?.text.contains("already") == true)
        // F still cycles through the states present.
        Self.press(.character("F"), in: &state)
        #expect(state.tableFilter == .pending)
    }

    @Test func aStateFilterAndTheFinderNarrowTogether() {
        var state = Self.state()
        Self.press(.character("3"), in: &state)
        Self.press(.character(":"), in: &state)
        #expect(Self.ids(state.finderMatches) == ["restart[web2]"], "the finder lists what the table shows")
        Self.type("web", in: &state)
        #expect(Self.ids(state.finderMatches) == ["restart[web2]"])
        #expect(state.tableFilterNote.contains("only running, matching 'web'"))
    }

    @Test func everyKeyIsBoundOnce() {
        var seen: [Key: ConsoleAction] = [:]
        for binding in Keymap.defaultBindings {
            for key in binding.keys {
                #expect(seen[key] == nil, "\(key.name) is bound to \(seen[key].map { "\($0)" } ?? "") and \(binding.action)")
                seen[key] = binding.action
            }
        }
        #expect(Keymap.standard.action(for: .character(":")) == .find)
        #expect(Keymap.standard.action(for: .control("f")) == .find)
        #expect(Keymap.standard.action(for: .character("/")) == .search, "the log search keeps its key")
        #expect(HelpText.lines().contains { $0.contains("In the finder") })
    }

    @Test func enterOpensTheCalledWorkflowsAroundTheStep() {
        let workflow = CalledWorkflowConsoleTests.workflow
        let context = ConsoleContext(workflow: workflow)
        var state = AppState(workflow: workflow, user: "alice", width: 120, height: 36, now: 1_000_000)
        func keys(_ text: String, then key: Key) {
            _ = ConsoleUpdate.update(&state, .key(.character(":")), context: context)
            for character in text { _ = ConsoleUpdate.update(&state, .key(.character(character)), context: context) }
            _ = ConsoleUpdate.update(&state, .key(key), context: context)
        }
        keys("compile", then: .enter)
        #expect(state.selectedStep?.id == "build.compile")
        #expect(state.expandedGroups == ["build"], "the call that holds it")
        _ = ConsoleUpdate.update(&state, .key(.character("0")), context: context)
        keys("deploy[b", then: .enter)
        #expect(state.selectedStep?.id == "build.deploy[b]")
        #expect(state.expandedGroups == ["build", "build.deploy"], "the call, then the fan-out in it")
    }

    @Test func aWorkflowThatGrowsIsMatchedAgain() {
        var state = Self.state()
        Self.press(.character(":"), in: &state)
        Self.type("smoke", in: &state)
        Self.press(.enter, in: &state)
        // The same steps and one more, as a dynamic fan-out's instances would add.
        let grown = Workflow(name: "shop", steps: Self.workflow.steps + [Step(id: "smoke-extra", run: "true")])
        state.workflow = grown
        #expect(!state.tableShows(8), "the narrowing was made before the step")
        ConsoleUpdate.rematchNarrowing(&state)
        #expect(state.tableShows(8))
        #expect(state.tableNarrowing?.query == "smoke")
    }

    @Test func tenThousandStepsNarrowToExactlyTheMatches() throws {
        // Layers of 20: s0000_00 … s0499_19; every seventh step on one of 30 hosts, every
        // hundred-and-first failed.
        let count = 10_000
        var steps: [Step] = []
        for position in 0..<count {
            let id = "s" + String(format: "%04d_%02d", position / 20, position % 20)
            var step = Step(id: id, run: "true")
            if position % 7 == 0 { step.host = "host\(position % 30)" }
            if position % 500 == 0 { step.name = "Checkpoint \(position / 500)" }
            steps.append(step)
        }
        let workflow = Workflow(name: "big", steps: steps)
        let context = ConsoleContext(workflow: workflow)
        var state = AppState(workflow: workflow, user: "alice", width: 120, height: 36, now: 1_000_100)
        var started = RunEvent(seq: 1, time: 1_000_000, kind: .runStarted)
        started.steps = workflow.stepIDs
        try state.run.apply(started)
        let failed = stride(from: 0, to: count, by: 101).map { $0 }
        for position in failed {
            for var event in [RunEvent.step(steps[position].id, .running, attempt: 1), .step(steps[position].id, .failed, exitCode: 1)] {
                event.seq = state.run.lastSeq + 1
                event.time = 1_000_010
                try state.run.apply(event)
            }
        }
        func typed(_ query: String) -> [Int] {
            if state.finder != nil { _ = ConsoleUpdate.update(&state, .key(.escape), context: context) }
            _ = ConsoleUpdate.update(&state, .key(.character(":")), context: context)
            for character in query { _ = ConsoleUpdate.update(&state, .key(.character(character)), context: context) }
            return state.finderMatches
        }
        // What a plain subsequence check finds, field by field.
        func expected(_ word: String) -> Set<Int> {
            Set(steps.indices.filter { index in
                [steps[index].id, steps[index].name ?? "", steps[index].host ?? ""].contains { isSubsequence(word, of: $0.lowercased()) }
            })
        }
        for word in ["s0123", "s42_1", "9_19", "host2", "checkpoint", "ck1", "4_0"] {
            let found = typed(word)
            #expect(Set(found) == expected(word), "\(word)")
            #expect(found.count == Set(found).count, "each step once")
            #expect(StepTable.rows(for: state, grouping: context.grouping(state)).count == found.count)
        }
        // The id itself comes first.
        #expect(typed("s0123_04").first == workflow.position(of: "s0123_04"))
        #expect(state.selectedStep?.id == "s0123_04")
        // Tokens at scale.
        #expect(typed("state:failed") == failed)
        #expect(Set(typed("host:host2")) == Set(steps.indices.filter { steps[$0].host == "host2" }))
        #expect(Set(typed("host:host2 state:failed")) == Set(failed.filter { steps[$0].host == "host2" }))
        #expect(Set(typed("s1 s2 s3")) == expected("s1").intersection(expected("s2")).intersection(expected("s3")))
    }

    private func isSubsequence(_ word: String, of text: String) -> Bool {
        var remaining = Substring(word)
        for character in text where character == remaining.first {
            remaining = remaining.dropFirst()
            if remaining.isEmpty { return true }
        }
        return remaining.isEmpty
    }
}
