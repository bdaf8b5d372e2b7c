import BatonEngine
import Testing
@testable import BatonConsole

/// A `notify:` command that failed is said on the status line; the run is not marked.
@Suite struct NotificationFailureConsoleTests {
    typealias S = ConsoleTestSupport

    @Test func theStatusLineSaysWhichNotificationFailedAndTheRunIsUnmarked() {
        var state = S.state([S.step("build", .running, attempt: 1)])
        let problem = "notification notify[1] on gate_opened of 'ship' failed: exited 22; see /runs/r/notifications.log"
        let effects = S.update(&state, .engine(.notificationFailed(problem)))
        #expect(effects.isEmpty, "no bell: the run goes on")
        #expect(state.status?.text == problem)
        #expect(state.status?.isError == true)
        #expect(state.recordingFailure == nil)
        #expect(HeaderView(state: state, theme: .builtInDark, unicode: true).runLabel != "NOT RECORDED")
    }
}
