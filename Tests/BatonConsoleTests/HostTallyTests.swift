import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// The steps on each host counted: the graph pane's host badges and `baton top`'s HOSTS column.
@Suite struct HostTallyTests {
    static let workflow = try! WorkflowLoader.load(yaml: """
        name: fleet
        hosts: {web1: web1, web2: web2, web3: web3, db1: db1}
        groups: {web: [web1, web2, web3]}
        steps:
          migrate:
            on: db1
            run: ./migrate
          restart:
            on: web
            needs: [migrate]
            run: ./restart
          check:
            on: web
            needs: [restart]
            run: ./check
          report:
            needs: [check]
            run: ./report
        """, file: "fleet.yaml")

    private func tally(_ states: [String: StepState]) -> HostTally {
        HostTally(workflow: Self.workflow) { states[Self.workflow.steps[$0].id] ?? .pending }
    }

    @Test func hostsThatNeedAnEyeComeFirstThenTheRestByName() {
        let tally = tally(["migrate": .succeeded, "restart[web1]": .succeeded, "restart[web2]": .failed, "restart[web3]": .running])
        #expect(tally.entries.map(\.host) == ["web2", "web3", "db1", "web1"])
        #expect(tally.entries.first { $0.host == "web1" }?.states == [.succeeded, .pending], "restart and check run on web1")
        #expect(tally.activeHosts == 1 && tally.failedHosts == 1)
        let text = tally.badges(width: 200, unicode: true).map(\.text).joined()
        #expect(text == "web2 ✘1 · web3 ▶1 · db1 ✔1 · web1 ✔1")
        #expect(tally.badges(width: 200, unicode: false).map(\.text).joined() == "web2 X1 | web3 >1 | db1 v1 | web1 v1")
        // Each count takes its state's colour; names take none.
        #expect(tally.badges(width: 200, unicode: true).compactMap(\.state) == [.failed, .running, .succeeded, .succeeded])
    }

    @Test func whatDoesNotFitIsCountedAtTheEnd() {
        let tally = tally(["restart[web2]": .failed])
        let text = tally.badges(width: 22, unicode: true).map(\.text).joined()
        #expect(text == "web2 ✘1 · +3 hosts", "\(text)")
        #expect(TextWidth.of(text) <= 22)
        #expect(tally.badges(width: 24, unicode: true).map(\.text).joined() == "web2 ✘1 · db1 · +2 hosts")
        #expect(tally.badges(width: 3, unicode: true).isEmpty, "nothing rather than a piece of a name")
    }

    @Test func topsCellCountsHostsAtWorkAndHostsWithAFailure() {
        #expect(HostTally.summary(hosts: 5, active: 2, failed: 1, unicode: true) == "5 ▶2 ✘1")
        #expect(HostTally.summary(hosts: 4, active: 0, failed: 0, unicode: false) == "4")
        #expect(HostTally.summary(hosts: 0, active: 0, failed: 0, unicode: true) == "")
    }

    @Test func theGraphPanesBottomBorderCarriesTheBadges() {
        let context = ConsoleContext(workflow: Self.workflow)
        var state = AppState(workflow: Self.workflow, user: "alice", width: 140, height: 36, now: 1_000_100)
        var started = RunEvent(seq: 1, time: 1_000_000, kind: .runStarted)
        started.runID = "r"
        started.steps = Self.workflow.stepIDs
        try! state.run.apply(started)
        var running = RunEvent.step("migrate", .running, attempt: 1)
        running.seq = 2
        running.time = 1_000_001
        try! state.run.apply(running)
        let layout = ConsoleLayout(state)
        let lines = ConsoleView.render(state, context: context, theme: .builtInDark, unicode: true).lines
        let border = lines[layout.graph.maxY - 1]
        #expect(border.contains("db1 ▶1 · web1 · web2 · web3"), "\(border)")
        #expect(border.hasPrefix("└─ "), "the badges sit on the border: \(border)")
        // A run on no host has a plain border.
        let plain = ConsoleTestSupport.state()
        let plainLines = ConsoleView.render(plain, context: ConsoleTestSupport.context, theme: .builtInDark, unicode: true).lines
        #expect(plainLines[ConsoleLayout(plain).graph.maxY - 1].allSatisfy { "└─┘ ".contains($0) }, "\(plainLines[ConsoleLayout(plain).graph.maxY - 1])")
    }

    @Test func topShowsAHostsColumnOnlyWhenARunHasHosts() {
        var remote = TopTestSupport.run("20270101-093000-ab12", live: true)
        remote.hosts = 5
        remote.activeHosts = 2
        remote.failedHosts = 1
        let plain = TopTestSupport.run("20270101-080000-cd34", finished: true, age: 4000)
        #expect(!TopColumns(width: 160, runs: [plain]).shows(.hosts))
        let columns = TopColumns(width: 160, runs: [remote, plain])
        #expect(columns.shows(.hosts) && columns.shows(.user))
        let screen = TopTestSupport.screen(TopTestSupport.state([remote, plain], width: 160))
        #expect(screen.contains { $0.contains("HOSTS") }, "\(screen)")
        #expect(screen.contains { $0.contains("20270101-093000-ab12") && $0.contains("5 ▶2 ✘1") }, "\(screen)")
        // Narrower, who started the run goes first, then the hosts.
        let narrower = TopColumns(width: 100, runs: [remote, plain])
        #expect(!narrower.shows(.user) || narrower.shows(.hosts))
    }
}
