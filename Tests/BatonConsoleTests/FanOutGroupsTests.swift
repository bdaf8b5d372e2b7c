import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// Fan-out groups in the console: `e` expands the selected group in place (and collapses it
/// from any of its instances), `E` all of them; the steps table and the timeline show each
/// group under a header row, its instances indented beneath it when it is expanded.
@Suite struct FanOutGroupsTests {
    /// build (0); deploy[web1] … deploy[web3] (1–3); smoke[eu], smoke[us] (4–5); verify (6).
    static let workflow = try! WorkflowLoader.load(yaml: """
        name: fleet
        steps:
          build:
            run: make
          deploy:
            needs: [build]
            for_each: [web1, web2, web3]
            run: ./deploy.sh
          smoke:
            needs: [deploy]
            for_each: [eu, us]
            run: ./smoke.sh
          verify:
            needs: [smoke]
            run: ./verify.sh
        """, file: "fleet.yaml")
    static let context = ConsoleContext(workflow: workflow)
    static let start = 1_000_000.0

    /// The run started at `start`, then each event at its offset in seconds, applied as the
    /// engine's are (the timeline grows with them).
    static func state(_ events: [(Double, RunEvent)] = [], width: Int = 140, height: Int = 40) -> AppState {
        var state = AppState(workflow: workflow, user: "alice", width: width, height: height, now: start + 10)
        state.graphNaturalSize = context.shownGraph(state).size
        var started = RunEvent(seq: 1, time: start, kind: .runStarted)
        started.runID = "run-1"
        started.steps = workflow.stepIDs
        _ = ConsoleUpdate.update(&state, .engine(.event(started)), context: context)
        for (offset, var event) in events {
            event.seq = state.run.lastSeq + 1
            event.time = start + offset
            _ = ConsoleUpdate.update(&state, .engine(.event(event)), context: context)
        }
        state.now = start + 10
        return state
    }

    /// build ran 0–2 s; deploy[web1] 2–4 s and deploy[web2] 2–6 s succeeded; deploy[web3] ran
    /// 4–5 s and failed; the smoke tests have not started.
    static let events: [(Double, RunEvent)] = [
        (0, .step("build", .running, attempt: 1)), (2, .step("build", .succeeded)),
        (2, .step("deploy[web1]", .running, attempt: 1)), (2, .step("deploy[web2]", .running, attempt: 1)),
        (4, .step("deploy[web1]", .succeeded)), (4, .step("deploy[web3]", .running, attempt: 1)),
        (5, .step("deploy[web3]", .failed, exitCode: 1)), (6, .step("deploy[web2]", .succeeded)),
    ]

    static func press(_ keys: Key..., in state: inout AppState) {
        for key in keys { _ = ConsoleUpdate.update(&state, .key(key), context: context) }
    }

    /// The whole console drawn into a test terminal.
    static func screen(_ state: AppState, unicode: Bool = true) -> TestBackend {
        let backend = TestBackend(width: state.width, height: state.height)
        backend.draw(ConsoleView.render(state, context: context, theme: unicode ? .builtInDark : .builtInDark.asciiOnly, unicode: unicode))
        return backend
    }

