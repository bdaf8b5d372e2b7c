import Testing
@testable import BatonEngine

/// A start and its abandonment exclude each other, whichever comes first.
@Suite struct LaunchTicketTests {
    @Test func whateverComesFirstWins() {
        let started = LaunchTicket()
        #expect(started.claim())
        #expect(!started.abandon(), "a started execution cannot be given up as never started")
        #expect(!started.claim(), "an execution starts once")

        let abandoned = LaunchTicket()
        #expect(abandoned.abandon())
        #expect(!abandoned.claim(), "an abandoned execution never starts")
    }
}
