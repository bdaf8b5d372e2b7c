import Testing
@testable import BatonConsole

/// The runner's inbox keeps the latest row of each run, however much the feed posts.
@Suite struct TopInboxTests {
    typealias T = TopTestSupport

    @Test func laterRowsReplaceEarlierOnesAndARemovalAndARowLeaveTheLast() {
        var inbox = TopInbox()
        #expect(inbox.isEmpty)
        for done in 0..<1000 { inbox.take([.runs([T.run("busy", live: true, done: done, total: 1000)])]) }
        inbox.take([.runs([T.run("gone", live: true)]), .removed(["gone"]), .removed(["back"]), .runs([T.run("back", live: true)])])
        inbox.take([.watchNotice("no runs folder"), .loaded, .watchNotice(nil)])
        let messages = inbox.drain()
        #expect(inbox.isEmpty)
        var state = T.state([T.run("gone", finished: true), T.run("back", finished: true)])
        for message in messages { _ = TopUpdate.update(&state, message) }
        #expect(Set(T.order(state)) == ["busy", "back"])
        #expect(state.runs.first { $0.id == "busy" }?.doneSteps == 999)
        #expect(state.runs.first { $0.id == "back" }?.isLive == true)
        #expect(state.watchNotice == nil)
        #expect(messages.count == 4)
    }
}