    /// The steps table alone, as the console lays it out for `state`.
    static func table(_ state: AppState, width: Int = 90, height: Int = 10, unicode: Bool = true) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        StepTable(state: state, grouping: context.grouping(state), theme: unicode ? .builtInDark : .builtInDark.asciiOnly, unicode: unicode)
            .render(into: &buffer, area: buffer.area)
        return buffer
    }

    /// The graph pane's rows of a screen (left of the details pane, between its borders).
    static func graphRows(_ backend: TestBackend, _ state: AppState) -> [String] {
        let pane = ConsoleLayout(state).graph
        return (pane.y + 1..<pane.maxY - 1).map { y in
            String(backend.lines[y].prefix(pane.maxX))
        }
    }

    // MARK: - Expanding one group

    @Test func eExpandsTheSelectedGroupAndLeavesTheOthersCollapsed() {
        var state = Self.state(Self.events)
        state.focus = .graph
        Self.press(.character("l"), in: &state)
        #expect(state.selected == 1 && state.selectedGroup == "deploy", "right from build reaches the deploy node")
        Self.press(.character("e"), in: &state)
        #expect(state.expandedGroups == ["deploy"])
        #expect(state.selected == 1 && state.selectedGroup == nil, "the selection stays on the step, now a node of its own")
        #expect(state.status?.text == "'deploy' expanded: its 3 instances shown — e on any of them collapses it")
        let screen = Self.screen(state)
        let graph = Self.graphRows(screen, state).joined(separator: "\n")
        for instance in ["deploy[web1]", "deploy[web2]", "deploy[web3]"] { #expect(graph.contains(instance), "\(graph)") }
        #expect(graph.contains("smoke ×2"), "smoke stays one node:\n\(graph)")
        #expect(!screen.text.contains("smoke[eu]"), "no smoke instance anywhere:\n\(screen.text)")
        #expect(screen.text.contains("Graph — 7 steps · e collapses 'deploy'"))
        // The table says the same: deploy open under its header, smoke a header alone.
        #expect(screen.lines.contains { $0.contains("│▾ deploy ×3 ") })
        #expect(screen.lines.contains { $0.contains("│  deploy[web2] ") })
        #expect(screen.lines.contains { $0.contains("│▸ smoke ×2 ") })
    }

    @Test func eOnAnInstanceCollapsesItsGroupAndTheGroupIsSelected() {
        var state = Self.state(Self.events)
        state.expandedGroups = ["deploy", "smoke"]
        state.focus = .steps
        state.selected = 2
        Self.press(.character("e"), in: &state)
        #expect(state.expandedGroups == ["smoke"], "only deploy collapses")
        #expect(state.selected == 2 && state.selectedGroup == "deploy")
        #expect(state.status?.text == "'deploy' collapsed: one node for its 3 instances — e expands it")
        let screen = Self.screen(state)
        #expect(screen.text.contains("Graph — 7 steps · e expands 'deploy'"))
        // The group's node and its header row are drawn selected.
        let selection = Theme.builtInDark.style(.selection)
        let row = try! #require(screen.lines.firstIndex { $0.contains("│▸ deploy ×3 ") })
        #expect(screen.screen[ConsoleLayout(state).steps.x + 1, row].style.background == selection.background)
        let node = try! #require(screen.lines.firstIndex { $0.contains("deploy ×3 ✔2 ✘1") && !$0.contains("│▸") })
        let column = try! #require(screen.lines[node].range(of: "deploy ×3")).lowerBound
        let x = screen.lines[node].distance(from: screen.lines[node].startIndex, to: column)
        #expect(screen.screen[x, node].style == selection, "the deploy node is the selection")
        // e again on the node expands it, and the same instance is selected on its own.
        Self.press(.character("e"), in: &state)
        #expect(state.expandedGroups == ["deploy", "smoke"] && state.selected == 2 && state.selectedGroup == nil)
    }

    @Test func capitalEExpandsEveryGroupThenCollapsesThemAll() {
        var state = Self.state()
        state.expandedGroups = ["smoke"]
        Self.press(.character("E"), in: &state)
        #expect(state.expandedGroups == ["deploy", "smoke"], "one still collapsed: E expands all")
        #expect(state.status?.text == "every fan-out expanded to its instances — E collapses them all, e the selected one")
        #expect(Self.context.shownGroups(state) == nil, "nothing collapsed: the workflow's own graph")
        #expect(Self.context.shownGraph(state).stepCount == 7)
        Self.press(.character("E"), in: &state)
        #expect(state.expandedGroups.isEmpty)
        #expect(Self.context.shownGraph(state).stepCount == 4, "build, deploy, smoke, verify")
        #expect(Keymap.standard.action(for: .character("E")) == .toggleAllGroups)
        #expect(Keymap.defaultBindings.filter { $0.keys.contains(.character("E")) }.count == 1, "E is bound once")
    }

    // MARK: - The steps table

    @Test func theTableShowsAGroupUnderAHeaderRowAndItsInstancesIndented() {
        var state = Self.state(Self.events)
        state.selected = 0
        let clock = Format.clock(Self.start + 2)
        let collapsed = Self.table(state).lines
        // The STEP column fits an instance's id indented beneath its header.
        #expect(collapsed[0] == "STEP           STATE          TRY  TIME   START    NEEDS")
        #expect(collapsed[2] == "▸ deploy ×3    ✔2 ✘1          –    4.0s   \(clock) build")
        #expect(collapsed[3] == "▸ smoke ×2     · pending      –    –      –        deploy")
        #expect(collapsed[4] == "verify         · pending      –    –      –        smoke")
        #expect(collapsed[5].isEmpty, "a collapsed group is its header alone")
        state.expandedGroups = ["deploy"]
        let expanded = Self.table(state).lines
        #expect(expanded[2] == "▾ deploy ×3    ✔2 ✘1          –    4.0s   \(clock) build")
        #expect(expanded[3] == "  deploy[web1] ✔ succeeded    1/1  2.0s   \(clock) build")
        #expect(expanded[5] == "  deploy[web3] ✘ failed       1/1  1.0s   \(Format.clock(Self.start + 4)) build")
        #expect(expanded[6] == "▸ smoke ×2     · pending      –    –      –        deploy[web1], deploy[web2], deploy[we…",
                "an expanded group's instances are named one by one")
        // Without UTF-8 the markers are brackets, so they never read as a state glyph.
        let ascii = Self.table(state, unicode: false).lines
        #expect(ascii[2].hasPrefix("[-] deploy x3  v2 X1          –    4.0s"))
        #expect(ascii[6].hasPrefix("[+] smoke x2   . pending"))
        // Narrow, the STATE column is the glyph of what most needs an eye, and NEEDS still shows.
        let narrow = Self.table(state, width: 50).lines
        #expect(narrow[0] == "STEP           S TRY  TIME   START    NEEDS")
        #expect(narrow[2] == "▾ deploy ×3    ✘ –    4.0s   \(clock) build")
    }

    @Test func sortingAndFilteringKeepEachGroupTogether() {
        var state = Self.state(Self.events)
        state.expandedGroups = ["deploy"]
        state.tableFilter = .failed
        let grouping = Self.context.grouping(state)
        #expect(StepTable.rows(for: state, grouping: grouping) == [.group("deploy", expanded: true), .step(3, indented: true)])
        state.expandedGroups = []
        #expect(StepTable.rows(for: state, grouping: Self.context.grouping(state)) == [.group("deploy", expanded: false)],
                "a collapsed group with a match is its header")
        state.tableFilter = .pending
        #expect(StepTable.rows(for: state, grouping: Self.context.grouping(state)) == [.group("smoke", expanded: false), .step(6, indented: false)])
        // By state (pending, …, succeeded, failed, …): the group sorts by the state that most
        // needs an eye (failed), its instances among themselves beneath it.
        state.tableFilter = nil
        state.tableSort = .state
        state.expandedGroups = ["deploy"]
        #expect(StepTable.rows(for: state, grouping: Self.context.grouping(state)) == [
            .group("smoke", expanded: false), .step(6, indented: false), .step(0, indented: false),
            .group("deploy", expanded: true), .step(1, indented: true), .step(2, indented: true), .step(3, indented: true),
        ])
        // By duration: deploy's instances spanned 4 s, build ran 2 s.
        state.tableSort = .duration
        let byDuration = StepTable.rows(for: state, grouping: Self.context.grouping(state))
        #expect(Array(byDuration.prefix(5)) == [
            .group("deploy", expanded: true), .step(2, indented: true), .step(1, indented: true), .step(3, indented: true), .step(0, indented: false),
        ])
    }

    @Test func movingThroughTheTablePassesOverAnExpandedHeaderAndStopsOnACollapsedOne() {
        var state = Self.state(Self.events)
        state.expandedGroups = ["deploy"]
        state.focus = .steps
        state.selected = 0
        Self.press(.character("j"), in: &state)
        #expect(state.selected == 1, "from build, down reaches deploy[web1], past deploy's header")
        Self.press(.character("k"), in: &state)
        #expect(state.selected == 0)
        state.selected = 3
        Self.press(.character("j"), in: &state)
        #expect(state.selected == 4 && state.selectedGroup == "smoke", "the smoke header stands for its group")
        Self.press(.character("j"), in: &state)
        #expect(state.selected == 6)
        Self.press(.character("k"), in: &state)
        #expect(state.selectedGroup == "smoke")
        Self.press(.character("G"), in: &state)
        #expect(state.selected == 6)
        Self.press(.character("g"), in: &state)
        #expect(state.selected == 0)
    }

    @Test func aShortTableScrollsAnInstanceIntoViewWithItsHeader() {
        // Three rows show: build, the deploy header and deploy[web1] fit; the rest scroll.
        var state = Self.state(Self.events, width: 100, height: 16)
        state.expandedGroups = ["deploy", "smoke"]
        state.focus = .steps
        let visible = ConsoleLayout(state).steps.height - 3
        try! #require(visible >= 2 && visible < 9)
        Self.press(.character("G"), in: &state)
        #expect(state.selected == 6 && state.panes.steps.top == 9 - visible)
        Self.press(.character("g"), in: &state)
        Self.press(.character("j"), in: &state)
        #expect(state.selected == 1 && state.panes.steps.top == 0)
        // Up onto the first instance at the top brings its header into view with it.
        state.panes.steps.top = 7
        state.selected = 5
        Self.press(.character("k"), in: &state)
        #expect(state.selected == 4 && state.panes.steps.top == 5, "the smoke header (row 5) shows above smoke[eu] (row 6)")
    }

    // MARK: - Acting on a group's node

    @Test func enterOnACollapsedGroupExpandsItAndStepKeysOnItAreRefused() {
        var state = Self.state(Self.events)
        state.focus = .steps
        state.selected = 3
        #expect(state.selectedGroup == "deploy")
        #expect(ConsoleUpdate.update(&state, .key(.character("r")), context: Self.context).isEmpty, "no retry of an unseen instance")
        #expect(state.status?.text == "'deploy' stands for its 3 instances: e expands it, then select the one to act on")
        #expect(!ActionOffers.footerHints(in: state, plan: Self.context.plan).contains { $0.label == "retry" })
        let details = Self.screen(state).text
        #expect(details.contains("a fan-out of 3, collapsed: e or Enter expands it to"), "\(details)")
        #expect(details.contains("needs an eye: deploy[web3] failed"))
        Self.press(.enter, in: &state)
        #expect(state.expandedGroups == ["deploy"] && state.focus == .steps, "Enter opens the group where it is")
        _ = ConsoleUpdate.update(&state, .key(.character("r")), context: Self.context)
        #expect(ConsoleUpdate.update(&state, .key(.enter), context: Self.context) == [.command(.retry(step: "deploy[web3]"))])
        Self.press(.enter, in: &state)
        #expect(state.focus == .details, "on an instance Enter shows the details, as on any step")
    }

    @Test func theAttentionJumpOpensTheGroupOfTheInstanceItSelects() {
        var state = Self.state(Self.events)
        state.expandedGroups = ["smoke"]
        #expect(state.attention.last?.step == "deploy[web3]")
        Self.press(.character("!"), in: &state)
        #expect(state.selected == 3 && state.expandedGroups == ["deploy", "smoke"] && state.selectedGroup == nil)
    }

    // MARK: - The timeline

    @Test func aCollapsedGroupIsOneTimelineRowSpanningItsInstances() {
        // smoke[eu] runs 7–9 s too: the run spans 9 s, over 18 cells; bars start at column 17.
        let state = Self.state(Self.events + [(7, .step("smoke[eu]", .running, attempt: 1)), (9, .step("smoke[eu]", .succeeded))])
        var buffer = Buffer(width: 35, height: 6)
        func view(_ expanded: Set<String>) -> TimelineView {
            var grouped = state
            grouped.expandedGroups = expanded
            return TimelineView(workflow: Self.workflow, grouping: Self.context.grouping(grouped), timeline: state.timeline, critical: [0, 2],
                                states: Self.workflow.steps.indices.map(state.stepState), selected: 3, top: 0, now: state.now,
                                theme: .builtInDark, unicode: true)
        }
        view([]).render(into: &buffer, area: buffer.area)
        #expect(buffer.lines[1] == "◆ build          ████")
        #expect(buffer.lines[2] == "◆ ▸ deploy ×3        ████████ ✔2 ✘1", "first start (2 s) to last end (6 s), its counts after")
        #expect(buffer.lines[3] == "  ▸ smoke ×2                ✔1 ████", "counts before a bar that ends at the edge")
        #expect(buffer.lines[4] == "  verify         pending")
        #expect(buffer[4, 2].style == Theme.builtInDark.style(.selection).with(.bold), "the selected instance's group is selected")
        #expect(buffer[21, 2].style.foreground == Theme.builtInDark.style(for: .failed).foreground, "the bar in the state that most needs an eye")

        buffer = Buffer(width: 35, height: 8)
        view(["deploy"]).render(into: &buffer, area: buffer.area)
        #expect(buffer.lines[2] == "◆ ▾ deploy ×3        ████████ ✔2 ✘1")
        #expect(buffer.lines[3] == "    deploy[web1]     ████")
        #expect(buffer.lines[4] == "◆   deploy[web2]     ████████")
        #expect(buffer.lines[5] == "    deploy[web3]         ██")
        #expect(buffer.lines[6] == "  ▸ smoke ×2                ✔1 ████")
        #expect(buffer[4, 5].style == Theme.builtInDark.style(.selection), "now the instance itself is selected")
    }

    @Test func aGroupBarShowsTheGapsBetweenItsInstancesAndWaits() {
        let workflow = Self.workflow
        let events: [RunEvent] = [
            RunEvent(time: 0, kind: .runStarted),
            { var e = RunEvent.step("deploy[web1]", .waiting); e.time = 0; return e }(),
            { var e = RunEvent.step("deploy[web1]", .pending); e.time = 2; return e }(),
            { var e = RunEvent.step("deploy[web2]", .running, attempt: 1); e.time = 4; return e }(),
            { var e = RunEvent.step("deploy[web2]", .succeeded); e.time = 6; return e }(),
            { var e = RunEvent.step("deploy[web3]", .running, attempt: 1); e.time = 8; return e }(),
            { var e = RunEvent.step("deploy[web3]", .succeeded); e.time = 10; return e }(),
        ]
        // 10 s over 10 cells; the bars start at column 17.
        var buffer = Buffer(width: 27, height: 3)
        TimelineView(workflow: workflow, grouping: StepGrouping(workflow: workflow), timeline: RunTimeline(workflow: workflow, events: events),
                     critical: [], states: [], selected: 0, top: 0, now: 10, theme: .builtInDark, unicode: false)
            .render(into: &buffer, area: buffer.area)
        #expect(buffer.lines[2] == "  [+] deploy x3  ..--##--##", "a wait, a gap, an attempt, a gap, an attempt")
    }

    @Test func theTimelineMovesByItsRowsAndAHeaderStandsForItsGroup() {
        var state = Self.state(Self.events)
        state.show(.timeline, true)
        state.focus = .graph
        state.selected = 0
        Self.press(.character("j"), in: &state)
        #expect(state.selected == 1 && state.selectedGroup == "deploy", "the deploy row")
        Self.press(.character("j"), in: &state)
        #expect(state.selectedGroup == "smoke")
        Self.press(.character("k"), in: &state)
        Self.press(.character("e"), in: &state)
        #expect(state.expandedGroups == ["deploy"])
        Self.press(.character("j"), in: &state)
        #expect(state.selected == 2, "deploy[web1] to deploy[web2]")
        let timeline = Self.graphRows(Self.screen(state), state)
        #expect(timeline.contains { $0.contains("▾ deploy ×3 ") }, "\(timeline)")
        #expect(timeline.contains { $0.hasPrefix("│◆   deploy[web2] ") }, "indented beneath its header, on the critical path")
    }

    // MARK: - Edges, and a workflow without groups

    @Test func instancesThatNeedEachOtherKeepTheirEdgesWhenExpanded() throws {
        // A chain inside one group (a called workflow's steps would be one), and a group whose
        // instances reach each other through a step outside it.
        let workflow = Workflow(name: "chain", groups: [
            StepGroup(id: "g", instances: ["g1", "g2", "g3"]), StepGroup(id: "h", instances: ["h1", "h2"]),
        ], steps: [
            Step(id: "a", run: "x"),
            { var s = Step(id: "g1", run: "x", needs: ["a"]); s.group = "g"; return s }(),
            { var s = Step(id: "g2", run: "x", needs: ["g1"]); s.group = "g"; return s }(),
            { var s = Step(id: "g3", run: "x", needs: ["g2"]); s.group = "g"; return s }(),
            { var s = Step(id: "h1", run: "x", needs: ["g3"]); s.group = "h"; return s }(),
            Step(id: "x", run: "x", needs: ["h1"]),
            { var s = Step(id: "h2", run: "x", needs: ["x"]); s.group = "h"; return s }(),
        ])
        let collapsed = try #require(GroupedGraph(workflow: workflow))
        let (g, h) = (collapsed.workflow.steps[1].id, collapsed.workflow.steps[2].id)
        #expect(collapsed.workflow.steps.map(\.needs) == [[], ["a"], [g, "x"], [h]],
                "a, g (needs a), h (the union of its instances' needs: g and x), x (needs h)")
        let expanded = try #require(GroupedGraph(workflow: workflow, expanded: ["g"]))
        #expect(expanded.workflow.steps.map(\.id).prefix(4) == ["a", "g1", "g2", "g3"])
        #expect(expanded.workflow.steps[2].needs == ["g1"] && expanded.workflow.steps[3].needs == ["g2"], "the chain is drawn")
        #expect(expanded.nodeOfStep == [0, 1, 2, 3, 4, 5, 4])
        // h and x need each other once h is one node: still drawn, nothing lost.
        let context = ConsoleContext(workflow: workflow)
        var state = AppState(workflow: workflow, user: "alice", width: 100, height: 30, now: 0)
        state.graphNaturalSize = context.shownGraph(state).size
        let lines = ConsoleView.render(state, context: context, theme: .builtInDark, unicode: true).lines
        #expect(lines.contains { $0.contains("g ×3") } && lines.contains { $0.contains("h ×2") })
        #expect(context.grouping(state).rows == [.step(0, indented: false), .group("g", expanded: false), .group("h", expanded: false), .step(5, indented: false)])
    }

    @Test func aGroupingIsMadeOncePerExpandedSetAndKept() {
        // A fan-out of 2,000 opened while another stays one node: laying out the 2,000 is the
        // slow part of a toggle.
        let instances = (1...2_000).map { "g[\($0)]" }
        let workflow = Workflow(name: "wide", groups: [StepGroup(id: "g", instances: instances), StepGroup(id: "h", instances: ["h[1]", "h[2]"])], steps:
            [Step(id: "a", run: "x")] + instances.map { id in
                var step = Step(id: id, run: "x", needs: ["a"])
                step.group = "g"
                return step
            } + ["h[1]", "h[2]"].map { id in
                var step = Step(id: id, run: "x", needs: instances)
                step.group = "h"
                return step
            })
        let context = ConsoleContext(workflow: workflow)
        var state = AppState(workflow: workflow, user: "alice", width: 120, height: 40, now: 0)
        #expect(context.groupings.made == 1, "the collapsed one is made with the context")
        _ = context.grouping(state)
        #expect(context.groupings.made == 1)
        state.expandedGroups = ["g"]
        #expect(context.grouping(state).graph?.workflow.steps.count == 2_002)
        for _ in 0..<20 { _ = context.grouping(state) }
        #expect(context.groupings.made == 2, "asked again, the grouping is kept")
        state.expandedGroups = []
        #expect(context.grouping(state).rows.count == 3, "a, g's header, h's header")
        #expect(context.groupings.made == 2, "the collapsed one is kept too")
        state.expandedGroups = ["g", "no such group"]
        #expect(context.grouping(state).expanded == ["g"], "ids that name no group are left out")
    }

    @Test func aWorkflowWithoutGroupsIsUnchanged() {
        var state = ConsoleTestSupport.state([ConsoleTestSupport.step("build", .running, attempt: 1)])
        let grouping = ConsoleTestSupport.context.grouping(state)
        #expect(!grouping.hasGroups && grouping.graph == nil)
        #expect(grouping.rows == state.workflow.steps.indices.map { .step($0, indented: false) })
        #expect(grouping.stepColumnWidth(unicode: true) == 5, "as wide as 'build', the widest id")
        let screen = ConsoleTestSupport.screen(state)
        #expect(screen.lines.contains { $0.contains("─ Graph — 5 steps ─") }, "no word on fan-outs")
        #expect(!screen.lines.contains { $0.contains("▸") || $0.contains("▾") })
        #expect(ConsoleTestSupport.update(&state, .key(.character("e"))).isEmpty)
        #expect(state.status?.text == "this workflow has no fan-out to expand" && state.expandedGroups.isEmpty)
        _ = ConsoleTestSupport.update(&state, .key(.character("E")))
        #expect(state.status?.text == "this workflow has no fan-out to expand" && state.expandedGroups.isEmpty)
        state.focus = .steps
        _ = ConsoleTestSupport.update(&state, .key(.enter))
        #expect(state.focus == .details, "Enter shows the details")
    }
}
